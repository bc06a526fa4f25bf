import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overduePageSql } from '../../db/repositories/overdue';
import { addMonthsToYearMonth, civilDateOf, monthOf } from '../../domain/dates';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { seedCase } from '../helpers/seed';

// R-O3 at a province's size: the overdue list pages by an opaque cursor in urgency order, its
// counts by township and kind, and (R-A6) the share decided within the deadline by month. The
// read model is seeded with SQL as the workflows would have written it.

let env: ApiEnv;
const T1 = '140802101';
const T2 = '140802102';
const OTHER_COUNTY = '140821101201';
type Item = { kind: string; subjectId: string; taskId: string | null; overdue: boolean; dueOn: string };
const keyOf = (i: Item) => `${i.kind} ${i.subjectId} ${i.taskId ?? ''}`;

beforeAll(async () => {
  env = await startApiEnv({ worker: false });
  const { pool } = env;
  // 40 open applications over two townships, many sharing a due date (ties broken by id), a third
  // of them overdue; one decided and one in another county (neither in the list).
  await pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by, overall_deadline, at_risk, overdue)
     SELECT 'A' || lpad(i::text, 3, '0'), 'dibao', t || '201', t, '140802', '2026-10-01', false, false, 'verifying',
       'seed', date '2026-11-01' + (i % 5), true, i % 3 = 0
     FROM generate_series(1, 40) i, LATERAL (SELECT CASE WHEN i % 2 = 0 THEN $1 ELSE $2 END AS t) x`,
    [T1, T2],
  );
  await pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by, overall_deadline, at_risk, overdue)
     VALUES ('Z-done', 'dibao', $1, $2, '140802', '2026-10-01', false, false, 'approved', 'seed', '2026-11-01', true, true),
            ('Z-other', 'dibao', $3, '140821101', '140821', '2026-10-01', false, false, 'verifying', 'seed', '2026-11-01', true, true)`,
    [`${T1}201`, T1, OTHER_COUNTY],
  );
  // A case with tasks of every kind due the same days as the applications (ties across kinds).
  await seedCase(pool, { caseId: 'C1', villageCode: `${T1}201`, months: [] });
  await pool.query(
    `INSERT INTO case_tasks (case_id, task_id, kind, county_code, township_code, village_code, opened_on, due_on,
       at_risk_on, at_risk, overdue, closed_on)
     SELECT 'C1', 't' || i, (ARRAY['death_review', 're_review', 'data_check', 'change_review'])[1 + i % 4],
       '140802', $1, $2, '2026-09-01', date '2026-11-01' + (i % 3), '2026-10-20', true, i % 2 = 0, NULL
     FROM generate_series(1, 12) i`,
    [T1, `${T1}201`],
  );
  await pool.query(
    `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
     VALUES ('140802:2026-10', '140802', '2026-10', '2026-09-30', '2026-11-02', 'overdue')`,
  );
});
afterAll(async () => {
  await env?.stop();
});

const get = (url: string, region = '140802') =>
  env.api.inject({ url, headers: env.as('supervisor', region) });

async function allPages(query: string, limit: number, region = '140802'): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const c: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await get(`/v1/supervision/overdue?limit=${limit}${query}${c}`, region);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.length).toBeLessThanOrEqual(limit);
    out.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('no last page');
}

describe('R-O3 overdue list with cursor paging', () => {
  it('R-O3 R-A6: pages of 7 give the whole list once, overdue first, then by due date', async () => {
    const whole = (await get('/v1/supervision/overdue?limit=1000')).json();
    expect(whole.nextCursor).toBeNull();
    expect(whole.items).toHaveLength(40 + 12 + 1);
    const paged = await allPages('', 7);
    expect(paged.map(keyOf)).toEqual(whole.items.map(keyOf));
    expect(new Set(paged.map(keyOf)).size).toBe(paged.length);
    const rank = (i: Item) => `${i.overdue ? 0 : 1} ${i.dueOn}`;
    const ranks = paged.map(rank);
    expect(ranks).toEqual([...ranks].sort());
    expect(paged.map((i) => i.subjectId)).not.toContain('Z-done');
    expect(paged.map((i) => i.subjectId)).not.toContain('Z-other');
  });

  it('R-O3: paging keeps the township, kind and flag filters; a village supervisor sees its village', async () => {
    for (const q of [
      '&township=140802102',
      '&kind=application',
      '&kind=data_check',
      '&flag=overdue',
      '&flag=at_risk',
    ]) {
      const whole = (await get(`/v1/supervision/overdue?limit=1000${q}`)).json().items as Item[];
      expect(whole.length).toBeGreaterThan(0);
      expect((await allPages(q, 3)).map(keyOf)).toEqual(whole.map(keyOf));
    }
    const t2 = await allPages('&township=140802102', 5);
    expect(t2.every((i) => i.subjectId.startsWith('A') && i.kind === 'application')).toBe(true);
    const village = await allPages('', 4, `${T1}201`);
    expect(village.some((i) => i.kind === 'payroll')).toBe(false);
    expect(village.every((i) => i.kind !== 'application' || Number(i.subjectId.slice(1)) % 2 === 0)).toBe(
      true,
    );
  });

  it('R-O3: a cursor the API did not issue is a 400 problem; limit=1 pages one item at a time', async () => {
    const bad = await get('/v1/supervision/overdue?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const forged = Buffer.from(
      JSON.stringify({ o: true, d: 'x', k: 'application', s: 'A', t: null }),
    ).toString('base64url');
    expect((await get(`/v1/supervision/overdue?cursor=${forged}`)).statusCode).toBe(400);
    const one = (await get('/v1/supervision/overdue?limit=1')).json();
    expect(one.items).toHaveLength(1);
    expect(one.nextCursor).toEqual(expect.any(String));
  });
});

