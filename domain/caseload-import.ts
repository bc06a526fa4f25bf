import { createHash } from 'node:crypto';
import { type Cells, checkRow } from './caseload-checks';
import {
  CASE_COLUMNS,
  CATEGORY_VALUES,
  type Column,
  RELATION_VALUES,
  RESIDENCE_VALUES,
  YES_NO,
} from './caseload-layout';
import type { CivilDate, YearMonth } from './dates';
import { type IdKeys, keyedDigest, keyedDigests } from './keyed-id';
import type { Money } from './money';

// A caseload import's rows checked one by one (caseload-checks.ts) and grouped into households
// (R-A1: one household per member, one applicant). Nothing here reads a database: the
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

export type { Cells };

/** How often `validateCaseload` reports the rows it has checked. */
export const PROGRESS_ROWS = 1000;

/** Every row checked, then grouped by household: a household with any bad row is refused whole. */
export function validateCaseload(
  rows: Cells[],
  opts: { countyCode: string; today: CivilDate; idKeys: IdKeys; onChecked?: (rows: number) => void },
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
    if ((i + 1) % PROGRESS_ROWS === 0) opts.onChecked?.(i + 1);
  });
  const households: ImportedHousehold[] = [];
  for (const [key, members] of groups) {
    const first = members[0]!.c;
    const firstRow = members[0]!.row;
    for (const { row, c } of members.slice(1))
      for (const f of CASE_COLUMNS)
        if (c[f] !== first[f])
          problems.push({
            row,
            household: key,
            field: f,
            message: `differs from row ${firstRow}, the household’s first row`,
          });
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
