import { Context } from '@temporalio/activity';
import { inTransaction } from '../../db/pool';
import type { Repositories } from '../../db/repositories';
import type { CivilDate } from '../../domain/dates';
import type { PaymentResultInput, PaymentResultOutcome } from '../../workflows/messages';
import { type ActivityDeps, reposOf } from '../deps';

// The bank's answers (R-M1): failed lines go out again or are escalated, and each result is
// applied once and in the bank's order.

export function resultActivities(deps: ActivityDeps) {
  const { pool } = deps;
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
      return inTransaction(pool, async (db) => {
        const { rows } = await db.query(
          `SELECT pl.line_id, pl.case_id, pl.attempt, c.village_code FROM payment_lines pl
           JOIN payrolls p ON p.payroll_id = pl.payroll_id JOIN cases c ON c.case_id = pl.case_id
           WHERE p.county_code = $1 AND pl.payroll_id <> $2 AND pl.status = 'failed'
           ORDER BY pl.line_id FOR UPDATE OF pl`,
          [args.countyCode, args.payrollId],
        );
        let retried = 0;
        let escalated = 0;
        for (const r of rows) {
          if (r.attempt >= args.maxAttempts) {
            await db.query(`UPDATE payment_lines SET status = 'escalated' WHERE line_id = $1`, [r.line_id]);
            await db.query(
              `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code,
                 village_code, flag, deadline_kind, due_on)
               VALUES ($1, 'payment', $2, $3, $4, $5, 'overdue', 'payment_failed', $6) ON CONFLICT DO NOTHING`,
              [
                `payment:${r.line_id}:escalated`,
                r.line_id,
                args.countyCode,
                r.village_code.slice(0, 9),
                r.village_code,
                args.dueOn,
              ],
            );
            escalated++;
            continue;
          }
          await db.query(`UPDATE payment_lines SET status = 'retried' WHERE line_id = $1`, [r.line_id]);
          await db.query(
            `UPDATE ledger SET payroll_id = $2, status = 'scheduled', attempts = attempts + 1,
               payment_line_id = NULL, updated_at = now()
             WHERE payment_line_id = $1 AND status = 'failed'`,
            [r.line_id, args.payrollId],
          );
          retried++;
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
