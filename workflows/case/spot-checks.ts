import { isZero, toMoney } from '../../domain/money';
import type { SpotCheckCaseFinding } from '../contracts';
import type { CaseParts } from './ledger';

// R-O2: the county's spot check found the township's decision wrong. A corrected amount is the
// rate the decision should have set from the start month: months already rostered become back-pay
// or a recovery (R-M2 arithmetic), a lower amount a reduction notice (R-M9). A reversed approval
// stops the benefit from the next month not yet handed to the payroll, with a stop notice (R-M9);
// what was paid in good faith on the township's decision is not recovered.

/** Applies a spot-check finding once (signals are delivered at least once; the check id dedupes). */
export function applySpotCheckFinding(
  { record: r, ledger }: CaseParts,
  f: SpotCheckCaseFinding,
  now: Date,
): void {
  const key = `spot_check:${f.checkId}`;
  if (r.hasSeen(key)) return;
  r.markSeen(key);
  const v = r.view;
  if (r.closed) {
    r.record(now, 'spot_check_finding_ignored', f.actor, f.reasons, {
      checkId: f.checkId,
      outcome: f.outcome,
    });
    return;
  }
  r.record(now, `spot_check_${f.outcome}`, f.actor, f.reasons, {
    checkId: f.checkId,
    monthlyAmount: f.monthlyAmount,
  });
  if (f.outcome === 'corrected' && f.monthlyAmount && !isZero(f.monthlyAmount)) {
    ledger.changeRate(
      now,
      f.actor,
      v.startMonth,
      toMoney(f.monthlyAmount),
      r.coveredPersons(),
      f.reasons,
      key,
    );
    return;
  }
  if (f.outcome === 'reversed') ledger.close(now, f.actor, 'spot_check_reversed', v.nextMonth, f.reasons);
}