describe('R-O3 counts by township and kind', () => {
  it('R-O3: the summary equals the list counted by township and kind', async () => {
    const res = await get('/v1/supervision/summary');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const whole = (await get('/v1/supervision/overdue?limit=1000')).json().items as (Item & {
      townshipCode: string | null;
      atRisk: boolean;
    })[];
    const expected = new Map<string, { overdue: number; atRisk: number }>();
    for (const i of whole) {
      const k = `${i.townshipCode} ${i.kind}`;
      const e = expected.get(k) ?? { overdue: 0, atRisk: 0 };
      if (i.overdue) e.overdue++;
      else e.atRisk++;
      expected.set(k, e);
    }
    const got = new Map(
      body.rows.map((r: { townshipCode: string | null; kind: string; overdue: number; atRisk: number }) => [
        `${r.townshipCode} ${r.kind}`,
        { overdue: r.overdue, atRisk: r.atRisk },
      ]),
    );
    expect(got).toEqual(expected);
    expect(body.totals.overdue + body.totals.atRisk).toBe(whole.length);
    const t1 = (await get(`/v1/supervision/summary?township=${T1}&kind=application`)).json().rows;
    expect(t1).toEqual([
      {
        countyCode: '140802',
        countyName: '盐湖区',
        townshipCode: T1,
        townshipName: '龙居镇',
        kind: 'application',
        overdue: 6,
        atRisk: 14,
      },
    ]);
    expect((await get('/v1/supervision/summary?township=140821101')).statusCode).toBe(403);
  });
});

describe('R-A6 SLA compliance by month', () => {
  it('R-A6: decided applications per month of decision, and the share on or before the overall deadline', async () => {
    const now = monthOf(civilDateOf(new Date()));
    const last = addMonthsToYearMonth(now, -1);
    await env.pool.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by, overall_deadline, decided_on)
       VALUES ('S1', 'dibao', $1, $2, '140802', $3, false, false, 'approved', 'seed', $4, $4),
              ('S2', 'dibao', $1, $2, '140802', $3, false, false, 'rejected', 'seed', $4, $5),
              ('S3', 'dibao', $1, $2, '140802', $3, false, false, 'approved', 'seed', $6, $6),
              ('S4', 'dibao', $7, '140821101', '140821', $3, false, false, 'approved', 'seed', $6, $6)`,
      [`${T1}201`, T1, `${last}-01`, `${last}-10`, `${last}-20`, `${now}-01`, OTHER_COUNTY],
    );
    const res = await get('/v1/supervision/sla?months=3');
    expect(res.statusCode).toBe(200);
    const months = res.json().months;
    expect(months.map((m: { month: string }) => m.month)).toEqual([addMonthsToYearMonth(now, -2), last, now]);
    expect(months[0]).toEqual({ month: addMonthsToYearMonth(now, -2), decided: 0, onTime: 0, share: null });
    expect(months[1]).toEqual({ month: last, decided: 2, onTime: 1, share: 0.5 });
    expect(months[2]).toEqual({ month: now, decided: 1, onTime: 1, share: 1 });
    const t2 = (await get(`/v1/supervision/sla?months=3&region=${T2}`)).json().months;
    expect(t2.every((m: { decided: number }) => m.decided === 0)).toBe(true);
    expect((await get('/v1/supervision/sla?region=14')).statusCode).toBe(403);
    expect((await get('/v1/supervision/sla?months=0')).statusCode).toBe(400);
  });
});

describe('R-O3 at size: the list is index-backed', () => {
  it('R-O3: with 20,000 open applications the page queries scan indexes, never the whole table', async () => {
    await env.pool.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by, overall_deadline, at_risk, overdue)
       SELECT 'B' || i, 'dibao', t || lpad((201 + i % 20)::text, 3, '0'), t, left(t, 6), '2026-10-01', false, false,
         'verifying', 'seed', date '2026-11-01' + (i % 60), i % 10 < 2, i % 10 = 0
       FROM generate_series(1, 20000) i,
         LATERAL (SELECT '1408' || lpad((2 + i % 10)::text, 2, '0') || lpad((101 + i % 12)::text, 3, '0') AS t) x`,
    );
    await env.pool.query('ANALYZE applications');
    await env.pool.query('ANALYZE case_tasks');
    const key = {
      overdue: false,
      dueOn: '2026-11-20',
      kind: 'application' as const,
      subjectId: 'B5',
      taskId: null,
    };
    for (const q of [
      { region: '140802', flag: 'any' as const },
      { region: '140802', township: '140802105', flag: 'any' as const },
      { region: '14', flag: 'any' as const },
    ]) {
      for (const k of [undefined, key]) {
        const { text, values } = overduePageSql(q, 51, k);
        const { rows } = await env.pool.query(`EXPLAIN ${text}`, values);
        const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
        expect(plan, plan).not.toMatch(/Seq Scan on applications/);
        expect(plan, plan).toMatch(/(Index (Only )?Scan using|Bitmap Index Scan on) applications_flagged_/);
      }
    }
  });
});
