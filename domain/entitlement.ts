import type { WorkingCalendar } from './calendar';
import { addMonthsToYearMonth, type CivilDate, compareDates, monthOf, type YearMonth } from './dates';
import { DEFAULT_DEADLINE_PARAMETERS, type DeadlineParameters, rosterDate } from './deadlines';
import {
  add,
  compare,
  DEFAULT_ROUNDING,
  div,
  isZero,
  type Money,
  mul,
  type RoundingRule,
  roundMoney,
  sub,
  toMoney,
} from './money';

// A case's entitlement over time (R-A8, R-M2, R-M3, R-M8): effective-dated rate entries, the months
// already handed to the payroll, and the settlement (back-pay or recovery) when a rate changes for
// months that were already rostered at the old amount. Pure: the case workflow calls it with
// workflow time; the payroll reads what the workflow records.

/** An effective-dated rate: from this month on, this monthly amount (until a later entry). */
export interface RateEntry {
  key: string;
  fromMonth: YearMonth;
  monthlyAmount: Money;
  persons: number;
  reason: string;
  parameterVersion: string;
}

/** A month handed to the payroll at its roster cut-off, with the amount then due. */
export interface RosteredMonth {
  month: YearMonth;
  amount: Money;
  persons: number;
  status: 'regular' | 'taper' | 'suspended';
}

/** Quarter months from `month` to the quarter's end (R-E6 quarterly: paid at the start). */
export function restOfQuarter(month: YearMonth): YearMonth[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const end = Math.ceil(m / 3) * 3;
  return Array.from({ length: end - m + 1 }, (_, i) => `${y}-${String(m + i).padStart(2, '0')}`);
}

/**
 * R-E6, R-M10: the months the payroll actually paid. Quarterly support is paid at the start of the
 * quarter: the first month a case hands over in a quarter pays the rest of that quarter at its amount,
 * and the later months of the quarter pay nothing more (their ledger rows are already there). A
 * change or a death within the quarter is then settled against money already paid in advance.
 */
export function paidMonths(rostered: readonly RosteredMonth[], quarterly: boolean): RosteredMonth[] {
  if (!quarterly) return [...rostered];
  const quarterOf = (m: YearMonth) => `${m.slice(0, 4)}Q${Math.ceil(Number(m.slice(5, 7)) / 3)}`;
  const first = new Map<string, RosteredMonth>();
  for (const r of rostered) if (!first.has(quarterOf(r.month))) first.set(quarterOf(r.month), r);
  return [...first.values()].flatMap((r) => restOfQuarter(r.month).map((month) => ({ ...r, month })));
}

export interface SettlementLine {
  month: YearMonth;
  paid: Money;
  due: Money;
  /** due − paid: positive is back-pay owed to the household, negative an overpayment. */
  difference: Money;
}

export interface Settlement {
  backPay: Money;
  recovery: Money;
  lines: SettlementLine[];
}

export const compareMonths = (a: YearMonth, b: YearMonth): number => (a < b ? -1 : a > b ? 1 : 0);

/** The rate in force for a month: the latest entry starting on or before it; ties go to the later one. */
export function rateFor(entries: readonly RateEntry[], month: YearMonth): RateEntry | undefined {
  let best: RateEntry | undefined;
  for (const e of entries) {
    if (compareMonths(e.fromMonth, month) <= 0 && (!best || compareMonths(e.fromMonth, best.fromMonth) >= 0))
      best = e;
  }
  return best;
}

/** The instant the roster for a month is cut (R-M1): the start of its roster date, Asia/Shanghai. */
export function rosterCutoff(
  cal: WorkingCalendar,
  month: YearMonth,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): CivilDate {
  return rosterDate(cal, month, params).date;
}

/** Whether a month's roster has been cut on `today` (its roster date has begun). */
export function isRostered(
  cal: WorkingCalendar,
  month: YearMonth,
  today: CivilDate,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): boolean {
  return compareDates(rosterCutoff(cal, month, params), today) <= 0;
}

