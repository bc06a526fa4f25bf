import type pg from 'pg';
import type { ListCursors, ListKey } from '../../api/list-cursor';
import { applicationNameSql, applicationPageSql } from '../../db/repositories/application-list';
import { caseNameSql, casePageSql } from '../../db/repositories/case-list';
import { listScope } from '../../db/repositories/list-sql';
import { makeIdNumber } from '../../domain/idnumber';

// The requests bench/window-lists.ts times against the seeded province (seed.ts): who asks, for
// what, the path over HTTP and, for a list page, the SQL the route runs (timed bare and EXPLAINed).

export const LIMIT = 50;
export const COUNTY = '140801';
export const TOWNSHIP = '140801001';
export const VILLAGE = '140801001001';

export interface Scenario {
  who: string;
  region: string;
  role: string;
  what: string;
  path: string;
  sql?: { text: string; values: unknown[] };
  method?: 'POST';
  body?: unknown;
}

async function middle(pool: pg.Pool, sql: string, values: unknown[]) {
  const { rows } = await pool.query(sql, values);
  return rows[0];
}

export async function scenarios(pool: pg.Pool, cursors: ListCursors): Promise<Scenario[]> {
  const county = listScope(COUNTY);
  const province = listScope('14');
  const bound = (region: string, extra: Record<string, unknown> = {}) => ({
    region,
    village: undefined,
    township: undefined,
    status: undefined,
    category: undefined,
    q: undefined,
    ...extra,
  });
  const seal = (list: string, b: Record<string, unknown>, key: ListKey) => cursors.seal(list, b, key);
  const countyCount = (
    await pool.query('SELECT count(*)::int AS n FROM cases WHERE county_code = $1', [COUNTY])
  ).rows[0].n;
  const mid = await middle(
    pool,
    'SELECT village_code, case_id FROM cases WHERE county_code = $1 ORDER BY village_code, case_id OFFSET $2 LIMIT 1',
    [COUNTY, Math.floor(countyCount / 2)],
  );
  const midKey = { village: mid.village_code, id: mid.case_id };
  const wangCount = (
    await pool.query(
      `SELECT count(*)::int AS n FROM person_names WHERE holder_kind = 'case' AND county_code = $1 AND name LIKE '王%'`,
      [COUNTY],
    )
  ).rows[0].n;
  const wang = await middle(
    pool,
    `SELECT name, holder_id FROM person_names WHERE holder_kind = 'case' AND county_code = $1 AND name >= '王' AND name < '王\u{10FFFF}'
     ORDER BY name, holder_id OFFSET $2 LIMIT 1`,
    [COUNTY, Math.floor(wangCount / 2)],
  );
  const wangKey = { name: wang.name, id: wang.holder_id };
  // The seed's ID numbers are shaped only; the look-up's body is validated: one person gets a real one.
  const person = makeIdNumber('140801', '1960-01-01', 123);
  const old = (
    await pool.query(`SELECT members->0->>'idNumber' AS id FROM cases WHERE case_id = $1`, [mid.case_id])
  ).rows[0].id as string;
  await pool.query(
    `UPDATE cases SET members = jsonb_set(members, '{0,idNumber}', to_jsonb($2::text)) WHERE case_id = $1`,
    [mid.case_id, person],
  );
  await pool.query('UPDATE person_enrolments SET id_number = $2 WHERE id_number = $1', [old, person]);
  const c = (who: string, region: string, role: string) => ({ who, region, role });
  const cc = c(`county ${COUNTY}`, COUNTY, 'county_staff');
  const pr = c('province 14', '14', 'supervisor');
  const tw = c(`township ${TOWNSHIP}`, TOWNSHIP, 'township_staff');
  return [
    {
      ...cc,
      what: 'cases, first page',
      path: `/v1/cases?limit=${LIMIT}`,
      sql: casePageSql(county, {}, LIMIT + 1),
    },
    {
      ...cc,
      what: `cases, cursor page in the middle (${countyCount.toLocaleString('en')} cases)`,
      path: `/v1/cases?limit=${LIMIT}&cursor=${seal('cases', bound(COUNTY), midKey)}`,
      sql: casePageSql(county, {}, LIMIT + 1, midKey),
    },
    {
      ...cc,
      what: 'cases, status=suspended',
      path: `/v1/cases?limit=${LIMIT}&status=suspended`,
      sql: casePageSql(county, { status: 'suspended' }, LIMIT + 1),
    },
    {
      ...cc,
      what: 'cases, status=tapering & category=expenditure_type (rare)',
      path: `/v1/cases?limit=${LIMIT}&status=tapering&category=expenditure_type`,
      sql: casePageSql(county, { status: 'tapering', category: 'expenditure_type' }, LIMIT + 1),
    },
    {
      ...cc,
      what: 'cases, village',
      path: `/v1/cases?limit=${LIMIT}&village=${VILLAGE}`,
      sql: casePageSql(listScope(VILLAGE), {}, LIMIT + 1),
    },
    {
      ...cc,
      what: 'cases, q=王 (7 % of names)',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}`,
      sql: caseNameSql(county, {}, '王', LIMIT + 1),
    },
    {
      ...cc,
      what: `cases, q=王, cursor page in the middle (${wangCount.toLocaleString('en')} names)`,
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}&cursor=${seal('cases', bound(COUNTY, { q: '王' }), wangKey)}`,
      sql: caseNameSql(county, {}, '王', LIMIT + 1, wangKey),
    },
    {
      ...cc,
      what: 'cases, q=王 & status=closed',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}&status=closed`,
      sql: caseNameSql(county, { status: 'closed' }, '王', LIMIT + 1),
    },
    {
      ...cc,
      what: 'cases, q=上官 (rare)',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('上官')}`,
      sql: caseNameSql(county, {}, '上官', LIMIT + 1),
    },
    {
      ...cc,
      what: 'applications, first page',
      path: `/v1/applications?limit=${LIMIT}`,
      sql: applicationPageSql(county, {}, LIMIT + 1),
    },
    {
      ...cc,
      what: 'applications, stage=open & overdue=true',
      path: `/v1/applications?limit=${LIMIT}&stage=open&overdue=true`,
      sql: applicationPageSql(county, { stage: 'open', overdue: true }, LIMIT + 1),
    },
    {
      ...cc,
      what: 'applications, q=李',
      path: `/v1/applications?limit=${LIMIT}&q=${encodeURIComponent('李')}`,
      sql: applicationNameSql(county, {}, '李', LIMIT + 1),
    },
    {
      ...cc,
      what: 'POST /v1/people/lookup (audited)',
      path: '/v1/people/lookup',
      method: 'POST',
      body: { idNumber: person },
    },
    {
      ...tw,
      what: 'cases, first page',
      path: `/v1/cases?limit=${LIMIT}`,
      sql: casePageSql(listScope(TOWNSHIP), {}, LIMIT + 1),
    },
    {
      ...tw,
      what: 'cases, q=王',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}`,
      sql: caseNameSql(listScope(TOWNSHIP), {}, '王', LIMIT + 1),
    },
    {
      ...pr,
      what: 'cases, first page',
      path: `/v1/cases?limit=${LIMIT}`,
      sql: casePageSql(province, {}, LIMIT + 1),
    },
    {
      ...pr,
      what: 'cases, status=suspended & category=extreme_poverty',
      path: `/v1/cases?limit=${LIMIT}&status=suspended&category=extreme_poverty`,
      sql: casePageSql(province, { status: 'suspended', category: 'extreme_poverty' }, LIMIT + 1),
    },
    {
      ...pr,
      what: 'cases, q=王',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}`,
      sql: caseNameSql(province, {}, '王', LIMIT + 1),
    },
    {
      ...pr,
      what: 'applications, stage=open',
      path: `/v1/applications?limit=${LIMIT}&stage=open`,
      sql: applicationPageSql(province, { stage: 'open' }, LIMIT + 1),
    },
  ];
}
