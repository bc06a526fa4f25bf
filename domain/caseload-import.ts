import { createHash } from 'node:crypto';
import {
  CASE_COLUMNS,
  CATEGORY_VALUES,
  type Column,
  RELATION_VALUES,
  RESIDENCE_VALUES,
  YES_NO,
} from './caseload-layout';
import {
  addMonthsToYearMonth,
  type CivilDate,
  compareDates,
  isCivilDate,
  isEdgeYear,
  isYearMonth,
  type YearMonth,
} from './dates';
import { validateIdNumber } from './idnumber';
import { type IdKeys, keyedDigest, keyedDigests } from './keyed-id';
import { isMoney, type Money } from './money';
import { countyOf, isRegionCode } from './region';

// A caseload import's rows checked one by one and grouped into households (R-A1 ID check digits and
// one household per member, region codes, amounts as money). Nothing here reads a database: the
// route adds the enrolment check (R-A1) with `refuseHousehold`. A row problem names the row, the
// household key and the field, never a name or an ID number.

export interface ImportedMember {
  idNumber: string;
  name: string;
  relation: (typeof RELATION_VALUES)[string];
}

/** One household as the case workflow starts from it (R-M1, R-M3, R-M4, R-O1). */
export interface ImportedHousehold {
  householdKey: string;
  caseId: string;
  category: (typeof CATEGORY_VALUES)[string];
  villageCode: string;
  residence: 'urban' | 'rural';
  monthlyAmount: Money;
  startMonth: YearMonth;
  nextReviewMonth: YearMonth;
  taperReportedOn?: CivilDate;
  /** R-M10: the last month the previous system paid, when the file says (else: up to the import). */
  paidThroughMonth?: YearMonth;
  closeRelative: boolean;
  unstableIncome: boolean;
  members: ImportedMember[];
  /** The file's row numbers of its members (the header is row 1). */
  rows: number[];
}

export interface RowProblem {
  row: number;
  household: string;
  field: Column | 'household';
  message: string;
}

/**
 * The case id of a household: the county and a keyed HMAC of the source system's household number
 * (R-O7: a plain hash of a short number is reversed by trying them all), so the same household
 * imported again is the same case (and the same workflow), and neither a name, an ID number nor
 * the old number can be read from the workflow id.
 */
export function importedCaseId(k: IdKeys, countyCode: string, householdKey: string): string {
  return caseIdOf(countyCode, keyedDigest(k, 'imported-case', countyCode, householdKey).hex);
}

/**
 * Every id the household may already have (a case imported under an earlier key, or before keyed
 * ids): the same household imported again is found whatever key named it.
 */
export function importedCaseIds(k: IdKeys, countyCode: string, householdKey: string): string[] {
  const legacy = createHash('sha256').update(`${countyCode}:${householdKey}`).digest('hex');
  return [
    ...keyedDigests(k, 'imported-case', countyCode, householdKey).map((d) => caseIdOf(countyCode, d.hex)),
    caseIdOf(countyCode, legacy),
  ];
}

const caseIdOf = (countyCode: string, hex: string) => `I${countyCode}${hex.slice(0, 16).toUpperCase()}`;

export type Cells = Record<Column, string>;
const has = (o: object, k: string) => Object.hasOwn(o, k);