/** The months from `first` whose roster is cut by `today`, in order (R-M1). */
export function rosteredMonthsSince(
  cal: WorkingCalendar,
  first: YearMonth,
  today: CivilDate,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): YearMonth[] {
  const out: YearMonth[] = [];
  const last = addMonthsToYearMonth(monthOf(today), 1);
  for (let m = first; compareMonths(m, last) <= 0; m = addMonthsToYearMonth(m, 1)) {
    if (!isRostered(cal, m, today, params)) break;
    out.push(m);
  }
  return out;
}

/**
 * R-M2 / R-M8: what a change of rate means for months already rostered. Each rostered month from
 * `fromMonth` on is compared with what is now due; the sums of the positive and negative
 * differences are the back-pay and the recovery (kept apart: they are different ledger kinds).
 */
export function settle(
  rostered: readonly RosteredMonth[],
  fromMonth: YearMonth,
  dueFor: (month: YearMonth) => Money,
): Settlement {
  const lines: SettlementLine[] = [];
  let backPay = '0';
  let recovery = '0';
  for (const r of rostered) {
    if (compareMonths(r.month, fromMonth) < 0) continue;
    const due = toMoney(dueFor(r.month));
    const difference = toMoney(sub(due, r.amount));
    if (isZero(difference)) continue;
    lines.push({ month: r.month, paid: r.amount, due, difference });
    if (compare(difference, 0) > 0) backPay = add(backPay, difference);
    else recovery = sub(recovery, difference);
  }
  return { backPay: toMoney(backPay), recovery: toMoney(recovery), lines };
}

/**
 * R-M3: employment lifts income above the standard in the month of the report: the household keeps
 * its amount for the next `payments` monthly payments, then exits from the month after the last.
 */
export function taperMonths(reportedOn: CivilDate, payments: number) {
  const firstMonth = addMonthsToYearMonth(monthOf(reportedOn), 1);
  const lastMonth = addMonthsToYearMonth(firstMonth, payments - 1);
  return { firstMonth, lastMonth, exitMonth: addMonthsToYearMonth(lastMonth, 1) };
}

/**
 * R-M8: a standard change moves a case's amount by (new − old standard) × persons covered. For an
 * amount that is the shortfall (standard × n − income, R-E1) this equals recomputing it, and it keeps
 * any amount staff set on other grounds; nothing goes below zero.
 */
export function amountAfterStandardChange(
  current: Money,
  oldStandard: Money,
  newStandard: Money,
  persons: number,
): Money {
  const next = add(current, mul(sub(newStandard, oldStandard), persons));
  return compare(next, 0) < 0 ? '0.00' : toMoney(next);
}

/**
 * R-M1 for an imported case: the first month the case hands to a payroll is the earliest month from
 * `from` (and not before this month) whose roster cut-off is still ahead — the next payroll's month.
 * Months before it were paid by the system the case came from: no back-pay.
 */
export function firstMonthToRoster(
  cal: WorkingCalendar,
  today: CivilDate,
  from: YearMonth,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): YearMonth {
  let m = compareMonths(from, monthOf(today)) > 0 ? from : monthOf(today);
  while (compareDates(rosterCutoff(cal, m, params), today) <= 0) m = addMonthsToYearMonth(m, 1);
  return m;
}

/**
 * R-E6: extreme-poverty support is per person. The amount of a rate without one of its persons: the
 * others' share of it, rounded once (by the county's rule). One person left of one: nothing.
 */
export function withoutOnePerson(amount: Money, persons: number, rounding: RoundingRule = DEFAULT_ROUNDING) {
  if (persons <= 1) return '0.00';
  return roundMoney(div(mul(amount, persons - 1), persons), rounding);
}

/** The months an imported case's previous system paid, at the amount it was imported with (R-M10). */
export interface PaidBeforeImport {
  fromMonth: YearMonth;
  throughMonth: YearMonth;
  monthlyAmount: Money;
  persons: number;
}

/** R-M10: those months as paid months, so that a recovery can reach them (never a payroll's). */
export function monthsPaidBefore(p: PaidBeforeImport): RosteredMonth[] {
  const out: RosteredMonth[] = [];
  for (let m = p.fromMonth; compareMonths(m, p.throughMonth) <= 0; m = addMonthsToYearMonth(m, 1))
    out.push({ month: m, amount: p.monthlyAmount, persons: p.persons, status: 'regular' });
  return out;
}
