import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';

// R-O3 and R-M7 reads for supervisors, from the read models the workflows keep (applications,
// case_tasks, payrolls, complaints) and the visit-report tables. Nothing here writes.

export const SUPERVISED_KINDS = [
  'application',
  'death_review',
  're_review',
  'data_check',
  'change_review',
  'payroll',
  'complaint',
] as const;
export type SupervisedKind = (typeof SUPERVISED_KINDS)[number];

export interface SupervisedWork {
  kind: SupervisedKind;
  subjectId: string;
  taskId: string | null;
  stage: string;
  countyCode: string;
  townshipCode: string | null;
  villageCode: string | null;
  dueOn: string;
  provisional: boolean;
  atRisk: boolean;
  overdue: boolean;
}

export interface VisitReportGap {
  villageCode: string;
  townshipCode: string;
  openCases: number;
  reported: boolean;
  forwarded: boolean;
}

export function supervisionRepository(pool: pg.Pool) {
  return {
    /** Overdue and at-risk work in a region, most urgent first. */
    async overdueWork(q: {
      region: string;
      kind?: SupervisedKind;
      township?: string;
      flag: 'overdue' | 'at_risk' | 'any';
      limit: number;
    }): Promise<SupervisedWork[]> {
      const { rows } = await pool.query(
        `SELECT * FROM (
           SELECT 'application' AS kind, application_id AS subject_id, NULL AS task_id, stage, county_code,
                  township_code, village_code, overall_deadline AS due_on, deadline_provisional AS provisional,
                  at_risk, overdue
           FROM applications
           WHERE stage NOT IN ('approved', 'rejected', 'withdrawn') AND (at_risk OR overdue)
           UNION ALL
           SELECT kind, case_id, task_id, kind, county_code, township_code, village_code, due_on, due_provisional,
                  at_risk, overdue
           FROM case_tasks WHERE closed_on IS NULL AND (at_risk OR overdue)
           UNION ALL
           SELECT 'payroll', payroll_id, NULL, status, county_code, NULL, NULL, payment_date, false, false, true
           FROM payrolls WHERE status = 'overdue'
           UNION ALL
           -- R-O4: complaints not yet answered (or, anonymous, closed with a finding) in time
           SELECT 'complaint', complaint_id, NULL, stage, county_code, township_code, village_code, deadline,
                  deadline_provisional, at_risk, overdue
           FROM complaints WHERE stage <> 'closed' AND (at_risk OR overdue)
         ) w
         WHERE (w.village_code LIKE $1 || '%' OR (w.village_code IS NULL AND w.county_code LIKE $1 || '%'))
           AND ($2::text IS NULL OR w.kind = $2)
           AND ($3::text IS NULL OR w.township_code = $3)
           AND ($4 = 'any' OR ($4 = 'overdue' AND w.overdue) OR ($4 = 'at_risk' AND w.at_risk AND NOT w.overdue))
         ORDER BY w.overdue DESC, w.due_on, w.subject_id
         LIMIT $5`,
        [q.region, q.kind ?? null, q.township ?? null, q.flag, q.limit],
      );
      return rows.map((r) => ({
        kind: r.kind,
        subjectId: r.subject_id,
        taskId: r.task_id,
        stage: r.stage,
        countyCode: r.county_code,
        townshipCode: r.township_code,
        villageCode: r.village_code,
        dueOn: r.due_on,
        provisional: r.provisional,
        atRisk: r.at_risk,
        overdue: r.overdue,
      }));
    },

    /** R-M7: per village of the region with open cases, whether it reported the month and its township forwarded. */
    async visitReportGaps(
      region: string,
      township: string | undefined,
      month: YearMonth,
    ): Promise<VisitReportGap[]> {
      const { rows } = await pool.query(
        `SELECT c.village_code, c.township_code, count(*)::int AS open_cases,
                EXISTS (SELECT 1 FROM visit_reports v WHERE v.village_code = c.village_code AND v.month = $3) AS reported,
                EXISTS (SELECT 1 FROM township_forwards f WHERE f.township_code = c.township_code AND f.month = $3) AS forwarded
         FROM cases c
         WHERE c.status <> 'closed' AND c.village_code LIKE $1 || '%' AND ($2::text IS NULL OR c.township_code = $2)
         GROUP BY c.village_code, c.township_code ORDER BY c.village_code`,
        [region, township ?? null, month],
      );
      return rows.map((r) => ({
        villageCode: r.village_code,
        townshipCode: r.township_code,
        openCases: r.open_cases,
        reported: r.reported,
        forwarded: r.forwarded,
      }));
    },
  };
}