function checkRow(c: Cells, countyCode: string, today: CivilDate): { field: Column; message: string }[] {
  const bad: { field: Column; message: string }[] = [];
  const need = (f: Column, ok: boolean, message: string) => {
    if (!ok) bad.push({ field: f, message });
  };
  need(
    'household',
    c.household !== '' && c.household.length <= 64,
    'a household number is required (≤64 characters)',
  );
  need(
    'category',
    has(CATEGORY_VALUES, c.category),
    'dibao, marginal, extreme_poverty or expenditure_type (低保, 低保边缘, 特困, 支出型)',
  );
  const village = c.villageCode.length === 12 && isRegionCode(c.villageCode);
  need('villageCode', village, 'a 12-digit village division code');
  if (village)
    need('villageCode', countyOf(c.villageCode) === countyCode, `not a village of county ${countyCode}`);
  need('residence', has(RESIDENCE_VALUES, c.residence), 'urban or rural (城市, 农村)');
  need('name', c.name !== '' && c.name.length <= 100, 'a name is required');
  const id = validateIdNumber(c.idNumber.toUpperCase(), today);
  need('idNumber', id.ok, id.ok ? '' : `invalid ID number (${id.reason})`);
  need(
    'relation',
    has(RELATION_VALUES, c.relation),
    'applicant, spouse, child, parent, sibling, grandchild or other (户主, 配偶, 子女…)',
  );
  need(
    'monthlyAmount',
    isMoney(c.monthlyAmount) && c.monthlyAmount.length <= 12,
    'a decimal amount with at most 2 places, e.g. 733.50',
  );
  const month = (m: string) => isYearMonth(m) && isEdgeYear(m);
  need(
    'startMonth',
    month(c.startMonth) && c.startMonth <= today.slice(0, 7),
    'YYYY-MM, not after this month',
  );
  need(
    'nextReviewMonth',
    month(c.nextReviewMonth) && c.nextReviewMonth >= c.startMonth,
    'YYYY-MM, not before the start month',
  );
  if (c.taperReportedOn !== '')
    need(
      'taperReportedOn',
      isCivilDate(c.taperReportedOn) &&
        isEdgeYear(c.taperReportedOn) &&
        compareDates(c.taperReportedOn, today) <= 0,
      'YYYY-MM-DD, not in the future (empty: no taper)',
    );
  if (c.paidThroughMonth !== '')
    need(
      'paidThroughMonth',
      month(c.paidThroughMonth) &&
        c.paidThroughMonth <= today.slice(0, 7) &&
        (!month(c.startMonth) || c.paidThroughMonth >= addMonthsToYearMonth(c.startMonth, -1)),
      'YYYY-MM, from the month before the start month to this month (empty: paid up to the import)',
    );
  need('closeRelative', has(YES_NO, c.closeRelative.toLowerCase()), 'yes or no (是, 否)');
  need('unstableIncome', has(YES_NO, c.unstableIncome.toLowerCase()), 'yes or no (是, 否), empty for no');
  return bad;
}

/** Every row checked, then grouped by household: a household with any bad row is refused whole. */
export function validateCaseload(
  rows: Cells[],
  opts: { countyCode: string; today: CivilDate; idKeys: IdKeys },
): { households: ImportedHousehold[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const groups = new Map<string, { row: number; c: Cells }[]>();
  const seenMember = new Map<string, string>(); // ID number → household key (R-A1: one household per member)
  rows.forEach((c, i) => {
    const row = i + 2;
    for (const b of checkRow(c, opts.countyCode, opts.today))
      problems.push({ row, household: c.household, ...b });
    const id = c.idNumber.toUpperCase();
    const other = seenMember.get(id);
    if (id !== '' && other !== undefined)
      problems.push({
        row,
        household: c.household,
        field: 'idNumber',
        message:
          other === c.household
            ? 'the member is listed twice in this household'
            : `the member is also in household ${other} (one household per member, R-A1)`,
      });
    else if (id !== '') seenMember.set(id, c.household);
    groups.set(c.household, [...(groups.get(c.household) ?? []), { row, c }]);
  });
  const households: ImportedHousehold[] = [];
  for (const [key, members] of groups) {
    const first = members[0]!.c;
    for (const { row, c } of members.slice(1))
      for (const f of CASE_COLUMNS)
        if (c[f] !== first[f])
          problems.push({ row, household: key, field: f, message: 'differs from the household’s first row' });
    const applicants = members.filter((m) => RELATION_VALUES[m.c.relation] === 'applicant').length;
    if (applicants !== 1)
      problems.push({
        row: members[0]!.row,
        household: key,
        field: 'relation',
        message: `a household has exactly one applicant (户主), not ${applicants}`,
      });
    households.push({
      householdKey: key,
      caseId: importedCaseId(opts.idKeys, opts.countyCode, key),
      category: CATEGORY_VALUES[first.category]!,
      villageCode: first.villageCode,
      residence: RESIDENCE_VALUES[first.residence]!,
      monthlyAmount: first.monthlyAmount,
      startMonth: first.startMonth,
      nextReviewMonth: first.nextReviewMonth,
      ...(first.taperReportedOn ? { taperReportedOn: first.taperReportedOn } : {}),
      ...(first.paidThroughMonth ? { paidThroughMonth: first.paidThroughMonth } : {}),
      closeRelative: YES_NO[first.closeRelative.toLowerCase()] ?? false,
      unstableIncome: YES_NO[first.unstableIncome.toLowerCase()] ?? false,
      members: members.map(({ c }) => ({
        idNumber: c.idNumber.toUpperCase(),
        name: c.name,
        relation: RELATION_VALUES[c.relation]!,
      })),
      rows: members.map((m) => m.row),
    });
  }
  return { households, problems };
}

/** A problem on every row of a household (R-A1: a member already held elsewhere refuses it whole). */
export function refuseHousehold(
  h: ImportedHousehold,
  field: Column | 'household',
  message: string,
): RowProblem[] {
  return h.rows.map((row) => ({ row, household: h.householdKey, field, message }));
}
