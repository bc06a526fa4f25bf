import type { LedgerStatements } from '../../db/repositories/ledger';
import type { YearMonth } from '../../domain/dates';

// Adjustments (R-M2 recoveries, R-M8 back-pay) are settled by the roster page that pays them, in
// the same transaction as their ledger rows. Recoveries a repayment demand took over (R-M10) are
// not offset any more (the settlement leaves them out).

/** R-M10: the household keeps at least this share of its regular money in a month (policy default). */
export const DEFAULT_OFFSET_FLOOR = '0.5';

/**
 * Open back-pay becomes one `back_pay` row per case; open recoveries become one negative
 * `recovery_offset` row (R-M2, R-M10: offset against later payments), no larger than the case's
 * back-pay this payroll plus the part of its regular money above `floor` × that money (rounded
 * down to the fen): the household is never left below the floor, and the rest of the recovery
 * waits for later payments. Adjustments are settled only when their row was written now, so a
 * retry settles nothing twice. Set-based, in the server (`db/repositories/ledger-settlement.ts`):
 * the cases' open adjustments are locked first, so two payrolls of the county never settle the
 * same money.
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
  if (!(await tx.lockOpenAdjustments(caseIds))) return 0;
  return tx.settleAdjustments(payrollId, countyCode, month, caseIds, floor);
}
