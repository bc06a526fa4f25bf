import { Context } from '@temporalio/activity';
import type { YearMonth } from '../../domain/dates';
import { restOfQuarter } from '../../domain/entitlement';
import { type ActivityDeps, reposOf } from '../deps';
import { settleAdjustments } from './settlement';

// The payroll's roster (R-M1, R-M2, R-M8, R-E6, R-A10). Exactly once: every ledger row has the
// unique key (case, month, kind) and is written with ON CONFLICT DO NOTHING inside the same
// transaction that settles what it pays, so a retried activity or a second payroll run writes
// nothing twice and settles nothing twice. Status changes leave history rows (ledger trigger).

export { restOfQuarter };

export interface RosterPage {
  afterCaseId?: string;
  lastCaseId?: string;
  cases: number;
  rows: number;
  done: boolean;
}

export function rosterActivities(deps: ActivityDeps) {
  const { ledger, payroll } = reposOf(deps);
  return {
    /**
     * R-M1 / R-M2 / R-M8: one page of the county's roster (cases ordered by id), in one transaction:
     * the month's regular lines from what each case handed to the payroll at the cut-off (nothing
     * after death or closure: no month row), open back-pay as one line per case, and open recoveries
     * offset against the case's money this month (never more). Bounded: one page per call.
     */
    async rosterPage(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
      quarterlyExtremePoverty: boolean;
      /** R-M10: the share of its regular money a household keeps when a recovery is offset. */
      recoveryOffsetFloor?: string;
      afterCaseId?: string;
      limit: number;
    }): Promise<RosterPage> {
      const result = await ledger.transaction(async (tx) => {
        // Regular lines. Quarterly extreme-poverty support (R-E6) is paid at the start of the
        // quarter: the first payroll that sees the case pays it to the quarter's end; the later
        // months of the quarter then find their rows already there (unique key).
        const page = await tx.insertRosterPage({
          payrollId: args.payrollId,
          county: args.countyCode,
          month: args.month,
          quarterMonths: args.quarterlyExtremePoverty ? restOfQuarter(args.month) : null,
          after: args.afterCaseId ?? '',
          limit: args.limit,
        });
        const ids = page.caseIds;
        if (!ids.length) return { cases: 0, rows: 0, lastCaseId: args.afterCaseId };
        let rows = page.rows;
        rows += await settleAdjustments(
          tx,
          args.payrollId,
          args.countyCode,
          args.month,
          ids,
          args.recoveryOffsetFloor,
        );
        await tx.addLinesDone(args.payrollId, rows);
        return { cases: ids.length, rows, lastCaseId: ids.at(-1) };
      });
      Context.current().heartbeat(result.lastCaseId);
      return {
        afterCaseId: args.afterCaseId,
        lastCaseId: result.lastCaseId,
        cases: result.cases,
        rows: result.rows,
        done: result.cases < args.limit,
      };
    },

    /**
     * R-M1 "never silently lost": a month a case handed over after its own payroll had read the
     * roster (a case worker down at the cut-off, say) has no ledger row; the next payroll pays it
     * (the last 12 months, and only months whose payroll has finished its roster). Exactly once by the same key.
     */
    async rosterLateMonths(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
    }): Promise<number> {
      return ledger.insertLateMonths(args.payrollId, args.countyCode, args.month);
    },

    /** Back-pay owed to cases that handed no month this time (closed after a review, say). */
    async rosterStragglers(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
      recoveryOffsetFloor?: string;
    }): Promise<number> {
      return ledger.transaction(async (tx) =>
        settleAdjustments(
          tx,
          args.payrollId,
          args.countyCode,
          args.month,
          await tx.stragglerCases(args.countyCode, args.month),
          args.recoveryOffsetFloor,
        ),
      );
    },

    /**
     * R-A10: temporary grants are paid at once by the township; the ledger records them (status
     * paid) in the first payroll after their month, one row per application and month.
     */
    async rosterTemporaryGrants(args: { payrollId: string; countyCode: string; month: YearMonth }) {
      return ledger.insertTemporaryGrants(args.payrollId, args.countyCode, args.month);
    },

    /**
     * R-M1 "never silently lost": open cases that should have handed this month to the payroll but
     * have not (a case worker down at the cut-off, say) are counted and raised to supervisors.
     */
    async checkRosterComplete(args: { payrollId: string; countyCode: string; month: YearMonth }) {
      const missing = await payroll.casesMissingMonth(args.countyCode, args.month);
      if (missing.length) await payroll.raiseRosterIncomplete(args.payrollId);
      return { missing: missing.length, examples: missing.slice(0, 20) };
    },
  };
}
