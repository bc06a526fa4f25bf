import { fc, test } from '@fast-check/vitest';
import data from 'chinese-days/dist/chinese-days.json';
import { describe, expect } from 'vitest';
import { validateYearCalendar, WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import { addDays, type CivilDate, compareDates, dayOfWeek, isWeekend, yearOf } from '../../domain/dates';

// The oracle reads the chinese-days data directly, independent of WorkingCalendar.
const rawHolidays = data.holidays as Record<string, string>;
const rawWorkdays = data.workdays as Record<string, string>;
const dataYears = new Set(Object.keys(rawHolidays).map((d) => Number(d.slice(0, 4))));

interface Oracle {
  known: (year: number) => boolean;
  working: (d: CivilDate) => boolean;
}

function oracle(extra?: YearCalendar): Oracle {
  const known = (y: number) => dataYears.has(y) || y === extra?.year;
  const working = (d: CivilDate) => {
    if (extra && yearOf(d) === extra.year) {
      return extra.makeUpWorkdays.includes(d) || (!isWeekend(d) && !extra.holidays.includes(d));
    }
    if (!known(yearOf(d))) return !isWeekend(d);
    return d in rawWorkdays || (!isWeekend(d) && !(d in rawHolidays));
  };
  return { known, working };
}

const builtin = WorkingCalendar.builtin();

// Random but valid calendars for a year: some holidays, some weekend make-up days.
const yearCalendar = (year: number) =>
  fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 40 }).map((offsets): YearCalendar => {
    const days = offsets.map((i) => addDays(`${year}-01-01`, i)).sort();
    const holidays = days.filter((_, i) => i % 3 !== 0);
    const makeUpWorkdays = days.filter((d, i) => i % 3 === 0 && isWeekend(d));
    return { year, holidays, makeUpWorkdays, source: 'runtime' };
  });

// A calendar (builtin, maybe with a runtime 2027) together with its oracle.
const calendarWithOracle = fc.option(yearCalendar(2027), { nil: undefined }).map((extra) => ({
  cal: extra ? builtin.withYear(extra) : builtin,
  expected: oracle(extra),
}));
// Dates from late 2003 (unknown) through 2027 (unknown unless added) to cross both data edges.
const civilDate = fc.integer({ min: 0, max: 8900 }).map((i) => addDays('2003-10-01', i));
const count = fc.integer({ min: 1, max: 60 });

