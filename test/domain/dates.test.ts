import { UTCDate } from '@date-fns/utc';
import { fc, test } from '@fast-check/vitest';
import {
  differenceInCalendarDays,
  addDays as fnsAddDays,
  addMonths as fnsAddMonths,
  lastDayOfMonth as fnsLastDayOfMonth,
  format,
  getDay,
} from 'date-fns';
import { describe, expect } from 'vitest';
import {
  addDays,
  addMonths,
  addMonthsToYearMonth,
  assertCivilDate,
  civilDateOf,
  compareDates,
  dayInMonth,
  dayOfWeek,
  daysBetween,
  endOfCivilDay,
  firstDayOfMonth,
  isCivilDate,
  isYearMonth,
  lastDayOfMonth,
  maxDate,
  minDate,
  monthOf,
  yearOf,
} from '../../domain/dates';

// Any civil date 1990–2049, built from a day offset so every generated value is valid.
const civilDate = fc.integer({ min: 0, max: 60 * 366 }).map((i) => addDays('1990-01-01', i));

describe('civil dates (R-T1: dates are civil dates in Asia/Shanghai)', () => {
  test('R-T1: only real YYYY-MM-DD dates are civil dates', () => {
    for (const ok of ['2026-01-01', '2028-02-29', '2026-12-31', '1000-01-01', '9999-12-31']) {
      expect(isCivilDate(ok)).toBe(true);
    }
    for (const bad of [
      '2026-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-1-01',
      '2026-01-01T00:00',
      '0099-01-01',
      ' 2026-01-01',
      '',
      20260101,
      null,
      undefined,
    ]) {
      expect(isCivilDate(bad)).toBe(false);
    }
    expect(() => assertCivilDate('2026-02-30')).toThrow(RangeError);
    expect(() => addDays('2026/01/01', 1)).toThrow(RangeError);
  });

  test('R-T1: a period in months ends on the same day or the end month’s last day', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-07-05', 3)).toBe('2026-10-05');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  test.prop([civilDate, fc.integer({ min: -36, max: 36 })])(
    'R-T1: month arithmetic keeps the day-of-month or clamps it to month end',
    (date, months) => {
      const result = addMonths(date, months);
      const month = monthOf(result);
      expect(month).toBe(addMonthsToYearMonth(monthOf(date), months));
      const wanted = Number(date.slice(8));
      const lastDay = Number(lastDayOfMonth(month).slice(8));
      expect(Number(result.slice(8))).toBe(Math.min(wanted, lastDay));
    },
  );

  test.prop([civilDate, fc.integer({ min: -1000, max: 1000 })])(
    'R-T1: adding days and counting days agree',
    (date, days) => {
      const later = addDays(date, days);
      expect(daysBetween(date, later)).toBe(days);
      expect(addDays(later, -days)).toBe(date);
      expect(compareDates(later, date)).toBe(Math.sign(days));
    },
  );

  test('R-T2: day of week (0 = Sunday)', () => {
    expect(dayOfWeek('2026-01-10')).toBe(6);
    expect(dayOfWeek('2026-09-20')).toBe(0);
    expect(dayOfWeek('2026-11-23')).toBe(1);
    expect(dayOfWeek('2026-02-14')).toBe(6);
  });

  test('R-M1: months, their first and last days', () => {
    expect(monthOf('2026-03-09')).toBe('2026-03');
    expect(yearOf('2026-03-09')).toBe(2026);
    expect(firstDayOfMonth('2026-10')).toBe('2026-10-01');
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
    expect(addMonthsToYearMonth('2026-12', 1)).toBe('2027-01');
    expect(addMonthsToYearMonth('2026-01', -13)).toBe('2024-12');
    expect(dayInMonth('2026-02', 10)).toBe('2026-02-10');
    expect(dayInMonth('2026-02', 31)).toBe('2026-02-28');
    expect(isYearMonth('2026-13')).toBe(false);
    expect(() => firstDayOfMonth('2026-1')).toThrow(RangeError);
  });

  test('R-T1: min and max of civil dates', () => {
    expect(minDate('2026-03-02', '2025-12-31', '2026-01-01')).toBe('2025-12-31');
    expect(maxDate('2026-03-02', '2025-12-31', '2026-11-01')).toBe('2026-11-01');
    expect(() => minDate('2026-03-02', 'nope')).toThrow(RangeError);
  });

  test('R-T1: a day ends at 24:00 Asia/Shanghai, which is 16:00 UTC', () => {
    expect(endOfCivilDay('2026-03-09').toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(endOfCivilDay('2026-12-31').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(civilDateOf(new Date('2026-03-09T15:59:59.999Z'))).toBe('2026-03-09');
    expect(civilDateOf(new Date('2026-03-09T16:00:00.000Z'))).toBe('2026-03-10');
    expect(civilDateOf(new Date('2026-03-08T16:00:00.000Z'))).toBe('2026-03-09');
    expect(() => civilDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });

  test.prop([civilDate])('R-T1: the end of a civil day is the first instant of the next', (date) => {
    const end = endOfCivilDay(date);
    expect(civilDateOf(end)).toBe(addDays(date, 1));
    expect(civilDateOf(new Date(end.getTime() - 1))).toBe(date);
    expect(civilDateOf(new Date(end.getTime() - 24 * 3600 * 1000))).toBe(date);
  });
});

// R-T1: the day arithmetic works on UTC-calendar milliseconds; it must give what date-fns on a
// UTC date gives (recorded histories were computed with it and replay against this code).
describe('R-T1 day arithmetic equals date-fns on the UTC calendar', () => {
  const reference = (d: string) => new UTCDate(`${d}T00:00:00Z`);
  const civil = fc
    .date({
      min: new Date('1950-01-01T00:00:00Z'),
      max: new Date('2150-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  test.prop([civil, fc.integer({ min: -4000, max: 4000 })])('addDays, dayOfWeek, daysBetween', (d, n) => {
    const later = addDays(d, n);
    expect(later).toBe(format(fnsAddDays(reference(d), n), 'yyyy-MM-dd'));
    expect(dayOfWeek(later)).toBe(getDay(reference(later)));
    expect(daysBetween(d, later)).toBe(differenceInCalendarDays(reference(later), reference(d)));
  });
  test.prop([civil, fc.integer({ min: -300, max: 300 })])(
    'addMonths, lastDayOfMonth, civilDateOf',
    (d, n) => {
      expect(addMonths(d, n)).toBe(format(fnsAddMonths(reference(d), n), 'yyyy-MM-dd'));
      const month = d.slice(0, 7);
      expect(lastDayOfMonth(month)).toBe(format(fnsLastDayOfMonth(reference(`${month}-01`)), 'yyyy-MM-dd'));
      expect(civilDateOf(new Date(`${d}T15:59:59.999Z`))).toBe(d);
      expect(civilDateOf(new Date(`${d}T16:00:00Z`))).toBe(addDays(d, 1));
    },
  );
});
