import type pg from 'pg';
import type { CivilDate, YearMonth } from '../../domain/dates';
import type { Money } from '../../domain/money';
import { raiseAlert } from './alerts';

// `payrolls`, `payment_lines` and `payment_results`: written only by the payroll workflow's
// activities (R-M1: one writer), their flags through the alerts module (R-O3); the API reads them
// here when the workflow cannot answer.

export type PayrollStatus = 'rostering' | 'sent' | 'completed' | 'overdue';

/** A payroll as the read model holds it. */
export interface PayrollRecord {
  payrollId: string;
  countyCode: string;
  month: YearMonth;
  status: PayrollStatus;
  rosterDate: CivilDate;
  paymentDate: CivilDate;
  linesDone: number;
  linesTotal: number;
  fileName?: string;
  fileSha256?: string;
  /** Bank lines by status. */
  lines: Record<string, number>;
}

export function payrollRepository(pool: pg.Pool) {
  /**
   * R-O3: a county payroll's flag (no township or village), due on its payment date (results
   * overdue) or its roster date (roster incomplete); nothing when the payroll is unknown.
   */
  const raisePayrollAlert = async (payrollId: string, kind: 'payment_results' | 'roster_incomplete') => {
    const { rows } = await pool.query(
      'SELECT county_code, roster_date::text, payment_date::text FROM payrolls WHERE payroll_id = $1',
      [payrollId],
    );
    const p = rows[0];
    if (!p) return;
    await raiseAlert(pool, {
      alertKey: `payroll:${payrollId}:${kind === 'payment_results' ? 'overdue' : kind}`,
      subjectKind: 'payroll',
      subjectId: payrollId,
      countyCode: p.county_code,
      townshipCode: '',
      villageCode: '',
      flag: 'overdue',
      deadlineKind: kind,
      dueOn: kind === 'payment_results' ? p.payment_date : p.roster_date,
    });
  };
  const linesByStatus = async (payrollId: string): Promise<Record<string, number>> => {
    const { rows } = await pool.query(
      'SELECT status, count(*)::int AS n FROM payment_lines WHERE payroll_id = $1 GROUP BY status',
      [payrollId],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };

  return {
    linesByStatus,

    async find(payrollId: string): Promise<PayrollRecord | undefined> {
      const { rows } = await pool.query('SELECT * FROM payrolls WHERE payroll_id = $1', [payrollId]);
      const p = rows[0];
      if (!p) return undefined;
      return {
        payrollId: p.payroll_id,
        countyCode: p.county_code,
        month: p.month,
        status: p.status,
        rosterDate: p.roster_date,
        paymentDate: p.payment_date,
        linesDone: p.lines_done,
        linesTotal: p.lines_total,
        fileName: p.file_name ?? undefined,
        fileSha256: p.file_sha256 ?? undefined,
        lines: await linesByStatus(payrollId),
      };
    },

    async open(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
      rosterDate: CivilDate;
      paymentDate: CivilDate;
    }): Promise<void> {
      await pool.query(
        `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
         VALUES ($1, $2, $3, $4, $5, 'rostering') ON CONFLICT (payroll_id) DO NOTHING`,
        [args.payrollId, args.countyCode, args.month, args.rosterDate, args.paymentDate],
      );
    },

    /** The payroll's status; 'overdue' also raises a supervision alert (R-O3), once. */
    async setStatus(payrollId: string, status: 'sent' | 'completed' | 'overdue'): Promise<void> {
      await pool.query('UPDATE payrolls SET status = $2, updated_at = now() WHERE payroll_id = $1', [
        payrollId,
        status,
      ]);
      if (status !== 'overdue') return;
      await raisePayrollAlert(payrollId, 'payment_results');
    },

    /** The bank file as written (its lines never go away; only their status changes). */
    async fileOf(
      payrollId: string,
    ): Promise<{ fileName: string; sha256: string; lines: number; amount: Money } | undefined> {
      const { rows } = await pool.query(
        `SELECT p.file_name, p.file_sha256, p.lines_total,
           (SELECT coalesce(sum(amount), 0) FROM payment_lines WHERE payroll_id = p.payroll_id) AS amount
         FROM payrolls p WHERE p.payroll_id = $1 AND p.file_name IS NOT NULL`,
        [payrollId],
      );
      const r = rows[0];
      return r && { fileName: r.file_name, sha256: r.file_sha256, lines: r.lines_total, amount: r.amount };
    },

    /** R-M1: open cases of the county that handed no month row for `month` (case worker down, say). */
    async casesMissingMonth(county: string, month: YearMonth): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT c.case_id FROM cases c
         WHERE c.county_code = $1 AND c.status <> 'closed' AND c.start_month <= $2
           AND NOT EXISTS (SELECT 1 FROM case_months m WHERE m.case_id = c.case_id AND m.month = $2)
         ORDER BY c.case_id`,
        [county, month],
      );
      return rows.map((r) => r.case_id);
    },

    /** R-O3: the incomplete roster raised to supervisors, once. */
    async raiseRosterIncomplete(payrollId: string): Promise<void> {
      await raisePayrollAlert(payrollId, 'roster_incomplete');
    },

    /** The counties that have open cases: the monthly schedule starts one payroll for each. */
    async countiesWithOpenCases(): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT DISTINCT county_code FROM cases WHERE status <> 'closed' ORDER BY county_code`,
      );
      return rows.map((r) => r.county_code);
    },
  };
}

export type PayrollRepository = ReturnType<typeof payrollRepository>;
