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
import type { Adjustment, CaseInput, CloseReason } from '../contracts';
import { type By, CaseCore, SYSTEM } from './core';
import { startImported } from './imported';

// The case's entitlement as effective-dated rates (R-A8), the settlement of months already rostered
// into back-pay or recovery (R-M2, R-M5, R-M8), closing (R-M2, R-M3, R-M5) and the written notice of
// every stop, reduction or suspension (R-M9). The rules call these; none is a rule by itself.

export class CaseLedger extends CaseCore {
  constructor(input: CaseInput, now: Date) {
    super(input);
    if (input.carried) return;
    if (input.imported) {
      startImported(this, input.imported, now);
      return;
    }
    // R-A8: the approval's rate, from the start month.
    const persons = this.view.persons;
    this.addRate(input.startMonth, input.monthlyAmount, persons, 'approval (R-A8)', 'approval');
    this.record(now, 'case_opened', { sub: input.approvedBy, role: 'county_staff' } as Actor, undefined, {
      monthlyAmount: input.monthlyAmount,
      startMonth: input.startMonth,
      persons,
    });
  }

  addRate(fromMonth: YearMonth, amount: Money, persons: number, reason: string, cause: string) {
    const entry: RateEntry = {
      key: `${this.view.caseId}:${fromMonth}:${cause}`,
      fromMonth,
      monthlyAmount: toMoney(amount),
      persons,
      reason,
      parameterVersion: this.view.policy.version,
    };
    this.view.rates = [...this.view.rates.filter((e) => e.key !== entry.key), entry];
    this.effects.push({ kind: 'rate', entry });
    const now = rateFor(this.view.rates, this.view.nextMonth) ?? entry;
    this.view.monthlyAmount = now.monthlyAmount;
    this.view.persons = now.persons;
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
    const previous = rateFor(this.view.rates, from)?.monthlyAmount ?? '0.00';
    this.addRate(from, amount, persons, reasons, cause);
    this.settleSince(now, from, reasons, cause, this.view.policy.version);
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
    const due =
      dueOverride ??
      ((m: YearMonth) =>
        this.view.status === 'suspended' ? '0.00' : (rateFor(this.view.rates, m)?.monthlyAmount ?? '0.00'));
    const v = this.view;
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
        key: `${this.view.caseId}:${kind}:${cause}`,
        kind,
        amount,
        months,
        reason,
        on,
        parameterVersion: version,
      };
      this.view.adjustments.push(adjustment);
      this.effects.push({ kind: 'adjustment', adjustment });
      this.record(now, kind, SYSTEM, reason, { amount, months });
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
    this.addRate(fromMonth, '0.00', this.coveredPersons(), `closed: ${reason}`, `close:${reason}`);
    const recoverFrom = overpaidFrom && compareMonths(overpaidFrom, fromMonth) < 0 ? overpaidFrom : fromMonth;
    this.settleSince(now, recoverFrom, reasons, `close:${reason}`, this.view.policy.version, () => '0.00');
    this.view.status = 'closed';
    this.view.taper = undefined;
    this.view.closed = { reason, fromMonth, on: civilDateOf(now) };
    for (const t of this.openTasks()) t.closedOn = civilDateOf(now);
    this.record(now, 'case_closed', by, reasons, { reason, fromMonth });
    this.notice(now, by, 'stop', reasons);
  }

  /** R-M9 / R-A7: every stop, reduction or suspension in writing, with the reasons. */
  notice(now: Date, by: By, kind: 'stop' | 'reduction' | 'suspension', reasons: string) {
    this.effects.push({ kind: 'notice', notice: kind, reasons, on: civilDateOf(now), by: by.sub });
  }

  noticeIssued(noticeId: string) {
    if (!this.view.notices.includes(noticeId)) this.view.notices.push(noticeId);
  }
}
