import { civilDateOf, type YearMonth } from '../../domain/dates';
import {
  compareMonths,
  monthsPaidBefore,
  paidMonths,
  type RateEntry,
  rateFor,
  settle,
} from '../../domain/entitlement';
import { add, compare, isZero, type Money, toMoney } from '../../domain/money';
import type { Actor } from '../../domain/roles';
import type { Adjustment, CloseReason } from '../contracts';
import { type By, type CaseRecord, SYSTEM } from './record';

// The case's entitlement, the other part of the case state beside its record: effective-dated rates
// (R-A8), the settlement of months already rostered into back-pay or recovery (R-M2, R-M5, R-M8),
// closing (R-M2, R-M3, R-M5) and the written notice of every stop, reduction or suspension (R-M9).
// The rules call these; none is a rule by itself.

/** What every rule module works on: the case's record and its ledger (CaseState holds both). */
export interface CaseParts {
  readonly record: CaseRecord;
  readonly ledger: CaseLedger;
}

export class CaseLedger {
  constructor(private readonly rec: CaseRecord) {}

  addRate(fromMonth: YearMonth, amount: Money, persons: number, reason: string, cause: string) {
    const v = this.rec.view;
    const entry: RateEntry = {
      key: `${v.caseId}:${fromMonth}:${cause}`,
      fromMonth,
      monthlyAmount: toMoney(amount),
      persons,
      reason,
      parameterVersion: v.policy.version,
    };
    v.rates = [...v.rates.filter((e) => e.key !== entry.key), entry];
    this.rec.effects.push({ kind: 'rate', entry });
    const now = rateFor(v.rates, v.nextMonth) ?? entry;
    v.monthlyAmount = now.monthlyAmount;
    v.persons = now.persons;
  }

  /** A new amount from a month; months already rostered are settled; a reduction is notified (R-M9). */
  changeRate(
    now: Date,
    by: Actor,
    from: YearMonth,
    amount: Money,
    persons: number,
    reasons: string,
    cause: string,
  ) {
    const v = this.rec.view;
    const previous = rateFor(v.rates, from)?.monthlyAmount ?? '0.00';
    this.addRate(from, amount, persons, reasons, cause);
    this.settleSince(now, from, reasons, cause, v.policy.version);
    if (compare(amount, previous) < 0)
      this.notice(now, by, 'reduction', `${reasons} (from ${from}: ${previous} → ${amount})`);
  }

  /**
   * Settles rostered months from `from` (before `until`, when given) against the rates now in
   * force: back-pay and/or recovery. Months an imported case's previous system paid count for a
   * recovery only (no back-pay for what the old system decided, R-M1).
   */
  settleSince(
    now: Date,
    from: YearMonth,
    reason: string,
    cause: string,
    version: string,
    dueOverride?: (m: YearMonth) => Money,
    until?: YearMonth,
  ) {
    const v = this.rec.view;
    const due =
      dueOverride ??
      ((m: YearMonth) =>
        v.status === 'suspended' ? '0.00' : (rateFor(v.rates, m)?.monthlyAmount ?? '0.00'));
    // R-E6, R-M10: quarterly support paid in advance is settled as paid for the whole quarter.
    const quarterly =
      v.category === 'extreme_poverty' && v.policy.extremePoverty.paymentFrequency === 'quarterly';
    const before = (r: { month: YearMonth }) => !until || compareMonths(r.month, until) < 0;
    const paid = paidMonths(v.rostered, quarterly).filter((r) => r.status !== 'suspended' && before(r));
    const s = settle(paid, from, due);
    // R-M10: recoveries reach the months an imported case's previous system paid.
    if (v.paidBeforeImport) {
      const old = settle(monthsPaidBefore(v.paidBeforeImport).filter(before), from, due);
      const lines = old.lines.filter((l) => compare(l.difference, 0) < 0);
      s.lines.unshift(...lines);
      s.recovery = toMoney(add(s.recovery, old.recovery));
    }
    const on = civilDateOf(now);
    for (const [kind, amount] of [
      ['back_pay', s.backPay],
      ['recovery', s.recovery],
    ] as const) {
      if (isZero(amount)) continue;
      const months = s.lines
        .filter((l) => (kind === 'back_pay') === compare(l.difference, 0) > 0)
        .map((l) => l.month);
      const adjustment: Adjustment = {
        key: `${v.caseId}:${kind}:${cause}`,
        kind,
        amount,
        months,
        reason,
        on,
        parameterVersion: version,
      };
      v.adjustments.push(adjustment);
      this.rec.effects.push({ kind: 'adjustment', adjustment });
      this.rec.record(now, kind, SYSTEM, reason, { amount, months });
    }
  }

  /** Stops the benefit from a month: zero rate, recovery of rostered months from then (or from `overpaidFrom`), a written notice. */
  close(
    now: Date,
    by: By,
    reason: CloseReason,
    fromMonth: YearMonth,
    reasons: string,
    overpaidFrom?: YearMonth,
  ) {
    const v = this.rec.view;
    this.addRate(fromMonth, '0.00', this.rec.coveredPersons(), `closed: ${reason}`, `close:${reason}`);
    const recoverFrom = overpaidFrom && compareMonths(overpaidFrom, fromMonth) < 0 ? overpaidFrom : fromMonth;
    this.settleSince(now, recoverFrom, reasons, `close:${reason}`, v.policy.version, () => '0.00');
    v.status = 'closed';
    v.taper = undefined;
    v.closed = { reason, fromMonth, on: civilDateOf(now) };
    for (const t of this.rec.openTasks()) t.closedOn = civilDateOf(now);
    this.rec.record(now, 'case_closed', by, reasons, { reason, fromMonth });
    this.notice(now, by, 'stop', reasons);
  }

  /** R-M9 / R-A7: every stop, reduction or suspension in writing, with the reasons. */
  notice(now: Date, by: By, kind: 'stop' | 'reduction' | 'suspension', reasons: string) {
    this.rec.effects.push({ kind: 'notice', notice: kind, reasons, on: civilDateOf(now), by: by.sub });
  }

  noticeIssued(noticeId: string) {
    const { notices } = this.rec.view;
    if (!notices.includes(noticeId)) notices.push(noticeId);
  }
}
