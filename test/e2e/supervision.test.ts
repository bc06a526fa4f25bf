import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { seedCase } from '../helpers/seed';

// R-O3 through the HTTP API: the overdue and at-risk work of a region, from the read model the
// workflows keep (applications, case_tasks, payrolls), seeded here with SQL.

let env: ApiEnv;
const V1 = '140802101201';
const V2 = '140802102201';
const OTHER = '140821101201';

beforeAll(async () => {
  env = await startApiEnv({ worker: false });
  const { pool } = env;
  const app = async (id: string, village: string, atRisk: boolean, overdue: boolean, stage = 'verifying') =>
    pool.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by, overall_deadline, at_risk, overdue)
       VALUES ($1, 'dibao', $2, $3, $4, '2026-10-01', false, false, $5, 'seed', '2026-11-12', $6, $7)`,
      [id, village, village.slice(0, 9), village.slice(0, 6), stage, atRisk, overdue],
    );
  await app('A-late', V1, true, true);
  await app('A-risk', V2, true, false);
  await app('A-fine', V1, false, false);
  await app('A-done', V1, true, true, 'approved'); // decided: no longer supervised
  await app('A-other', OTHER, true, true);
  await seedCase(pool, { caseId: 'C1', villageCode: V1, months: [] });
  await pool.query(
    `INSERT INTO case_tasks (case_id, task_id, kind, county_code, township_code, village_code, opened_on, due_on,
       at_risk_on, at_risk, overdue, closed_on)
     VALUES ('C1', 'death-x', 'death_review', '140802', '140802101', $1, '2026-08-01', '2026-11-02', '2026-10-26', true, true, NULL),
            ('C1', 'check-y', 'data_check', '140802', '140802101', $1, '2026-11-01', '2026-11-16', '2026-11-11', true, false, NULL),
            ('C1', 'check-z', 'data_check', '140802', '140802101', $1, '2026-09-01', '2026-09-15', '2026-09-10', true, true, '2026-09-14')`,
    [V1],
  );
  await pool.query(
    `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
     VALUES ('140802:2026-10', '140802', '2026-10', '2026-09-30', '2026-10-10', 'overdue')`,
  );
});
afterAll(async () => {
  await env?.stop();
});

const get = (query: string, role = 'supervisor', region = '140802') =>
  env.api.inject({ url: `/v1/supervision/overdue${query}`, headers: env.as(role, region) });

describe('supervision through the HTTP API', () => {
  it('R-O3 R-A6: a county supervisor sees its overdue and at-risk applications, case checks and payrolls, overdue first, earliest due first', async () => {
    const res = await get('');
    expect(res.statusCode).toBe(200);
    const items = res
      .json()
      .items.map((i: { kind: string; subjectId: string; taskId: string | null }) =>
        [i.kind, i.subjectId, i.taskId].join(' '),
      );
    expect(items).toEqual([
      'payroll 140802:2026-10 ',
      'death_review C1 death-x',
      'application A-late ',
      'application A-risk ',
      'data_check C1 check-y',
    ]);
    expect(res.json().counts).toEqual({ payroll: 1, death_review: 1, application: 2, data_check: 1 });
    // Names for the dashboard, from the division data.
    const late = res.json().items.find((i: { subjectId: string }) => i.subjectId === 'A-late');
    expect(late).toMatchObject({ countyName: '盐湖区', townshipName: '龙居镇' });
  });

  it('R-O3: filters by kind, township and flag; a township sees its own villages only', async () => {
    const apps = (await get('?kind=application')).json().items.map((i: { subjectId: string }) => i.subjectId);
    expect(apps).toEqual(['A-late', 'A-risk']);
    const t = (await get('?township=140802102')).json().items.map((i: { subjectId: string }) => i.subjectId);
    expect(t).toEqual(['A-risk']);
    const atRisk = (await get('?flag=at_risk')).json().items.map((i: { subjectId: string }) => i.subjectId);
    expect(atRisk).toEqual(['A-risk', 'C1']);
    const own = (await get('', 'supervisor', '140802101')).json().items.map((i: { kind: string }) => i.kind);
    expect(own).toEqual(['death_review', 'application', 'data_check']); // no county payroll, no other township
    const province = (await get('', 'supervisor', '14')).json().items;
    expect(province.map((i: { subjectId: string }) => i.subjectId)).toContain('A-other');
  });

  it('R-O3: 401 without a token, 403 for another role or a township outside the region, 400 for a bad filter', async () => {
    expect((await env.api.inject({ url: '/v1/supervision/overdue' })).statusCode).toBe(401);
    expect((await get('', 'township_staff', '140802101')).statusCode).toBe(403);
    expect((await get('?township=140821101')).statusCode).toBe(403);
    const bad = await get('?kind=everything');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});