describe('R-T2 working calendar', () => {
  test('R-T2: builtin years are the chinese-days years 2004–2026', () => {
    expect(builtin.knownYears()).toEqual([...dataYears].sort((a, b) => a - b));
    expect(builtin.knows(2004)).toBe(true);
    expect(builtin.knows(2026)).toBe(true);
    expect(builtin.knows(2003)).toBe(false);
    expect(builtin.knows(2027)).toBe(false);
    for (const y of builtin.knownYears()) {
      const yc = builtin.yearCalendar(y)!;
      expect(yc.source).toBe('builtin');
      expect(validateYearCalendar(yc)).toEqual({ ok: true, value: yc });
    }
  });

  test('R-T2: Spring Festival 2026 as published: 02-15..02-23 off, 02-14 and 02-28 worked', () => {
    const y2026 = builtin.yearCalendar(2026)!;
    for (let d = '2026-02-15'; d <= '2026-02-23'; d = addDays(d, 1)) {
      expect(y2026.holidays).toContain(d);
      expect(builtin.isWorkingDay(d)).toEqual({ working: false, provisional: false });
    }
    // chinese-days lists weekend days inside a holiday as holidays too; they are kept.
    expect(dayOfWeek('2026-02-15')).toBe(0);
    expect(y2026.makeUpWorkdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(builtin.isWorkingDay('2026-02-14')).toEqual({ working: true, provisional: false });
    expect(builtin.isWorkingDay('2026-02-28')).toEqual({ working: true, provisional: false });
    expect(builtin.isWorkingDay('2026-02-24')).toEqual({ working: true, provisional: false });
    expect(builtin.isWorkingDay('2026-03-01')).toEqual({ working: false, provisional: false });
  });

  test('R-T2: a year not yet published falls back to Monday–Friday, provisional', () => {
    expect(builtin.isWorkingDay('2027-01-01')).toEqual({ working: true, provisional: true });
    expect(builtin.isWorkingDay('2027-01-02')).toEqual({ working: false, provisional: true });
    expect(WorkingCalendar.empty().isWorkingDay('2026-02-16')).toEqual({ working: true, provisional: true });
  });

  test('R-T1: working days are counted from the day after the start', () => {
    // Friday before Spring Festival 2026: the make-up Saturday is day 1, then the holiday.
    expect(builtin.addWorkingDays('2026-02-13', 1)).toEqual({ date: '2026-02-14', provisional: false });
    expect(builtin.addWorkingDays('2026-02-13', 2)).toEqual({ date: '2026-02-24', provisional: false });
    expect(builtin.addWorkingDays('2026-02-02', 30)).toEqual({ date: '2026-03-20', provisional: false });
    expect(builtin.addWorkingDays('2026-09-14', 30)).toEqual({ date: '2026-10-30', provisional: false });
    expect(builtin.addWorkingDays('2003-12-31', 1)).toEqual({ date: '2004-01-02', provisional: false });
    expect(() => builtin.addWorkingDays('2026-02-13', 0)).toThrow(RangeError);
    expect(() => builtin.addWorkingDays('2026-02-13', 1.5)).toThrow(RangeError);
  });

  test('R-T2: nearest working days around a holiday', () => {
    expect(builtin.nextWorkingDayOnOrAfter('2026-10-01')).toEqual({ date: '2026-10-08', provisional: false });
    expect(builtin.nextWorkingDayOnOrAfter('2026-10-10')).toEqual({ date: '2026-10-10', provisional: false });
    expect(builtin.lastWorkingDayOnOrBefore('2026-10-07')).toEqual({
      date: '2026-09-30',
      provisional: false,
    });
    expect(builtin.lastWorkingDayOnOrBefore('2027-01-03')).toEqual({ date: '2027-01-01', provisional: true });
    expect(builtin.subtractWorkingDays('2026-02-27', 5)).toEqual({ date: '2026-02-13', provisional: false });
    expect(builtin.workingDaysBetween('2026-02-13', '2026-02-24')).toBe(2);
    expect(builtin.workingDaysBetween('2026-02-24', '2026-02-13')).toBe(-2);
    expect(builtin.workingDaysBetween('2026-02-24', '2026-02-24')).toBe(0);
  });

  test('R-T2: a runtime year is added without changing the original, and replaces a builtin year', () => {
    const y2027: YearCalendar = {
      year: 2027,
      holidays: ['2027-01-01'],
      makeUpWorkdays: [],
      source: 'runtime',
    };
    const withNext = builtin.withYear(y2027);
    expect(builtin.knows(2027)).toBe(false);
    expect(withNext.knows(2027)).toBe(true);
    expect(withNext.isWorkingDay('2027-01-01')).toEqual({ working: false, provisional: false });
    const replaced = builtin.withYear({ year: 2026, holidays: [], makeUpWorkdays: [], source: 'runtime' });
    expect(replaced.isWorkingDay('2026-10-01')).toEqual({ working: true, provisional: false });
    expect(replaced.yearCalendar(2026)?.source).toBe('runtime');
    expect(builtin.isWorkingDay('2026-10-01')).toEqual({ working: false, provisional: false });
    expect(() => builtin.withYear({ ...y2027, makeUpWorkdays: ['2027-01-04'] })).toThrow(RangeError);
  });

  test('R-T2: a calendar travels through a Temporal payload as JSON', () => {
    const y2027: YearCalendar = {
      year: 2027,
      holidays: ['2027-01-01'],
      makeUpWorkdays: ['2027-01-02'],
      source: 'runtime',
    };
    const cal = builtin.withYear(y2027);
    const wire = JSON.parse(JSON.stringify(cal));
    // On a builtin base only the runtime years travel; the builtin years come from the code.
    expect(wire).toEqual({ base: 'builtin', years: [y2027] });
    const back = WorkingCalendar.fromJSON(wire);
    expect(back.knownYears()).toEqual(cal.knownYears());
    expect(back.addWorkingDays('2026-11-23', 30)).toEqual(cal.addWorkingDays('2026-11-23', 30));
    const full = JSON.parse(JSON.stringify(cal.toFullJSON()));
    expect(full.base).toBe('empty');
    expect(full.years.find((y: YearCalendar) => y.year === 2026)?.source).toBe('builtin');
    const fromFull = WorkingCalendar.fromJSON(full);
    expect(fromFull.knownYears()).toEqual(cal.knownYears());
    expect(fromFull.addWorkingDays('2026-02-02', 30)).toEqual({ date: '2026-03-20', provisional: false });
    const bare = WorkingCalendar.empty().withYear(y2027);
    expect(WorkingCalendar.fromJSON(JSON.parse(JSON.stringify(bare))).knownYears()).toEqual([2027]);
    expect(() => WorkingCalendar.fromJSON({ base: 'builtin', years: [{ ...y2027, year: 2028 }] })).toThrow(
      RangeError,
    );
  });

  test.prop([calendarWithOracle, civilDate, count])(
    'R-T1/R-T2: addWorkingDays agrees with counting day by day and flags unknown years',
    ({ cal, expected }, start, n) => {
      let date = start;
      let provisional = false;
      for (let found = 0; found < n; ) {
        date = addDays(date, 1);
        provisional ||= !expected.known(yearOf(date));
        if (expected.working(date)) found++;
      }
      expect(cal.addWorkingDays(start, n)).toEqual({ date, provisional });
      expect(cal.isWorkingDay(date).working).toBe(true);
      expect(cal.workingDaysBetween(start, date)).toBe(n);
    },
  );

  test.prop([calendarWithOracle, civilDate, count, count])(
    'R-T1: addWorkingDays is strictly monotonic in n',
    ({ cal }, start, a, b) => {
      fc.pre(a !== b);
      const [lo, hi] = a < b ? [a, b] : [b, a];
      expect(compareDates(cal.addWorkingDays(start, lo).date, cal.addWorkingDays(start, hi).date)).toBe(-1);
    },
  );

  test.prop([calendarWithOracle, civilDate, civilDate, count])(
    'R-T1: addWorkingDays is monotonic in the start date',
    ({ cal }, a, b, n) => {
      const [lo, hi] = compareDates(a, b) <= 0 ? [a, b] : [b, a];
      expect(
        compareDates(cal.addWorkingDays(lo, n).date, cal.addWorkingDays(hi, n).date),
      ).toBeLessThanOrEqual(0);
    },
  );

  test.prop([calendarWithOracle, civilDate])(
    'R-T2: nearest working days are working days with none skipped',
    ({ cal, expected }, d) => {
      const next = cal.nextWorkingDayOnOrAfter(d).date;
      const last = cal.lastWorkingDayOnOrBefore(d).date;
      expect(expected.working(next) && expected.working(last)).toBe(true);
      for (let x = addDays(last, 1); x < next; x = addDays(x, 1)) expect(expected.working(x)).toBe(false);
    },
  );

  test.prop([yearCalendar(2031)])('R-T2: well-formed year calendars are accepted', (y) => {
    expect(validateYearCalendar(y)).toEqual({ ok: true, value: y });
  });
});

describe('R-T2 validateYearCalendar', () => {
  const base = { year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: ['2027-01-02'] };
  const problems = (input: unknown) => {
    const r = validateYearCalendar(input);
    return r.ok ? [] : r.problems;
  };

  test('R-T2: a year uploaded without source is a sorted runtime year', () => {
    const r = validateYearCalendar({ ...base, holidays: ['2027-02-10', '2027-01-01'] });
    expect(r).toEqual({
      ok: true,
      value: { ...base, holidays: ['2027-01-01', '2027-02-10'], source: 'runtime' },
    });
  });

  test('R-T2: malformed calendars are rejected with the field at fault', () => {
    expect(problems(null)).toEqual([{ field: '', message: 'must be an object' }]);
    expect(problems({ ...base, year: 2027.5 })[0]?.field).toBe('year');
    expect(problems({ ...base, holidays: '2027-01-01' })[0]?.field).toBe('holidays');
    expect(problems({ ...base, holidays: ['2027-02-30'] })[0]?.field).toBe('holidays[0]');
    expect(problems({ ...base, holidays: ['2027-01-01', '2026-12-31'] })[0]?.message).toMatch(/not in 2027/);
    expect(problems({ ...base, holidays: ['2027-01-01', '2027-01-01'] })[0]?.message).toMatch(/twice/);
    expect(problems({ ...base, makeUpWorkdays: ['2027-01-04'] })[0]?.message).toMatch(/Saturday or Sunday/);
    expect(problems({ ...base, makeUpWorkdays: ['2027-01-02', '2027-01-02'] })[0]?.field).toBe(
      'makeUpWorkdays[1]',
    );
    expect(problems({ ...base, holidays: ['2027-01-02'] })[0]?.message).toMatch(/also a holiday/);
    expect(problems({ ...base, source: 'guess' })[0]?.field).toBe('source');
  });

  test('R-T2: holidays may fall on a weekend', () => {
    expect(validateYearCalendar({ ...base, holidays: ['2027-01-03'] }).ok).toBe(true);
  });
});
