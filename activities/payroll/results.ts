import { Context } from '@temporalio/activity';
import type { Repositories } from '../../db/repositories';
import type { CivilDate } from '../../domain/dates';
import type { PaymentResultInput, PaymentResultOutcome } from '../../workflows/contracts';
import { type ActivityDeps, reposOf } from '../deps';

// The bank's answers (R-M1): failed lines go out again or are escalated, and each result is
// applied once and in the bank's order.

export function resultActivities(deps: ActivityDeps) {
  const repos = reposOf(deps);
  return {
    /** The payroll's Update handler applies the bank's results through this (R-M1). */
    async applyPaymentResults(args: {
      payrollId: string;
      results: PaymentResultInput[];
    }): Promise<PaymentResultOutcome[]> {
      return applyPaymentResults(repos, args.payrollId, args.results);
    },

    /**
     * R-M1: failed bank lines of earlier payrolls go out again in this one (attempt n+1); after the
     * county's limit they are escalated to supervisors instead, never silently dropped.
     */
    async retryFailedLines(args: {
      payrollId: string;
      countyCode: string;
      maxAttempts: number;
      dueOn: CivilDate;
    }): Promise<{ retried: number; escalated: number }> {
      return repos.paymentLines.failedLinesTransaction(async (tx) => {
        let retried = 0;
        let escalated = 0;
        for (const line of await tx.failedLines(args.countyCode, args.payrollId)) {
          if (line.attempt >= args.maxAttempts) {
            await tx.escalate(line, args.countyCode, args.dueOn);
            escalated++;
          } else {
            await tx.retryIn(line, args.payrollId);
            retried++;
          }
        }
        return { retried, escalated };
      });
    },
  };
}

/**
 * R-M1: the bank's per-line results for one payroll's lines, each applied exactly once (by the
 * bank's result id) and in the bank's order (a result reported before the one already applied is
 * kept but not applied). The line's ledger rows follow it, with history rows. Returned money is
 * raised to supervisors. A line of another payroll is unknown here: each payroll writes its own.
 */
export async function applyPaymentResults(
  repos: Repositories,
  payrollId: string,
  results: PaymentResultInput[],
): Promise<PaymentResultOutcome[]> {
  const outcomes: PaymentResultOutcome[] = [];
  for (const r of results) {
    outcomes.push(await repos.payrollResults.apply(payrollId, r));
    heartbeat(r.resultId);
  }
  return outcomes;
}

/** Outside an activity (a test or a script) there is no one to heartbeat to. */
function heartbeat(detail: string): void {
  try {
    Context.current().heartbeat(detail);
  } catch {
    // not in an activity
  }
}
