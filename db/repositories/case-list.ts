import type pg from 'pg';
import { CASE_STATUSES, type CaseInput, type CaseStatus } from '../../workflows/contracts';
import { combinations, type ListScope, mergedBranches, named, Params, prefixEnd } from './list-sql';

// API.md "Cases in benefit": the caller's cases — by village and id, filtered by status and
// category, by a name prefix of any member the case has held, or by its id — and the township's
// roster (花名册). Read only; the case workflow writes `cases`, the triggers `person_names`.

export type CaseCategory = CaseInput['category'];
export const CASE_CATEGORIES: readonly CaseCategory[] = [
  'dibao',
  'marginal',
  'extreme_poverty',
  'expenditure_type',
];

export interface CaseFilters {
  status?: CaseStatus;
  category?: CaseCategory;
}
export interface CaseListItem {
  caseId: string;
  applicationId: string | null;
  importId: string | null;
  category: string;
  status: string;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  /** The head of household (户主) as recorded: the applicant, else the first member. */
  headName: string | null;
  persons: number;
  monthlyAmount: string;
  startMonth: string;
  nextReviewOn: string | null;
  closedReason: string | null;
  closedFromMonth: string | null;
  /** The member's name the search matched (a name search only). */
  matchedName?: string;
}

/** A roster line: the list item with the members (names, relations, ID numbers) and residence. */
export interface RosterCase extends CaseListItem {
  residence: string | null;
  members: { name: string; relation: string; idNumber: string }[];
}

const COLUMNS = `case_id, application_id, import_id, category, status, county_code, township_code, village_code,
  members, persons, monthly_amount, start_month, next_review_on, closed_reason, closed_from_month`;
const HEAD = `(SELECT m->>'name' FROM jsonb_array_elements(b.members) WITH ORDINALITY AS e(m, n)
  ORDER BY (m->>'relation' = 'applicant') DESC, n LIMIT 1)`;
const ITEM = `b.case_id, b.application_id, b.import_id, b.category, b.status, b.county_code, b.township_code,
  b.village_code, ${HEAD} AS head_name, coalesce(b.persons, jsonb_array_length(b.members)) AS persons,
  b.monthly_amount, b.start_month, b.next_review_on, b.closed_reason, b.closed_from_month`;

const item = (r: Record<string, unknown>): CaseListItem => ({
  caseId: r.case_id as string,
  applicationId: (r.application_id as string) ?? null,
  importId: (r.import_id as string) ?? null,
  category: r.category as string,
  status: r.status as string,
  countyCode: r.county_code as string,
  townshipCode: r.township_code as string,
  villageCode: r.village_code as string,
  headName: (r.head_name as string) ?? null,
  persons: Number(r.persons),
  monthlyAmount: r.monthly_amount as string,
  startMonth: r.start_month as string,
  nextReviewOn: (r.next_review_on as string) ?? null,
  closedReason: (r.closed_reason as string) ?? null,
  closedFromMonth: (r.closed_from_month as string) ?? null,
  ...(r.matched_name ? { matchedName: r.matched_name as string } : {}),
});

function filterCombos(f: CaseFilters): string[] {
  return combinations([
    ['status', f.status ? [f.status] : CASE_STATUSES],
    ['category', f.category ? [f.category] : CASE_CATEGORIES],
  ]);
}

/** A page in (village, id) order: one index range per status and category (migration 140). */
export function casePageSql(
  scope: ListScope,
  f: CaseFilters,
  limit: number,
  after?: { village: string; id: string },
) {
  const p = new Params();
  const where = [`village_code BETWEEN ${p.add(scope.lo)} AND ${p.add(scope.hi)}`];
  if (after) where.push(`(village_code, case_id) > (${p.add(after.village)}, ${p.add(after.id)})`);
  const limitParam = p.add(limit, 'int');
  const merged = mergedBranches({
    table: 'cases',
    id: 'case_id',
    columns: COLUMNS,
    combos: filterCombos(f),
    where: where.join(' AND '),
    limit: limitParam,
  });
  return { text: `SELECT ${ITEM} FROM (${merged}) b ORDER BY b.village_code, b.case_id`, values: p.values };
}

