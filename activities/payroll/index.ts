import type { CivilDate, YearMonth } from '../../domain/dates';
import type { PayrollContext } from '../../workflows/messages';
import { loadRuntimeYears, policyInForce } from '../applications';
import type { ActivityDeps } from '../deps';
import { bankFileActivities } from './bank-file';
import { resultActivities } from './results';
import { rosterActivities } from './roster';

// Side effects of the monthly payroll (R-M1, R-M2, R-M8, R-E6), one file per idea: the roster
// (ledger rows), the settlement of adjustments, the bank file, and the bank's results.
export { applyPaymentResults } from './results';
export { type RosterPage, restOfQuarter } from './roster';

export function payrollActivities(deps: ActivityDeps) {
  const { pool } = deps;
  return {
    /** Parameters in force for the month (R-E6 frequency, R-M1 retry limit) and the runtime calendar. */
    async loadPayrollContext(args: { countyCode: string; month: YearMonth }): Promise<PayrollContext> {
      const { policy, deadlines } = await policyInForce(pool, args.countyCode, `${args.month}-01`);
      return { policy, deadlines, runtimeYears: await loadRuntimeYears(pool) };
    },

    async openPayroll(args: {
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

    ...rosterActivities(deps),
    ...resultActivities(deps),
    ...bankFileActivities(deps),

    /** Lines of the payroll by status: how far the bank's results have come. */
    async payrollProgress(args: { payrollId: string }): Promise<Record<string, number>> {
      const { rows } = await pool.query(
        'SELECT status, count(*)::int AS n FROM payment_lines WHERE payroll_id = $1 GROUP BY status',
        [args.payrollId],
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },

    /** The payroll's status; 'overdue' also raises a supervision alert (R-O3), once. */
    async setPayrollStatus(args: { payrollId: string; status: 'sent' | 'completed' | 'overdue' }) {
      await pool.query('UPDATE payrolls SET status = $2, updated_at = now() WHERE payroll_id = $1', [
        args.payrollId,
        args.status,
      ]);
      if (args.status !== 'overdue') return;
      await pool.query(
        `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code, village_code,
           flag, deadline_kind, due_on)
         SELECT 'payroll:' || payroll_id || ':overdue', 'payroll', payroll_id, county_code, '', '', 'overdue',
           'payment_results', payment_date
         FROM payrolls WHERE payroll_id = $1 ON CONFLICT DO NOTHING`,
        [args.payrollId],
      );
    },

    /** The counties that have open cases: the monthly schedule starts one payroll for each. */
    async listPayrollCounties(): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT DISTINCT county_code FROM cases WHERE status <> 'closed' ORDER BY county_code`,
      );
      return rows.map((r) => r.county_code);
    },
  };
}
