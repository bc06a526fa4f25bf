// Civil dates (`YYYY-MM-DD`) in Asia/Shanghai. China has had no DST since 1991, so the zone is a fixed
// UTC+8 and a civil date can be computed on a UTC calendar without any time-zone database.
// Pure and deterministic: imported by Temporal workflows (no Date.now(), no local time zone).
import { UTCDate } from '@date-fns/utc';
import { addMonths as fnsAddMonths } from 'date-fns';

/** A civil date `YYYY-MM-DD` (Asia/Shanghai). */
export type CivilDate = string;
/** A calendar month `YYYY-MM`. */
export type YearMonth = string;

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
// Years below 1000 are refused: Date.UTC maps years 0–99 to 1900–1999, and no case predates 1000.
const MIN_YEAR = 1000;
/**
 * Years the API accepts wherever it takes a year, month or procedure date (payroll months, visit
 * reports, calendars, accepted-on dates): the programme's records start after 2000, and a date far
 * ahead is a typo that would start a workflow waiting for centuries.
 */
export const EDGE_YEARS = { min: 2000, max: 2100 } as const;

/** A civil date or month whose year lies in EDGE_YEARS (the date or month itself must be valid). */
export function isEdgeYear(value: string): boolean {
  const y = Number(value.slice(0, 4));
  return y >= EDGE_YEARS.min && y <= EDGE_YEARS.max;
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

const DAY_MS = 86_400_000;

/**
 * The instant of a civil date's midnight on the UTC calendar, in ms; validates the date. Day
 * arithmetic is done on these numbers: workflows compute working days a day at a time, and this is
 * their hot path (a date-fns format per day cost a fifth of a case's first workflow task).
 */
function msOf(date: CivilDate): number {
  const m = typeof date === 'string' ? CIVIL_DATE.exec(date) : null;
  if (m) {
    const y = Number(m[1]);
    const month = Number(m[2]) - 1;
    const day = Number(m[3]);
    const t = Date.UTC(y, month, day);
    const d = new Date(t);
    if (y >= MIN_YEAR && d.getUTCMonth() === month && d.getUTCDate() === day) return t;
  }
  throw new RangeError(`not a civil date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/** The civil date of a UTC-calendar instant (years 1000–9999, as CIVIL_DATE reads them). */
function dateOfMs(t: number): CivilDate {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  if (y < MIN_YEAR || y > 9999) throw new RangeError(`date out of range: year ${y}`);
  return d.toISOString().slice(0, 10);
}

function toUtc(date: CivilDate): UTCDate {
  return new UTCDate(msOf(date));
}

export function isCivilDate(value: unknown): value is CivilDate {
  if (typeof value !== 'string') return false;
  try {
    msOf(value);
    return true;
  } catch {
    return false;
  }
}

export function assertCivilDate(value: unknown): asserts value is CivilDate {
  if (!isCivilDate(value)) throw new RangeError(`not a civil date (YYYY-MM-DD): ${JSON.stringify(value)}`);
}

export function isYearMonth(value: unknown): value is YearMonth {
  return typeof value === 'string' && YEAR_MONTH.test(value) && isCivilDate(`${value}-01`);
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return dateOfMs(msOf(date) + Math.trunc(days) * DAY_MS);
}

/** R-T1: same day-of-month in the target month, or that month's last day if it has none. */
export function addMonths(date: CivilDate, months: number): CivilDate {
  return dateOfMs(fnsAddMonths(toUtc(date), months).getTime());
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CivilDate): number {
  return new Date(msOf(date)).getUTCDay();
}

export function isWeekend(date: CivilDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

/** Negative, zero or positive, like a sort comparator. Validates both dates. */
export function compareDates(a: CivilDate, b: CivilDate): number {
  assertCivilDate(a);
  assertCivilDate(b);
  // Fixed-width ISO strings order lexicographically as dates.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(first: CivilDate, ...rest: CivilDate[]): CivilDate {
  return rest.reduce((m, d) => (compareDates(d, m) < 0 ? d : m), first);
}

export function maxDate(first: CivilDate, ...rest: CivilDate[]): CivilDate {
  return rest.reduce((m, d) => (compareDates(d, m) > 0 ? d : m), first);
}

/** Calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return Math.round((msOf(b) - msOf(a)) / DAY_MS);
}

export function yearOf(date: CivilDate): number {
  msOf(date);
  return Number(date.slice(0, 4));
}

export function monthOf(date: CivilDate): YearMonth {
  assertCivilDate(date);
  return date.slice(0, 7);
}

export function firstDayOfMonth(month: YearMonth): CivilDate {
  if (!isYearMonth(month)) throw new RangeError(`not a month (YYYY-MM): ${JSON.stringify(month)}`);
  return `${month}-01`;
}

export function lastDayOfMonth(month: YearMonth): CivilDate {
  const first = new Date(msOf(firstDayOfMonth(month)));
  return dateOfMs(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
}

/** The given day of the month, clamped to the month's last day (a parameter of 31 still means "by month end"). */
export function dayInMonth(month: YearMonth, day: number): CivilDate {
  if (!Number.isInteger(day) || day < 1) throw new RangeError(`not a day of month: ${day}`);
  return minDate(addDays(firstDayOfMonth(month), day - 1), lastDayOfMonth(month));
}

export function addMonthsToYearMonth(month: YearMonth, months: number): YearMonth {
  return monthOf(addMonths(firstDayOfMonth(month), months));
}

/** R-T1: a period ends at 24:00 of its last day, i.e. the next day's 00:00 in Asia/Shanghai. */
export function endOfCivilDay(date: CivilDate): Date {
  return new Date(msOf(date) + DAY_MS - SHANGHAI_OFFSET_MS);
}

/** 00:00 of a civil day in Asia/Shanghai (the instant a day-based flag or cut-off begins). */
export function startOfCivilDay(date: CivilDate): Date {
  return endOfCivilDay(addDays(date, -1));
}

/** The civil date in Asia/Shanghai at which `instant` falls. */
export function civilDateOf(instant: Date): CivilDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid instant');
  return dateOfMs(ms + SHANGHAI_OFFSET_MS);
}
