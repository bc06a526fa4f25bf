import type { LedgerStatements, OpenAdjustment } from '../../db/repositories/ledger';
import type { YearMonth } from '../../domain/dates';
import { add, compare, min, mul, neg, roundMoney, sub, toMoney } from '../../domain/money';

// Adjustments (R-M2 recoveries, R-M8 back-pay) are settled by the roster page that pays them, in
// the same transaction as their ledger rows. Recoveries a repayment demand took over (R-M10) are
// not offset any more (`openAdjustments` leaves them out).

/** R-M10: the household keeps at least this share of its regular money in a month (policy default). */
export const DEFAULT_OFFSET_FLOOR = '0.5';

/**
 * Open back-pay becomes one `back_pay` row per case; open recoveries become one negative
 * `recovery_offset` row (R-M2, R-M10: offset against later payments), no larger than the case's
 * back-pay this payroll plus the part of its regular money above `floor` × that money: the
 * household is never left below the floor, and the rest of the recovery waits for later payments.
 * Adjustments are settled only when their row was written now, so a retry settles nothing twice.
 */
export async function settleAdjustments(
  tx: LedgerStatements,
  payrollId: string,
  countyCode: string,
  month: YearMonth,
  caseIds: string[],
  floor: string = DEFAULT_OFFSET_FLOOR,
): Promise<number> {
  if (!caseIds.length) return 0;
  const open = await tx.openAdjustments(caseIds);
  if (!open.length) return 0;
  const outgoing = await tx.outgoingByCase(payrollId, caseIds);
  const byCase = new Map<string, OpenAdjustment[]>();
  for (const a of open) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a]);
  let written = 0;
  for (const [caseId, adjustments] of byCase) {
    const row = (kind: 'back_pay' | 'recovery_offset', amount: string, keys: string[]) =>
      tx.insertAdjustmentRow({
        caseId,
        month,
        kind,
        payrollId,
        county: countyCode,
        of: adjustments[0]!,
        amount,
        keys,
      });
    const backPay = adjustments.filter((a) => a.kind === 'back_pay');
    const regular = outgoing.get(caseId) ?? '0';
    // Rounded down: the household's share is never rounded away.
    let available = roundMoney(sub(regular, mul(regular, floor)), { scale: 2, mode: 'down' });
    if (backPay.length) {
      const total = backPay.reduce((s, a) => add(s, a.open), '0');
      if (
        await row(
          'back_pay',
          toMoney(total),
          backPay.map((a) => a.key),
        )
      ) {
        written++;
        available = add(available, total);
        for (const a of backPay) await tx.settleFully(a.key);
      }
    }
    const recoveries = adjustments.filter((a) => a.kind === 'recovery');
    if (recoveries.length && compare(available, 0) > 0) {
      const settled: [string, string][] = [];
      let left = available;
      for (const a of recoveries) {
        if (compare(left, 0) <= 0) break;
        const take = min(a.open, left);
        settled.push([a.key, take]);
        left = sub(left, take);
      }
      const total = settled.reduce((s, [, t]) => add(s, t), '0');
      if (
        await row(
          'recovery_offset',
          toMoney(neg(total)),
          settled.map(([k]) => k),
        )
      ) {
        written++;
        for (const [key, take] of settled) await tx.settlePart(key, take);
      }
    }
  }
  return written;
}
