import type pg from 'pg';
import { STAGES, type Stage, TERMINAL_STAGES } from '../../workflows/contracts';
import { combinations, type ListScope, mergedBranches, named, Params, prefixEnd } from './list-sql';

// API.md "Applications": the caller's applications — by village and id (an id carries its county
// and the day of receipt, so a village's applications come in the order they were received),
// filtered by stage (or every open stage) and overdue, by a name prefix of any member, or by id.
// Read only; the application workflow writes `applications`, the triggers `person_names`.

/** A stage, or `open` for every stage before a decision. */
export type StageFilter = Stage | 'open';

export interface ApplicationFilters {
  stage?: StageFilter;
  overdue?: boolean;
}

export interface ApplicationListItem {
  applicationId: string;
  category: string;
  stage: string;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  /** The applicant's name as received. */
  applicantName: string | null;
  acceptedOn: string;
  delegated: boolean;
  overallDeadline: string | null;
  deadlineProvisional: boolean;
  atRisk: boolean;
  overdue: boolean;
  matchedName?: string;
}

/** Stages with rows (a refused receipt writes none). */
const LISTED_STAGES = STAGES.filter((s) => s !== 'refused');
const OPEN_STAGES = LISTED_STAGES.filter((s) => !TERMINAL_STAGES.includes(s));

const COLUMNS = `application_id, category, stage, county_code, township_code, village_code, accepted_on, delegated,
  overall_deadline, deadline_provisional, at_risk, overdue`;
const APPLICANT = `(SELECT m.name FROM application_members m WHERE m.application_id = b.application_id
  ORDER BY (m.relation = 'applicant') DESC, m.id_number LIMIT 1)`;
const ITEM = `b.application_id, b.category, b.stage, b.county_code, b.township_code, b.village_code,
  ${APPLICANT} AS applicant_name, b.accepted_on, b.delegated, b.overall_deadline, b.deadline_provisional,
  b.at_risk, b.overdue`;

const item = (r: Record<string, unknown>): ApplicationListItem => ({
  applicationId: r.application_id as string,
  category: r.category as string,
  stage: r.stage as string,
  countyCode: r.county_code as string,
  townshipCode: r.township_code as string,
  villageCode: r.village_code as string,
  applicantName: (r.applicant_name as string) ?? null,
  acceptedOn: r.accepted_on as string,
  delegated: r.delegated as boolean,
  overallDeadline: (r.overall_deadline as string) ?? null,
  deadlineProvisional: r.deadline_provisional as boolean,
  atRisk: r.at_risk as boolean,
  overdue: r.overdue as boolean,
  ...(r.matched_name ? { matchedName: r.matched_name as string } : {}),
});

const stagesOf = (s?: StageFilter): readonly string[] =>
  s === undefined ? LISTED_STAGES : s === 'open' ? OPEN_STAGES : [s];

/** A page in (village, id) order: one index range per stage and overdue flag (migration 140). */
export function applicationPageSql(
  scope: ListScope,
  f: ApplicationFilters,
  limit: number,
  after?: { village: string; id: string },
) {
  const p = new Params();
  const where = [`village_code BETWEEN ${p.add(scope.lo)} AND ${p.add(scope.hi)}`];
  if (after) where.push(`(village_code, application_id) > (${p.add(after.village)}, ${p.add(after.id)})`);
  const overdue = f.overdue === undefined ? ['false', 'true'] : [String(f.overdue)];
  const combos = combinations([['stage', stagesOf(f.stage)]]).flatMap((c) =>
    overdue.map((o) => `${c} AND overdue = ${o}`),
  );
  const merged = mergedBranches({
    table: 'applications',
    id: 'application_id',
    columns: COLUMNS,
    combos,
    where: where.join(' AND '),
    limit: p.add(limit, 'int'),
  });
  return {
    text: `SELECT ${ITEM} FROM (${merged}) b ORDER BY b.village_code, b.application_id`,
    values: p.values,
  };
}

export function applicationNameSql(
  scope: ListScope,
  f: ApplicationFilters,
  q: string,
  limit: number,
  after?: { name: string; id: string },
) {
  const p = new Params();
  const where = [`n.holder_kind = 'application'`];
  if (scope.county) where.push(`n.county_code = ${p.add(scope.county)}`);
  where.push(`n.name >= ${p.add(q)} AND n.name < ${p.add(prefixEnd(q))}`);
  where.push(`n.village_code BETWEEN ${p.add(scope.lo)} AND ${p.add(scope.hi)}`);
  if (after) where.push(`(n.name, n.holder_id) > (${p.add(after.name)}, ${p.add(after.id)})`);
  if (f.stage) where.push(`b.stage = ANY(${p.add(stagesOf(f.stage), 'text[]')})`);
  if (f.overdue !== undefined) where.push(`b.overdue = ${p.add(f.overdue, 'boolean')}`);
  return {
    text: `SELECT ${ITEM}, n.name AS matched_name FROM person_names n
      JOIN applications b ON b.application_id = n.holder_id
      WHERE ${where.join(' AND ')} ORDER BY n.name, n.holder_id LIMIT ${p.add(limit, 'int')}`,
    values: p.values,
  };
}

export function applicationListRepository(pool: pg.Pool) {
  return {
    async page(
      scope: ListScope,
      f: ApplicationFilters,
      limit: number,
      after?: { village: string; id: string },
    ) {
      const { rows } = await pool.query(
        named('application_list', applicationPageSql(scope, f, limit, after)),
      );
      return rows.map(item);
    },

    async byName(
      scope: ListScope,
      f: ApplicationFilters,
      q: string,
      limit: number,
      after?: { name: string; id: string },
    ) {
      const { rows } = await pool.query(
        named('application_names', applicationNameSql(scope, f, q, limit, after)),
      );
      return rows.map(item);
    },

    async byId(
      scope: ListScope,
      f: ApplicationFilters,
      id: string,
    ): Promise<ApplicationListItem | undefined> {
      const { rows } = await pool.query(
        `SELECT ${ITEM} FROM applications b WHERE b.application_id = $1 AND b.village_code BETWEEN $2 AND $3
           AND b.stage = ANY($4::text[]) AND ($5::boolean IS NULL OR b.overdue = $5)`,
        [id, scope.lo, scope.hi, stagesOf(f.stage), f.overdue ?? null],
      );
      return rows[0] ? item(rows[0]) : undefined;
    },
  };
}
