import { monthOf } from '../../domain/dates';
import { amountAfterStandardChange, compareMonths, type RateEntry, rateFor } from '../../domain/entitlement';
import { compare, isZero } from '../../domain/money';
import type { PolicyParameters } from '../../domain/policy';
import type { CaseParts } from './ledger';
import { maxMonth, SYSTEM } from './record';

// R-M8: the county's standard changed from a month (possibly past). Every non-zero rate from then on
// moves by (new − old standard) × its persons; months already rostered get back-pay (or a recovery
// when the standard fell). A version is applied once; an older version arriving late changes nothing.

export function applyStandardChange(
  { record: r, ledger }: CaseParts,
  policy: PolicyParameters,
  now: Date,
): void {
  const v = r.view;
  if (v.appliedPolicyVersions.includes(policy.version)) return;
  if (policy.countyCode !== v.policy.countyCode) return;
  v.appliedPolicyVersions.push(policy.version);
  if (policy.effectiveFrom < v.policy.effectiveFrom) {
    // An older version arriving late changes nothing: the newer one already applies.
    r.record(now, 'standard_ignored', SYSTEM, 'older than the standard in force', {
      version: policy.version,
    });
    return;
  }
  const before = v.policy;
  v.policy = policy;
  r.record(now, 'standard_changed', SYSTEM, undefined, {
    version: policy.version,
    effectiveFrom: policy.effectiveFrom,
  });
  const oldStd = r.standard(before);
  const newStd = r.standard(policy);
  if (r.closed || v.category === 'marginal' || compare(oldStd, newStd) === 0) return;
  const eff = maxMonth(monthOf(policy.effectiveFrom), v.startMonth);
  const oldRates = [...v.rates];
  const moved = (e: RateEntry) => amountAfterStandardChange(e.monthlyAmount, oldStd, newStd, e.persons);
  const reason = `standard ${policy.version} (R-M8)`;
  const cause = `standard:${policy.version}`;
  const atEff = rateFor(oldRates, eff);
  if (atEff && atEff.fromMonth !== eff && !isZero(atEff.monthlyAmount))
    ledger.addRate(eff, moved(atEff), atEff.persons, reason, cause);
  for (const e of oldRates)
    if (compareMonths(e.fromMonth, eff) >= 0 && !isZero(e.monthlyAmount))
      ledger.addRate(e.fromMonth, moved(e), e.persons, reason, cause);
  ledger.settleSince(now, eff, `standard ${policy.version} from ${eff} (R-M8)`, cause, policy.version);
}
