import { CATEGORY_VALUES, type Column, RELATION_VALUES, RESIDENCE_VALUES, YES_NO } from './caseload-layout';
import {
  addMonthsToYearMonth,
  type CivilDate,
  compareDates,
  EDGE_YEARS,
  isCivilDate,
  isEdgeYear,
  isYearMonth,
} from './dates';
import { type IdNumberFailure, validateIdNumber } from './idnumber';
import { isMoney } from './money';
import { PROVINCE_CODES } from './region';

// One caseload import row's cells checked (R-A1): each message says what is wrong with the value
// the row holds and what would be right. Codes, months, dates and enumerated values are echoed;
// a name or an ID number never is (R-O7).

export type Cells = Record<Column, string>;
export interface CellProblem {
  field: Column;
  message: string;
}

const has = (o: object, k: string) => Object.hasOwn(o, k);
/** An echoed cell, cut short so that a pasted paragraph does not fill the report. */
const shown = (v: string) => `"${v.length > 24 ? `${v.slice(0, 24)}…` : v}"`;

const ZERO_SEGMENTS: readonly [from: number, to: number, part: string][] = [
  [2, 4, 'city'],
  [4, 6, 'county'],
  [6, 9, 'township'],
  [9, 12, 'village'],
];

/** What is wrong with a village division code of this county, if anything. */
export function villageCodeProblem(code: string, countyCode: string): string | undefined {
  if (code === '') return 'the village code is empty';
  if (!/^\d+$/.test(code)) return `${shown(code)} is not all digits; a village (村/社区) code has 12 digits`;
  if (code.length !== 12) return `${shown(code)} has ${code.length} digits; a village (村/社区) code has 12`;
  if (!PROVINCE_CODES.has(code.slice(0, 2)))
    return `${code} is not a division code: no province ${code.slice(0, 2)}`;
  const zero = ZERO_SEGMENTS.find(([from, to]) => /^0+$/.test(code.slice(from, to)));
  if (zero) return `${code} is not a village code: its ${zero[2]} part is ${code.slice(zero[0], zero[1])}`;
  if (!code.startsWith(countyCode))
    return `village ${code} is in county ${code.slice(0, 6)}, not in county ${countyCode} of this import`;
  return undefined;
}

const ID_NUMBER_PROBLEMS: Record<IdNumberFailure, string> = {
  format: 'the ID number is not 18 characters (17 digits and a digit or X)',
  region: 'the ID number does not start with a province code',
  birth_date: 'the ID number’s birth date (characters 7–14) is not a date',
  future_birth_date: 'the ID number’s birth date is in the future',
  check_digit: 'the ID number’s check character does not match its first 17 digits (a digit mistyped?)',
};

/** A month cell: its format, then its year range; undefined when it is a month to compare. */
function monthProblem(v: string): string | undefined {
  if (!isYearMonth(v)) return `${shown(v)} is not a month (YYYY-MM)`;
  if (!isEdgeYear(v)) return `${v} is outside the years ${EDGE_YEARS.min}–${EDGE_YEARS.max}`;
  return undefined;
}

function dateProblem(v: string): string | undefined {
  if (!isCivilDate(v)) return `${shown(v)} is not a date (YYYY-MM-DD)`;
  if (!isEdgeYear(v)) return `${v} is outside the years ${EDGE_YEARS.min}–${EDGE_YEARS.max}`;
  return undefined;
}

const lengthProblem = (what: string, v: string, max: number) =>
  v === ''
    ? `the ${what} is empty`
    : v.length > max
      ? `the ${what} has ${v.length} characters; at most ${max}`
      : undefined;

/** Every problem of one row's cells, in column order. */
export function checkRow(c: Cells, countyCode: string, today: CivilDate): CellProblem[] {
  const thisMonth = today.slice(0, 7);
  const out: CellProblem[] = [];
  const add = (field: Column, message: string | undefined) => {
    if (message !== undefined) out.push({ field, message });
  };
  const enumerated = (v: string, values: object, what: string, allowed: string) =>
    has(values, v)
      ? undefined
      : v === ''
        ? `the cell is empty; expected ${allowed}`
        : `${shown(v)} is not ${what}; expected ${allowed}`;

  add('household', lengthProblem('household number (户编号)', c.household, 64));
  add(
    'category',
    enumerated(
      c.category,
      CATEGORY_VALUES,
      'a category',
      'dibao, marginal, extreme_poverty or expenditure_type (低保, 低保边缘, 特困, 支出型)',
    ),
  );
  add('villageCode', villageCodeProblem(c.villageCode, countyCode));
  add(
    'residence',
    enumerated(c.residence, RESIDENCE_VALUES, 'urban or rural', 'urban or rural (城市, 农村)'),
  );
  add('name', lengthProblem('name', c.name, 100));
  const id = validateIdNumber(c.idNumber.toUpperCase(), today);
  add('idNumber', id.ok ? undefined : ID_NUMBER_PROBLEMS[id.reason]);
  add(
    'relation',
    enumerated(
      c.relation,
      RELATION_VALUES,
      'a relation',
      'applicant, spouse, child, parent, sibling, grandchild or other (户主, 配偶, 子女, 父母, 兄弟姐妹, 孙子女, 其他)',
    ),
  );
  add(
    'monthlyAmount',
    isMoney(c.monthlyAmount) && c.monthlyAmount.length <= 12
      ? undefined
      : 'not an amount in yuan with at most 2 decimal places, e.g. 733.50',
  );
  const start = monthProblem(c.startMonth);
  add(
    'startMonth',
    start ?? (c.startMonth > thisMonth ? `${c.startMonth} is after this month (${thisMonth})` : undefined),
  );
  const startKnown = start === undefined;
  const review = monthProblem(c.nextReviewMonth);
  add(
    'nextReviewMonth',
    review ??
      (startKnown && c.nextReviewMonth < c.startMonth
        ? `${c.nextReviewMonth} is before the start month ${c.startMonth}`
        : undefined),
  );
  if (c.taperReportedOn !== '') {
    const taper = dateProblem(c.taperReportedOn);
    add(
      'taperReportedOn',
      taper !== undefined
        ? `${taper} (empty: no taper)`
        : compareDates(c.taperReportedOn, today) > 0
          ? `${c.taperReportedOn} is in the future (empty: no taper)`
          : undefined,
    );
  }
  if (c.paidThroughMonth !== '') add('paidThroughMonth', paidThroughProblem(c, startKnown, thisMonth));
  add('closeRelative', enumerated(c.closeRelative.toLowerCase(), YES_NO, 'yes or no', 'yes or no (是, 否)'));
  add(
    'unstableIncome',
    enumerated(c.unstableIncome.toLowerCase(), YES_NO, 'yes or no', 'yes or no (是, 否; empty for no)'),
  );
  return out;
}

function paidThroughProblem(c: Cells, startKnown: boolean, thisMonth: string): string | undefined {
  const tail = ' (empty: paid up to the import)';
  const bad = monthProblem(c.paidThroughMonth);
  if (bad) return bad + tail;
  if (c.paidThroughMonth > thisMonth)
    return `${c.paidThroughMonth} is after this month (${thisMonth})${tail}`;
  if (!startKnown) return undefined;
  const before = addMonthsToYearMonth(c.startMonth, -1);
  if (c.paidThroughMonth < before)
    return `${c.paidThroughMonth} is before ${before}, the month before the start month${tail}`;
  return undefined;
}
