import { addMonthsToYearMonth, compareDates, monthOf, type YearMonth } from '../../domain/dates';
import { compareMonths, rateFor, withoutOnePerson } from '../../domain/entitlement';
import { isZero } from '../../domain/money';
import type { DeathNotice } from '../contracts';
import type { CaseParts } from './ledger';
import { type By, maxMonth } from './record';

// R-M2 deaths whose consequence the death alone decides, without a household review:
// - R-E6: extreme-poverty support is per person, so one supported person's death ends that person's
//   share from the month after death (the others' support goes on);
// - R-M10: a death reported after the case closed, dated inside months that were paid, recovers
//   what was paid for the deceased in those months; the case raises the repayment demand.

/**
 * R-E6: the person's support ends from `from`: every rate in force from then (up to `until`) loses
 * one person's share. Answers the amounts before and after at `from`.
 */
function dropShare(
  { record: r, ledger }: CaseParts,
  from: YearMonth,
  reasons: string,
  cause: string,
  until?: YearMonth,
) {
  const v = r.view;
  const rounding = v.policy.rounding;
  const atFrom = rateFor(v.rates, from);
  const entries = [
    ...(atFrom ? [{ ...atFrom, fromMonth: from }] : []),
    ...v.rates.filter(
      (e) => compareMonths(e.fromMonth, from) > 0 && (!until || compareMonths(e.fromMonth, until) < 0),
    ),
  ];
  for (const e of entries) {
    if (isZero(e.monthlyAmount) || e.persons < 1) continue;
    ledger.addRate(
      e.fromMonth,
      withoutOnePerson(e.monthlyAmount, e.persons, rounding),
      e.persons - 1,
      reasons,
      cause,
    );
  }
  return {
    before: atFrom?.monthlyAmount ?? '0.00',
    after: rateFor(v.rates, from)?.monthlyAmount ?? '0.00',
  };
}

/**
 * R-E6 R-M2: an extreme-poverty person died and others are still supported: that person's support
 * ends from `from` (the month after death; the first month when the death preceded the admission),
 * months already paid are settled (a recovery) and the reduction is notified in writing (R-M9).
 */
export function endSupport(c: CaseParts, n: DeathNotice, now: Date, by: By, from: YearMonth): void {
  const { record: r, ledger } = c;
  const v = r.view;
  const cause = `death:${n.noticeId}`;
  const reasons = `extreme-poverty support is per person: the support of a person who died on ${n.diedOn} ends from ${from} (R-E6, R-M2)`;
  const { before, after } = dropShare(c, from, reasons, cause);
  ledger.settleSince(now, from, reasons, cause, v.policy.version);
  ledger.notice(
    now,
    by,
    'reduction',
    `${reasons}: ${before} → ${after} a month, ${r.coveredPersons()} supported`,
  );
}

/**
 * R-M2 R-M10: a death the case learns of after it closed. The months from the one after death (from
 * the first month when the death preceded the admission) up to the closure were paid for the
 * deceased: the only recipient's months in full, an extreme-poverty person's share (R-E6). The
 * recovery is recorded here; the workflow raises the demand, whose notice is the written one. A
 * larger dibao household's amount after a death is its review's decision, which a closed case no
 * longer takes: the death is recorded only.
 */
export function recoverAfterClosure(c: CaseParts, n: DeathNotice, now: Date): void {
  const { record: r, ledger } = c;
  const v = r.view;
  const until = v.closed?.fromMonth;
  if (!until) return;
  const early = compareDates(n.diedOn, v.approvedOn) < 0;
  const from = early ? v.startMonth : maxMonth(addMonthsToYearMonth(monthOf(n.diedOn), 1), v.startMonth);
  if (compareMonths(from, until) >= 0) return; // nothing was paid after the death
  const cause = `death:${n.noticeId}`;
  const reasons =
    `a death on ${n.diedOn} reported after the case closed: what was paid for the deceased from ${from} ` +
    `until the closure in ${until} is recovered (R-M2, R-M10)`;
  if (r.coveredPersons() === 0) ledger.addRate(from, '0.00', 0, reasons, cause);
  else if (v.category === 'extreme_poverty') dropShare(c, from, reasons, cause, until);
  else return;
  ledger.settleSince(now, from, reasons, cause, v.policy.version, undefined, until);
}
