import { WorkingCalendar } from '../../domain/calendar';
import { addDays, type CivilDate, isWeekend } from '../../domain/dates';

// R-T2 in tests: a year whose calendar is not published counts Monday–Friday and its deadlines are
// provisional until an administrator publishes it. Which years the shipped calendar (chinese-days)
// knows changes with the package, so a test that needs an unpublished year asks for one here
// instead of naming it, and computes what it expects on the calendar rather than writing dates down.

/** The first year from `atLeast` on that the shipped calendar does not know (after its last known year). */
export function unpublishedYear(atLeast = 0): number {
  const cal = WorkingCalendar.builtin();
  let year = Math.max(Math.max(...cal.knownYears()) + 1, atLeast);
  while (cal.knows(year)) year++;
  return year;
}

/** The first Monday–Friday on or after `date`. */
export function weekdayOnOrAfter(date: CivilDate): CivilDate {
  let d = date;
  while (isWeekend(d)) d = addDays(d, 1);
  return d;
}

/** The first `n` Monday–Friday days of January of `year` (holidays for a published calendar). */
export function firstWeekdaysOf(year: number, n: number): CivilDate[] {
  const days: CivilDate[] = [];
  for (let d = weekdayOnOrAfter(`${year}-01-01`); days.length < n; d = weekdayOnOrAfter(addDays(d, 1)))
    days.push(d);
  return days;
}
