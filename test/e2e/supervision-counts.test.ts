import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overdueRecountSql, overdueSummarySql } from '../../db/repositories/overdue';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { seedCase } from '../helpers/seed';

// R-O3: the summary's counters (migration 100) are kept by the writers' own statements. Whatever
// is written — inserts, flags raised and cleared, work closed and reopened, rows deleted, many rows
// in one statement, concurrent writers in the same township — they equal a count of the sources.
// Complaints (R-O4) and register visits (R-L2) are branches of the list and the summary.

let env: ApiEnv;
const COUNTY = '140802';
const TOWNSHIPS = ['140802101', '140802102', '140802103'];

beforeAll(async () => {
  env = await startApiEnv({ worker: false });
  await env.pool.query(
    `INSERT INTO spot_check_rounds (round_id, county_code, month, nonce, seed, decision_ratio, close_relative_ratio,
       population, population_size, drawn, strata, drawn_on, started_by)
     VALUES ('R1', $1, '2026-10', 'n', 's', '0.3', '0.6', '[]', 0, '[]', '{}', '2026-11-02', 'seed')`,
    [COUNTY],
  );
});
afterAll(async () => {
  await env?.stop();
});

/** Deterministic pseudo-random integers below n (a test must fail the same way twice). */
function random(seed: number) {
  const rng = xoroshiro128plus(seed);
  return (n: number) => uniformInt(rng, 0, n - 1);
}

async function countersEqualRecount(region = COUNTY) {
  const q = { region, flag: 'any' as const };
  const counted = (await env.pool.query(overdueSummarySql(q))).rows;
  const recounted = (await env.pool.query(overdueRecountSql(q))).rows.filter(
    (r) => Number(r.overdue) > 0 || Number(r.at_risk) > 0,
  );
  const norm = (rows: Record<string, unknown>[]) =>
    rows.map((r) => `${r.township_code} ${r.kind} ${Number(r.overdue)} ${Number(r.at_risk)}`).sort();
  expect(norm(counted)).toEqual(norm(recounted));
  return counted.length;
}

