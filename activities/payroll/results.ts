import type pg from 'pg';
import { inTransaction } from '../../db/pool';
import type { CivilDate } from '../../domain/dates';
import type { ActivityDeps } from '../deps';

// The bank's answers (R-M1): failed lines go out again or are escalated, and each result is
// applied once and in the bank's order.

export function resultActivities({ pool }: ActivityDeps) {
  return {
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

export interface PaymentResultInput {
  resultId: string;
  lineId: string;
  outcome: 'paid' | 'failed' | 'returned';
  reason?: string;
  reportedAt: string;
}

export type PaymentResultOutcome = 'applied' | 'duplicate' | 'unknown_line' | 'stale';

// Allowed moves of a bank line: a later return of paid money, a correction of a failure.
const NEXT: Record<string, readonly string[]> = {
  sent: ['paid', 'failed', 'returned'],
  paid: ['returned'],
  failed: ['paid'],
};

/**
 * R-M1: the bank's per-line results, each applied exactly once (by the bank's result id) and in
 * the bank's order (a result reported before the one already applied is kept but not applied).
 * The line's ledger rows follow it, with history rows. Returned money is raised to supervisors.
 */
export async function applyPaymentResults(
  pool: pg.Pool,
  results: PaymentResultInput[],
): Promise<{ outcomes: PaymentResultOutcome[]; payrolls: string[] }> {
  const payrolls = new Set<string>();
  const outcomes: PaymentResultOutcome[] = [];
  for (const r of results) {
    outcomes.push(
      await inTransaction(pool, async (db) => {
        const line = (
          await db.query(
            `SELECT pl.line_id, pl.payroll_id, pl.status, pl.result_at, pl.case_id, c.village_code, p.county_code
             FROM payment_lines pl JOIN payrolls p ON p.payroll_id = pl.payroll_id
             LEFT JOIN cases c ON c.case_id = pl.case_id WHERE pl.line_id = $1 FOR UPDATE OF pl`,
            [r.lineId],
          )
        ).rows[0];
        const seen = await db.query('SELECT 1 FROM payment_results WHERE result_id = $1', [r.resultId]);
        if (seen.rowCount) return 'duplicate';
        if (!line) return 'unknown_line';
        const inOrder = !line.result_at || new Date(r.reportedAt) >= new Date(line.result_at);
        const allowed = (NEXT[line.status] ?? []).includes(r.outcome);
        const apply = inOrder && allowed;
        await db.query(
          `INSERT INTO payment_results (result_id, line_id, outcome, reason, reported_at, applied)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [r.resultId, r.lineId, r.outcome, r.reason ?? null, r.reportedAt, apply],
        );
        if (!apply) return line.status === r.outcome ? 'duplicate' : 'stale';
        await db.query('UPDATE payment_lines SET status = $2, result_at = $3 WHERE line_id = $1', [
          r.lineId,
          r.outcome,
          r.reportedAt,
        ]);
        await db.query(
          `UPDATE ledger SET status = $2, updated_at = now() WHERE payment_line_id = $1 AND status <> $2`,
          [r.lineId, r.outcome],
        );
        if (r.outcome === 'returned') {
          await db.query(
            `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code,
               village_code, flag, deadline_kind, due_on)
             VALUES ($1, 'payment', $2, $3, $4, $5, 'overdue', 'payment_returned', $6::timestamptz::date)
             ON CONFLICT DO NOTHING`,
            [
              `payment:${r.lineId}:returned`,
              r.lineId,
              line.county_code,
              (line.village_code ?? `${line.county_code}000000`).slice(0, 9),
              line.village_code ?? `${line.county_code}000000`,
              r.reportedAt,
            ],
          );
        }
        payrolls.add(line.payroll_id);
        return 'applied';
      }),
    );
  }
  return { outcomes, payrolls: [...payrolls] };
}