/** A name search in (name, id) order: the county's names (or all, above a county), then the case. */
export function caseNameSql(
  scope: ListScope,
  f: CaseFilters,
  q: string,
  limit: number,
  after?: { name: string; id: string },
) {
  const p = new Params();
  const where = [`n.holder_kind = 'case'`];
  if (scope.county) where.push(`n.county_code = ${p.add(scope.county)}`);
  where.push(`n.name >= ${p.add(q)} AND n.name < ${p.add(prefixEnd(q))}`);
  where.push(`n.village_code BETWEEN ${p.add(scope.lo)} AND ${p.add(scope.hi)}`);
  if (after) where.push(`(n.name, n.holder_id) > (${p.add(after.name)}, ${p.add(after.id)})`);
  if (f.status) where.push(`b.status = ${p.add(f.status)}`);
  if (f.category) where.push(`b.category = ${p.add(f.category)}`);
  return {
    text: `SELECT ${ITEM}, n.name AS matched_name FROM person_names n JOIN cases b ON b.case_id = n.holder_id
      WHERE ${where.join(' AND ')} ORDER BY n.name, n.holder_id LIMIT ${p.add(limit, 'int')}`,
    values: p.values,
  };
}

function rosterCase(r: Record<string, unknown>): RosterCase {
  const members = (r.roster_members ?? []) as { name: string; relation: string; idNumber: string }[];
  return {
    ...item(r),
    residence: (r.residence as string) ?? null,
    members: members.map((m) => ({ name: m.name, relation: m.relation, idNumber: m.idNumber })),
  };
}

export function caseListRepository(pool: pg.Pool) {
  return {
    async page(scope: ListScope, f: CaseFilters, limit: number, after?: { village: string; id: string }) {
      const { rows } = await pool.query(named('case_list', casePageSql(scope, f, limit, after)));
      return rows.map(item);
    },

    async byName(
      scope: ListScope,
      f: CaseFilters,
      q: string,
      limit: number,
      after?: { name: string; id: string },
    ) {
      const { rows } = await pool.query(named('case_names', caseNameSql(scope, f, q, limit, after)));
      return rows.map(item);
    },

    /** The case of this id within the scope and filters, if any. */
    async byId(scope: ListScope, f: CaseFilters, caseId: string): Promise<CaseListItem | undefined> {
      const { rows } = await pool.query(
        `SELECT ${ITEM} FROM cases b WHERE b.case_id = $1 AND b.village_code BETWEEN $2 AND $3
           AND ($4::text IS NULL OR b.status = $4) AND ($5::text IS NULL OR b.category = $5)`,
        [caseId, scope.lo, scope.hi, f.status ?? null, f.category ?? null],
      );
      return rows[0] ? item(rows[0]) : undefined;
    },

    /** The roster (花名册): a page as the list reads it, with members and residence. */
    async rosterPage(
      scope: ListScope,
      f: CaseFilters,
      limit: number,
      after?: { village: string; id: string },
    ) {
      const page = casePageSql(scope, f, limit, after);
      const { rows } = await pool.query(
        named('case_roster', {
          text: `SELECT r.*, c.members AS roster_members, c.view->>'residence' AS residence
            FROM (${page.text}) r JOIN cases c ON c.case_id = r.case_id ORDER BY r.village_code, r.case_id`,
          values: page.values,
        }),
      );
      return rows.map(rosterCase);
    },

    /** Roster lines of these cases, in the order given (a search's result). */
    async rosterOf(caseIds: string[]): Promise<RosterCase[]> {
      const { rows } = await pool.query(
        `SELECT ${ITEM}, b.members AS roster_members, b.view->>'residence' AS residence
         FROM unnest($1::text[]) WITH ORDINALITY AS w(case_id, n) JOIN cases b USING (case_id) ORDER BY w.n`,
        [caseIds],
      );
      return rows.map(rosterCase);
    },
  };
}