const insertApplications = (ids: string[], t: string) =>
  env.pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by, overall_deadline, at_risk, overdue)
     SELECT id, 'dibao', $2 || '201', $2, $3, '2026-10-01', false, false, 'verifying', 'seed', '2026-11-10', false, false
     FROM unnest($1::text[]) id`,
    [ids, t, COUNTY],
  );

describe('R-O3 the counters of the supervisor’s summary', () => {
  it('R-O3: 600 random writes over applications, case tasks, spot checks, complaints and the register leave the counters equal to a recount', async () => {
    const { pool } = env;
    const rnd = random(7);
    for (const t of TOWNSHIPS) {
      await insertApplications(
        Array.from({ length: 20 }, (_, i) => `CNT-${t}-${i}`),
        t,
      );
      await seedCase(pool, { caseId: `CC-${t}`, villageCode: `${t}201`, months: [] });
      await pool.query(
        `INSERT INTO case_tasks (case_id, task_id, kind, county_code, township_code, village_code, opened_on, due_on,
           at_risk_on, at_risk, overdue)
         SELECT 'CC-' || $1, 't' || i, (ARRAY['death_review', 're_review', 'data_check', 'change_review'])[1 + i % 4],
           $2, $1, $1 || '201', '2026-09-01', '2026-11-05', '2026-11-01', false, false
         FROM generate_series(1, 20) i`,
        [t, COUNTY],
      );
      await pool.query(
        `INSERT INTO spot_checks (check_id, round_id, application_id, county_code, township_code, village_code,
           decision, decided_on, decided_by, close_relative, opened_on, due_on, at_risk_on)
         SELECT 'SC-' || $1 || '-' || i, 'R1', 'SCA-' || $1 || '-' || i, $2, $1, $1 || '201', 'approved',
           '2026-10-10', 'staff', false, '2026-11-02', '2026-11-30', '2026-11-25'
         FROM generate_series(1, 10) i`,
        [t, COUNTY],
      );
      await pool.query(
        `INSERT INTO complaints (complaint_id, source, anonymous, subject_kind, subject_id, village_code, township_code,
           county_code, summary, received_on, received_by, stage, deadline_kind, deadline, view, view_version)
         SELECT 'CP-' || $1 || '-' || i, 'hotline', true, 'village', $1 || '201', $1 || '201', $1, $2, 'x',
           '2026-11-01', 'staff', 'received', 'finding', '2026-11-20', '{}', 1
         FROM generate_series(1, 10) i`,
        [t, COUNTY],
      );
      await pool.query(
        `INSERT INTO register_households (household_key, county_code, township_code, village_code, registered_on,
           view, revision, open_warnings, next_due_on)
         SELECT 'H-' || $1 || '-' || i, $2, $1, $1 || '201', '2026-10-01', '{}', 1, 1, '2026-11-15'
         FROM generate_series(1, 10) i`,
        [t, COUNTY],
      );
    }
    const statements: [string, string][] = [
      ['applications', 'application_id'],
      ['case_tasks', 'task_id'],
      ['spot_checks', 'check_id'],
      ['complaints', 'complaint_id'],
      ['register_households', 'household_key'],
    ];
    const closeOf: Record<string, [string, string]> = {
      applications: [`stage = 'approved'`, `stage = 'verifying'`],
      case_tasks: [`closed_on = '2026-11-20'`, 'closed_on = NULL'],
      spot_checks: [`outcome = 'confirmed'`, 'outcome = NULL'],
      complaints: [`closed_on = '2026-11-20'`, 'closed_on = NULL'],
      register_households: ['open_warnings = 0', 'open_warnings = 2'],
    };
    for (let i = 0; i < 600; i++) {
      const [table, idCol] = statements[rnd(statements.length)]!;
      const t = TOWNSHIPS[rnd(TOWNSHIPS.length)]!;
      const flags = [
        'at_risk = true, overdue = false',
        'at_risk = true, overdue = true',
        'at_risk = false, overdue = true',
        'at_risk = false, overdue = false',
      ][rnd(4)];
      const set = rnd(5) === 0 ? closeOf[table]![rnd(2)] : flags;
      // A tenth of the statements change every row of a township at once (a bulk statement).
      const bulk = rnd(10) === 0;
      const where = bulk ? `township_code = $1` : `township_code = $1 AND ${idCol} LIKE '%' || $2`;
      await pool.query(`UPDATE ${table} SET ${set} WHERE ${where}`, bulk ? [t] : [t, String(rnd(10))]);
    }
    await pool.query(
      `DELETE FROM complaints WHERE complaint_id LIKE 'CP-140802101-%' AND complaint_id LIKE '%1'`,
    );
    await pool.query(`DELETE FROM applications WHERE application_id LIKE 'CNT-140802102-%' AND overdue`);
    expect(await countersEqualRecount()).toBeGreaterThan(5);
    for (const t of TOWNSHIPS) await countersEqualRecount(t);
  });

  it('R-O3: eight writers raising and clearing flags at once in the same township leave the counters exact', async () => {
    const ids = Array.from({ length: 80 }, (_, i) => `PAR-${i}`);
    await insertApplications(ids, TOWNSHIPS[0]!);
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const rnd = random(100 + w);
        for (let i = 0; i < 60; i++) {
          const id = ids[rnd(ids.length)]!;
          await env.pool.query(
            `UPDATE applications SET at_risk = $2, overdue = $3 WHERE application_id = $1`,
            [id, rnd(2) === 0, rnd(3) === 0],
          );
        }
      }),
    );
    await countersEqualRecount();
  });

  it('R-O3 R-O4 R-L2: an overdue complaint and a register visit at risk are in the list and the summary of their township', async () => {
    const t = TOWNSHIPS[2]!;
    await env.pool.query(
      `UPDATE complaints SET closed_on = NULL, at_risk = true, overdue = true WHERE complaint_id = $1`,
      [`CP-${t}-3`],
    );
    await env.pool.query(
      `UPDATE register_households SET open_warnings = 1, at_risk = true, overdue = false WHERE household_key = $1`,
      [`H-${t}-4`],
    );
    const headers = env.as('supervisor', COUNTY);
    const list = await env.api.inject({
      url: `/v1/supervision/overdue?township=${t}&limit=500&flag=any`,
      headers,
    });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { kind: string; subjectId: string; overdue: boolean }[];
    expect(items).toContainEqual(
      expect.objectContaining({ kind: 'complaint', subjectId: `CP-${t}-3`, overdue: true }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ kind: 'household_visit', subjectId: `H-${t}-4`, overdue: false }),
    );
    // A county's payrolls are not a township's: asked of one, the summary is empty, not an error.
    const payrolls = await env.api.inject({
      url: `/v1/supervision/summary?kind=payroll&township=${t}`,
      headers,
    });
    expect(payrolls.statusCode, payrolls.body).toBe(200);
    expect(payrolls.json().rows).toEqual([]);
    const summary = (await env.api.inject({ url: `/v1/supervision/summary?township=${t}`, headers })).json();
    for (const kind of ['complaint', 'household_visit']) {
      const row = summary.rows.find((r: { kind: string }) => r.kind === kind);
      const fromList = items.filter((i) => i.kind === kind);
      expect(row).toMatchObject({
        townshipCode: t,
        overdue: fromList.filter((i) => i.overdue).length,
        atRisk: fromList.filter((i) => !i.overdue).length,
      });
    }
  });
});
