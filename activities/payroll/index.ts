import type { YearMonth } from '../../domain/dates';
import { toMoney } from '../../domain/money';
import type { PayrollContext } from '../../workflows/contracts';
import { type ActivityDeps, reposOf } from '../deps';
import { bankFileActivities } from './bank-file';
import { resultActivities } from './results';
import { rosterActivities } from './roster';

// Side effects of the monthly payroll (R-M1, R-M2, R-M8, R-E6), one file per idea: the roster
// (ledger rows), the settlement of adjustments, the bank file, and the bank's results.
export { applyPaymentResults } from './results';
export { type RosterPage, restOfQuarter } from './roster';

export function payrollActivities(deps: ActivityDeps) {
  const { payroll, policies, calendar } = reposOf(deps);
  return {
    /** Parameters in force for the month (R-E6 frequency, R-M1 retry limit) and the runtime calendar. */
    async loadPayrollContext(args: { countyCode: string; month: YearMonth }): Promise<PayrollContext> {
      const { policy, deadlines } = await policies.inForce(args.countyCode, `${args.month}-01`);
      return { policy, deadlines, runtimeYears: await calendar.runtimeYears() };
    },

    async openPayroll(args: Parameters<typeof payroll.open>[0]): Promise<void> {
      await payroll.open(args);
    },

    ...rosterActivities(deps),
    ...resultActivities(deps),
    ...bankFileActivities(deps),

    /** The bank file an earlier run wrote (a results-only run shows it in its view). */
    async loadPayrollFile(args: { payrollId: string }) {
      const file = await payroll.fileOf(args.payrollId);
      return file && { ...file, amount: toMoney(file.amount) };
    },

    /** Lines of the payroll by status: how far the bank's results have come. */
    async payrollProgress(args: { payrollId: string }): Promise<Record<string, number>> {
      return payroll.linesByStatus(args.payrollId);
    },

    /** The payroll's status; 'overdue' also raises a supervision alert (R-O3), once. */
    async setPayrollStatus(args: {
      payrollId: string;
      status: 'sent' | 'completed' | 'overdue';
    }): Promise<void> {
      await payroll.setStatus(args.payrollId, args.status);
    },

    /** The counties that have open cases: the monthly schedule starts one payroll for each. */
    async listPayrollCounties(): Promise<string[]> {
      return payroll.countiesWithOpenCases();
    },
  };
}
