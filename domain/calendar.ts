// R-T2 working days: Monday–Friday, minus statutory holidays, plus the weekend make-up days (调休).
// The calendar is data: known years ship with the code (chinese-days), new years arrive at run time.
// Pure and deterministic (Temporal workflows import it). The JSON data file is imported directly so
// the workflow bundler (webpack) inlines it; chinese-days' runtime API is not used.
import data from 'chinese-days/dist/chinese-days.json';
import { addDays, type CivilDate, compareDates, isCivilDate, isWeekend, yearOf } from './dates';

export interface YearCalendar {
  year: number;
  /** Statutory holiday days; chinese-days also lists those falling on a weekend, which are kept. */
  holidays: CivilDate[];
  /** Weekend days that are working days (调休). */
  makeUpWorkdays: CivilDate[];
  source: 'builtin' | 'runtime';
}

/** A date computed on the calendar; provisional when any day looked at lies in an unknown year (R-T2). */
export interface Deadline {
  date: CivilDate;
  provisional: boolean;
}

export interface WorkingDay {
  working: boolean;
  provisional: boolean;
}

export interface CalendarProblem {
  field: string;
  message: string;
}

export type YearCalendarValidation =
  | { ok: true; value: YearCalendar }
  | { ok: false; problems: CalendarProblem[] };

/** Serialised form for Temporal payloads: `years` come on top of the `base` (see toJSON, toFullJSON). */
export interface WorkingCalendarJSON {
  base: 'builtin' | 'empty';
  years: YearCalendar[];
}

function checkDates(
  field: 'holidays' | 'makeUpWorkdays',
  raw: unknown,
  year: number,
  problems: CalendarProblem[],
) {
  if (!Array.isArray(raw)) {
    problems.push({ field, message: 'must be an array of YYYY-MM-DD dates' });
    return [];
  }
  const seen = new Set<string>();
  raw.forEach((d, i) => {
    const at = `${field}[${i}]`;
    if (!isCivilDate(d))
      problems.push({ field: at, message: `not a valid YYYY-MM-DD date: ${JSON.stringify(d)}` });
    else if (yearOf(d) !== year) problems.push({ field: at, message: `${d} is not in ${year}` });
    else if (seen.has(d)) problems.push({ field: at, message: `${d} is listed twice` });
    else if (field === 'makeUpWorkdays' && !isWeekend(d)) {
      problems.push({
        field: at,
        message: `${d} is a weekday; a make-up workday must be a Saturday or Sunday`,
      });
    } else seen.add(d);
  });
  return [...seen].sort();
}

