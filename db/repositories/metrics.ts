import type pg from 'pg';

// Aggregates for the worker's /metrics gauges (R-O3 supervision, R-M1 payroll progress): counts per
// county and kind, never a person, an id or a name. Read only.

export interface OverdueCount {
  countyCode: string;
  kind: string;
  overdue: number;
  atRisk: number;
}

export interface PayrollProgress {
  countyCode: string;
  month: string;
  status: string;
  linesTotal: number;
  linesDone: number;
}

export function metricsRepository(pool: pg.Pool) {
  return {
    /** Open overdue and at-risk work per county and kind, as GET /v1/supervision/overdue counts it. */
    async overdueByCounty(): Promise<OverdueCount[]> {
      const { rows } = await pool.query(
        `SELECT county_code, kind, count(*) FILTER (WHERE overdue)::int AS overdue,
                count(*) FILTER (WHERE at_risk AND NOT overdue)::int AS at_risk
         FROM (
           SELECT county_code, 'application' AS kind, overdue, at_risk FROM applications
           WHERE stage NOT IN ('approved', 'rejected', 'withdrawn') AND (at_risk OR overdue)
           UNION ALL
           SELECT county_code, kind, overdue, at_risk FROM case_tasks
           WHERE closed_on IS NULL AND (at_risk OR overdue)
           UNION ALL
           SELECT county_code, 'payroll', true, false FROM payrolls WHERE status = 'overdue'
         ) w
         GROUP BY county_code, kind`,
      );
      return rows.map((r) => ({
        countyCode: r.county_code,
        kind: r.kind,
        overdue: r.overdue,
        atRisk: r.at_risk,
      }));
    },

    /** Payrolls not completed, and those completed in the last 40 days: lines sent and answered. */
    async payrollProgress(): Promise<PayrollProgress[]> {
      const { rows } = await pool.query(
        `SELECT county_code, month, status, lines_total, lines_done FROM payrolls
         WHERE status <> 'completed' OR updated_at > now() - interval '40 days'`,
      );
      return rows.map((r) => ({
        countyCode: r.county_code,
        month: r.month,
        status: r.status,
        linesTotal: r.lines_total,
        linesDone: r.lines_done,
      }));
    },
  };
}
