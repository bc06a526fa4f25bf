import type pg from 'pg';
import type { PaymentResultInput, PaymentResultOutcome } from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { raiseAlert } from './alerts';

// `payment_results`, and the bank's answer carried onto `payment_lines` and the ledger rows of the
// line (R-M1). Written only by the payroll workflow's activity, one transaction per result.

// Allowed moves of a bank line: a later return of paid money, a correction of a failure.
const NEXT: Record<string, readonly string[]> = {
  sent: ['paid', 'failed', 'returned'],
  paid: ['returned'],
  failed: ['paid'],
};

export function payrollResultsRepository(pool: pg.Pool) {
  return {
    /** One result of the bank for a line of `payrollId`: applied once, in the bank's order. */
    async apply(payrollId: string, r: PaymentResultInput): Promise<PaymentResultOutcome> {
      return inTransaction(pool, async (db) => {
        const line = (
          await db.query(
            `SELECT pl.line_id, pl.payroll_id, pl.status, pl.result_at, pl.case_id, c.village_code, p.county_code
             FROM payment_lines pl JOIN payrolls p ON p.payroll_id = pl.payroll_id
             LEFT JOIN cases c ON c.case_id = pl.case_id WHERE pl.line_id = $1 AND pl.payroll_id = $2
             FOR UPDATE OF pl`,
            [r.lineId, payrollId],
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
          // The line's rows, found by its payroll and case (ledger_payroll; payment_line_id has no index).
          `UPDATE ledger l SET status = $2, updated_at = now() FROM payment_lines pl
           WHERE pl.line_id = $1 AND l.payroll_id = pl.payroll_id AND l.case_id = pl.case_id
             AND l.payment_line_id = $1 AND l.status <> $2`,
          [r.lineId, r.outcome],
        );
        if (r.outcome === 'returned') {
          const village = line.village_code ?? `${line.county_code}000000`;
          await raiseAlert(db, {
            alertKey: `payment:${r.lineId}:returned`,
            subjectKind: 'payment',
            subjectId: r.lineId,
            countyCode: line.county_code,
            townshipCode: village.slice(0, 9),
            villageCode: village,
            flag: 'overdue',
            deadlineKind: 'payment_returned',
            dueOn: r.reportedAt,
          });
        }
        return 'applied';
      });
    },
  };
}
