import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';
import type { Money } from '../../domain/money';
import type { PaymentResultOutcome } from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { raiseAlert } from './alerts';
import type { BankLine } from './payment-lines';
import { NEXT } from './payroll-results';

// R-A10, R-M1: a temporary grant is paid at once, exactly once, through the ledger (kind
// `temporary_grant`) and a bank line of its own, and the bank's result follows the line. Written
// only by the temporary-assistance workflow's activities (`payTemporaryGrant`,
// `applyTemporaryPaymentResult`); the request is the payment's batch (its `payroll_id`,
// migration 140), so nothing here touches a monthly payroll.

/** The grant's one bank line: `<assistance id>:grant`. */
export const grantLineId = (assistanceId: string) => `${assistanceId}:grant`;

export interface TemporaryResult {
  assistanceId: string;
  lineId: string;
  resultId: string;
  outcome: 'paid' | 'failed' | 'returned';
  reason?: string;
  reportedAt: string;
}

export function temporaryPaymentsRepository(pool: pg.Pool) {
  return {
    /**
     * The grant's ledger row (sent) and its bank line in one transaction, keyed by the request: a
     * retried activity writes nothing twice and answers the line as first written. The payee is the
     * person who asked (the first member); the card is numbered by their ID number, as the payroll's.
     */
    async pay(assistanceId: string, amount: Money, month: YearMonth): Promise<BankLine> {
      const lineId = grantLineId(assistanceId);
      return inTransaction(pool, async (db) => {
        await db.query(
          `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
             residence, persons, amount, status, payment_line_id, source_keys)
           SELECT assistance_id, $2, 'temporary_grant', assistance_id, county_code, township_code, village_code,
             'temporary_assistance', residence, persons, $3, 'sent', $4, ARRAY[assistance_id]
           FROM temporary_assistance WHERE assistance_id = $1
           ON CONFLICT DO NOTHING`,
          [assistanceId, month, amount, lineId],
        );
        await db.query(
          `INSERT INTO payment_lines (line_id, payroll_id, case_id, card_number, payee_name, amount, months, status, attempt)
           SELECT $2, assistance_id, assistance_id, view->'members'->0->>'idNumber', view->'members'->0->>'name', $3, $4,
             'sent', 1
           FROM temporary_assistance WHERE assistance_id = $1
           ON CONFLICT (line_id) DO NOTHING`,
          [assistanceId, lineId, amount, month],
        );
        const { rows } = await db.query(
          `SELECT line_id, card_number, payee_name, amount, months FROM payment_lines WHERE line_id = $1`,
          [lineId],
        );
        const r = rows[0];
        if (!r) throw new Error(`no temporary-assistance row ${assistanceId} to pay`);
        return {
          lineId: r.line_id,
          cardNumber: r.card_number,
          payeeName: r.payee_name,
          amount: r.amount,
          months: r.months,
        };
      });
    },

    /**
     * One result of the bank for the grant's line: applied once (by the bank's result id) and in the
     * bank's order, the ledger row following the line. A failure or a return is raised to
     * supervisors (R-M1: escalated, never silently lost; a grant has no later payroll to retry it).
     */
    async applyResult(r: TemporaryResult): Promise<PaymentResultOutcome> {
      return inTransaction(pool, async (db) => {
        const line = (
          await db.query(
            `SELECT pl.status, pl.result_at, t.village_code FROM payment_lines pl
             JOIN temporary_assistance t ON t.assistance_id = pl.payroll_id
             WHERE pl.line_id = $1 AND pl.payroll_id = $2 FOR UPDATE OF pl`,
            [r.lineId, r.assistanceId],
          )
        ).rows[0];
        const seen = await db.query('SELECT 1 FROM payment_results WHERE result_id = $1', [r.resultId]);
        if (seen.rowCount) return 'duplicate';
        if (!line) return 'unknown_line';
        const inOrder = !line.result_at || new Date(r.reportedAt) >= new Date(line.result_at);
        const apply = inOrder && (NEXT[line.status] ?? []).includes(r.outcome);
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
          `UPDATE ledger SET status = $3, updated_at = now()
           WHERE payroll_id = $1 AND case_id = $1 AND payment_line_id = $2 AND status <> $3`,
          [r.assistanceId, r.lineId, r.outcome],
        );
        if (r.outcome !== 'paid') {
          const village: string = line.village_code;
          await raiseAlert(db, {
            alertKey: `payment:${r.lineId}:${r.outcome}`,
            subjectKind: 'temporary_assistance',
            subjectId: r.assistanceId,
            countyCode: village.slice(0, 6),
            townshipCode: village.slice(0, 9),
            villageCode: village,
            flag: 'overdue',
            deadlineKind: `payment_${r.outcome}`,
            dueOn: r.reportedAt,
          });
        }
        return 'applied';
      });
    },
  };
}