/** R-T2: checks a year's calendar, e.g. one an administrator uploads. `source` defaults to 'runtime'. */
export function validateYearCalendar(input: unknown): YearCalendarValidation {
  const problems: CalendarProblem[] = [];
  if (typeof input !== 'object' || input === null) {
    return { ok: false, problems: [{ field: '', message: 'must be an object' }] };
  }
  const o = input as Record<string, unknown>;
  const year = o.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999) {
    return { ok: false, problems: [{ field: 'year', message: 'must be an integer year 1000–9999' }] };
  }
  const source = o.source ?? 'runtime';
  if (source !== 'builtin' && source !== 'runtime') {
    problems.push({ field: 'source', message: "must be 'builtin' or 'runtime'" });
  }
  const holidays = checkDates('holidays', o.holidays, year, problems);
  const makeUpWorkdays = checkDates('makeUpWorkdays', o.makeUpWorkdays, year, problems);
  const holidaySet = new Set(holidays);
  for (const d of makeUpWorkdays) {
    if (holidaySet.has(d)) problems.push({ field: 'makeUpWorkdays', message: `${d} is also a holiday` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { year, holidays, makeUpWorkdays, source: source as YearCalendar['source'] } };
}

function mustBeValid(input: unknown): YearCalendar {
  const r = validateYearCalendar(input);
  if (!r.ok)
    throw new RangeError(
      `invalid year calendar: ${r.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    );
  return r.value;
}

interface IndexedYear {
  readonly calendar: YearCalendar;
  readonly holidays: ReadonlySet<CivilDate>;
  readonly makeUpWorkdays: ReadonlySet<CivilDate>;
}

function indexYear(y: YearCalendar): IndexedYear {
  const calendar = Object.freeze({
    ...y,
    holidays: Object.freeze([...y.holidays]) as CivilDate[],
    makeUpWorkdays: Object.freeze([...y.makeUpWorkdays]) as CivilDate[],
  });
  return { calendar, holidays: new Set(y.holidays), makeUpWorkdays: new Set(y.makeUpWorkdays) };
}

function builtinYears(): YearCalendar[] {
  const byYear = new Map<number, YearCalendar>();
  const entry = (d: string) => {
    const year = Number(d.slice(0, 4));
    const y = byYear.get(year) ?? { year, holidays: [], makeUpWorkdays: [], source: 'builtin' };
    byYear.set(year, y);
    return y;
  };
  // inLieuDays (weekdays given off in exchange for a make-up day) are already listed in holidays.
  for (const d of Object.keys(data.holidays as Record<string, string>)) entry(d).holidays.push(d);
  for (const d of Object.keys(data.workdays as Record<string, string>)) entry(d).makeUpWorkdays.push(d);
  return [...byYear.values()].map(mustBeValid);
}

let builtinCache: WorkingCalendar | undefined;

export class WorkingCalendar {
  private readonly years: ReadonlyMap<number, IndexedYear>;
  private readonly base: WorkingCalendarJSON['base'];

  private constructor(base: WorkingCalendarJSON['base'], years: ReadonlyMap<number, IndexedYear>) {
    this.base = base;
    this.years = years;
    Object.freeze(this);
  }

  /** The years shipped in chinese-days (2004–2026 in 1.5.7). Cached: the instance is immutable. */
  static builtin(): WorkingCalendar {
    builtinCache ??= new WorkingCalendar(
      'builtin',
      new Map(builtinYears().map((y) => [y.year, indexYear(y)])),
    );
    return builtinCache;
  }

  /** No known years: every day falls back to Monday–Friday, provisional. */
  static empty(): WorkingCalendar {
    return new WorkingCalendar('empty', new Map());
  }

  static fromJSON(json: WorkingCalendarJSON): WorkingCalendar {
    if (json?.base !== 'builtin' && json?.base !== 'empty')
      throw new RangeError('invalid calendar JSON: base');
    if (!Array.isArray(json.years)) throw new RangeError('invalid calendar JSON: years');
    const start = json.base === 'builtin' ? WorkingCalendar.builtin() : WorkingCalendar.empty();
    const years = new Map(start.years);
    for (const y of json.years) {
      // On a builtin base every year that travelled was added at run time (see toJSON).
      const valid = mustBeValid(json.base === 'builtin' ? { ...y, source: 'runtime' } : y);
      years.set(valid.year, indexYear(valid));
    }
    return new WorkingCalendar(json.base, years);
  }

  /** A new calendar with `y` added as a runtime year; it replaces any builtin or earlier runtime year. */
  withYear(y: YearCalendar): WorkingCalendar {
    const valid = mustBeValid({ ...y, source: 'runtime' });
    const years = new Map(this.years);
    years.set(valid.year, indexYear(valid));
    return new WorkingCalendar(this.base, years);
  }

  /** Compact: on a builtin base only runtime years travel, the builtin ones are rebuilt from the code. */
  toJSON(): WorkingCalendarJSON {
    const years = this.allYears();
    if (this.base === 'empty') return { base: 'empty', years };
    return { base: 'builtin', years: years.filter((y) => y.source === 'runtime') };
  }

  /**
   * Every year, independent of the shipped data: for workflow state that must replay identically even
   * after a chinese-days upgrade changes the builtin years (Temporal determinism).
   */
  toFullJSON(): WorkingCalendarJSON {
    return { base: 'empty', years: this.allYears() };
  }

  private allYears(): YearCalendar[] {
    return [...this.years.values()]
      .map(({ calendar: y }) => ({ ...y, holidays: [...y.holidays], makeUpWorkdays: [...y.makeUpWorkdays] }))
      .sort((a, b) => a.year - b.year);
  }

  knownYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  knows(year: number): boolean {
    return this.years.has(year);
  }

  yearCalendar(year: number): YearCalendar | undefined {
    return this.years.get(year)?.calendar;
  }

  isWorkingDay(date: CivilDate): WorkingDay {
    const y = this.years.get(yearOf(date));
    // R-T2: a year not yet published falls back to Monday–Friday, flagged provisional.
    if (!y) return { working: !isWeekend(date), provisional: true };
    if (y.makeUpWorkdays.has(date)) return { working: true, provisional: false };
    return { working: !isWeekend(date) && !y.holidays.has(date), provisional: false };
  }

  /** R-T1: the start day is not counted; the result is the n-th working day after `start` (n ≥ 1). */
  addWorkingDays(start: CivilDate, n: number): Deadline {
    return this.step(start, n, 1);
  }

  /** The n-th working day before `date` (n ≥ 1), `date` itself not counted. */
  subtractWorkingDays(date: CivilDate, n: number): Deadline {
    return this.step(date, n, -1);
  }

  nextWorkingDayOnOrAfter(date: CivilDate): Deadline {
    return this.seek(date, 1);
  }

  lastWorkingDayOnOrBefore(date: CivilDate): Deadline {
    return this.seek(date, -1);
  }

  /** Working days in (a, b]; negative (minus those in (b, a]) when b is before a. */
  workingDaysBetween(a: CivilDate, b: CivilDate): number {
    const sign = compareDates(a, b) <= 0 ? 1 : -1;
    const [from, to] = sign === 1 ? [a, b] : [b, a];
    let count = 0;
    for (let d = addDays(from, 1); compareDates(d, to) <= 0; d = addDays(d, 1)) {
      if (this.isWorkingDay(d).working) count++;
    }
    return sign * count;
  }

  private step(from: CivilDate, n: number, dir: 1 | -1): Deadline {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`working-day count must be an integer ≥ 1, got ${n}`);
    let date = from;
    let provisional = false;
    for (let found = 0; found < n; ) {
      date = addDays(date, dir);
      const day = this.isWorkingDay(date);
      provisional ||= day.provisional;
      if (day.working) found++;
    }
    return { date, provisional };
  }

  private seek(from: CivilDate, dir: 1 | -1): Deadline {
    let date = from;
    let provisional = false;
    for (;;) {
      const day = this.isWorkingDay(date);
      provisional ||= day.provisional;
      if (day.working) return { date, provisional };
      date = addDays(date, dir);
    }
  }
}
