import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadCodec } from '../../codec/payload-codec';
import { parseConfig } from '../../config/env';
import { WorkingCalendar } from '../../domain/calendar';
import { importedCaseId } from '../../domain/caseload-import';
import { civilDateOf } from '../../domain/dates';
import { firstMonthToRoster } from '../../domain/entitlement';
import { caseWorkflowId, importWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY_CODE, HEADERS, households, reviewMonthAhead, toCsv, toXlsx } from '../helpers/caseload';
import { createCase } from '../helpers/e2e-cases';
import { testIdKeys } from '../helpers/env';
import { VILLAGE } from '../helpers/fixtures';
import { type HistoryLike, payloadsIn, rawJson } from '../helpers/history-scan';
import { spawnWorker } from '../helpers/worker-process';

// The caseload import through the API on the dev server (API.md "Documents and onboarding"): a
// county's households in benefit brought in from a CSV or XLSX file as case workflows.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let env: ApiEnv;

beforeAll(async () => {
  env = await startApiEnv({ sub: 'import' });
  const res = await env.api.inject({
    method: 'PUT',
    url: '/v1/admin/standards',
    headers: env.as('admin', '14'),
    payload: {
      countyCode: COUNTY_CODE,
      effectiveFrom: '2020-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    },
  });
  expect(res.statusCode).toBe(200);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

const upload = (file: Buffer, opts: { type?: string; validOnly?: boolean; key?: string } = {}) =>
  env.api.inject({
    method: 'POST',
    url: `/v1/imports/cases?countyCode=${COUNTY_CODE}${opts.validOnly ? '&validOnly=true' : ''}`,
    headers: {
      ...env.as('admin', COUNTY_CODE),
      'content-type': opts.type ?? 'text/csv',
      ...(opts.key ? { 'idempotency-key': opts.key } : {}),
    },
    payload: file,
  });
type Progress = {
  status: string;
  done: number;
  created: number;
  alreadyPresent: number;
  failed: number;
  householdsTotal: number;
};
const progress = async (id: string): Promise<Progress> =>
  (await env.api.inject({ url: `/v1/imports/${id}`, headers: env.as('admin', COUNTY_CODE) })).json();
const completed = (id: string, tries = 600) =>
  until(
    async () => {
      const p = await progress(id);
      return p.status === 'completed' ? p : undefined;
    },
    `import ${id} completed`,
    { tries, everyMs: 200 },
  );
const count = async (sql: string, args: unknown[] = []) =>
  (await env.pool.query(sql, args)).rows[0].n as number;
const caseIdOf = (key: string) => importedCaseId(testIdKeys(), COUNTY_CODE, key);

describe('caseload import (dev server)', () => {
  it('R-A1 R-M1 R-M4: a valid CSV imports one case per household, visible in GET /v1/cases/{id}, the first month left to the next payroll (no back-pay)', async () => {
    const nextReview = reviewMonthAhead(3);
    const hh = households(3, { size: 2, amount: '812.50', startMonth: '2023-05', nextReview });
    const res = await upload(toCsv(hh));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      rowsTotal: 6,
      rowsInvalid: 0,
      householdsTotal: 3,
      householdsRefused: 0,
    });
    const p = await completed(res.json().importId);
    expect(p).toMatchObject({ done: 3, created: 3, alreadyPresent: 0, failed: 0 });
    const today = civilDateOf(new Date());
    const next = firstMonthToRoster(WorkingCalendar.builtin(), today, '2023-05');
    for (const h of hh) {
      const id = caseIdOf(h.key);
      const view = await until(async () => {
        const r = await env.api.inject({
          url: `/v1/cases/${id}`,
          headers: env.as('township_staff', '140802101'),
        });
        return r.statusCode === 200
          ? (r.json() as { nextMonth: string; nextReviewOn: string; members: { idNumber: string }[] })
          : undefined;
      }, `case ${id}`);
      expect(view).toMatchObject({
        caseId: id,
        status: 'active',
        monthlyAmount: '812.50',
        persons: 2,
        startMonth: '2023-05',
      });
      expect(view.nextMonth).toBe(next);
      expect(view.nextReviewOn).toBe(`${nextReview}-01`);
      expect(view.members.map((m: { idNumber: string }) => m.idNumber).sort()).toEqual([...h.ids].sort());
    }
    const ids = hh.map((h) => caseIdOf(h.key));
    // No month before the import is handed to a payroll, and nothing is owed for them.
    expect(
      await count(`SELECT count(*)::int AS n FROM case_months WHERE case_id = ANY($1) AND month < $2`, [
        ids,
        next,
      ]),
    ).toBe(0);
    expect(
      await count(`SELECT count(*)::int AS n FROM case_adjustments WHERE case_id = ANY($1)`, [ids]),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM person_enrolments WHERE holder_id = ANY($1) AND released_at IS NULL`,
        [ids],
      ),
    ).toBe(6);
  }, 120_000);

  it('R-A1: a valid XLSX (Chinese headers) imports its households', async () => {
    const zh = [
      '户编号',
      '救助类别',
      '村(社区)代码',
      '城乡',
      '姓名',
      '身份证号',
      '与户主关系',
      '月保障金额',
      '起始月份',
      '下次复核月份',
      '渐退报告日期',
      '近亲属备案',
      '收入不稳定',
    ];
    const hh = households(2, { size: 3 });
    const res = await upload(await toXlsx(hh, zh), { type: XLSX });
    expect(res.statusCode).toBe(202);
    const p = await completed(res.json().importId);
    expect(p).toMatchObject({ created: 2, failed: 0 });
    expect(
      await count('SELECT count(*)::int AS n FROM cases WHERE case_id = ANY($1)', [
        hh.map((h) => caseIdOf(h.key)),
      ]),
    ).toBe(2);
  }, 120_000);

  it('R-A1: one invalid row refuses the whole file with a report per row (nothing written); validOnly imports the valid households', async () => {
    const hh = households(4, { size: 2 });
    hh[1]!.rows[1]![5] = `${hh[1]!.ids[1]!.slice(0, 17)}${hh[1]!.ids[1]!.endsWith('1') ? '2' : '1'}`; // check digit
    hh[2]!.rows[0]![7] = '650.123'; // three decimal places
    hh[3]!.rows[0]![2] = '110101001001'; // another county's village
    const before = await count('SELECT count(*)::int AS n FROM imports');
    const res = await upload(toCsv(hh));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ rowsTotal: 8, rowsInvalid: 5 });
    expect(body.rows).toEqual([
      expect.objectContaining({ row: 5, household: hh[1]!.key, field: 'idNumber' }),
      expect.objectContaining({ row: 6, household: hh[2]!.key, field: 'monthlyAmount' }),
      // a household's rows agree on the case's columns
      expect.objectContaining({ row: 7, household: hh[2]!.key, field: 'monthlyAmount' }),
      expect.objectContaining({ row: 8, household: hh[3]!.key, field: 'villageCode' }),
      expect.objectContaining({ row: 9, household: hh[3]!.key, field: 'villageCode' }),
    ]);
    expect(JSON.stringify(body)).not.toContain(hh[1]!.ids[0]!); // the report names no ID number
    expect(await count('SELECT count(*)::int AS n FROM imports')).toBe(before);
    expect(
      await count('SELECT count(*)::int AS n FROM cases WHERE case_id = $1', [caseIdOf(hh[0]!.key)]),
    ).toBe(0);

    const partial = await upload(toCsv(hh), { validOnly: true });
    expect(partial.statusCode).toBe(202);
    expect(partial.json()).toMatchObject({ householdsTotal: 1, householdsRefused: 3, rowsInvalid: 5 });
    const p = await completed(partial.json().importId);
    expect(p).toMatchObject({ created: 1, failed: 0 });
    expect(
      await count('SELECT count(*)::int AS n FROM cases WHERE case_id = ANY($1)', [
        hh.map((h) => caseIdOf(h.key)),
      ]),
    ).toBe(1);
  }, 120_000);

  it('R-A1: a member already in an active case is refused, naming the case', async () => {
    const existing = await createCase(env, VILLAGE, 2);
    const hh = households(2, { size: 2 });
    hh[0]!.rows[1]![5] = existing.ids[0]!;
    const res = await upload(toCsv(hh));
    expect(res.statusCode).toBe(422);
    expect(res.json().rows).toEqual([
      expect.objectContaining({
        row: 3,
        household: hh[0]!.key,
        field: 'idNumber',
        message: expect.stringContaining(existing.caseId),
      }),
    ]);
  }, 120_000);

  it('R-A1: a header row that is not the layout is a 400 naming the missing column', async () => {
    const res = await upload(
      toCsv(
        households(1),
        HEADERS.filter((h) => h !== 'monthly_amount'),
      ),
    );
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().errors)).toContain('monthly_amount');
  });

  it('R-A1: the same file imported twice creates nothing new; the second import reports the households as already present', async () => {
    const file = toCsv(households(5, { size: 2 }));
    const first = await upload(file);
    expect((await completed(first.json().importId)).created).toBe(5);
    const cases = await count('SELECT count(*)::int AS n FROM cases');
    const enrolments = await count('SELECT count(*)::int AS n FROM person_enrolments');
    const second = await upload(file);
    expect(second.statusCode).toBe(202);
    expect(second.json().importId).not.toBe(first.json().importId);
    expect(await completed(second.json().importId)).toMatchObject({
      created: 0,
      alreadyPresent: 5,
      failed: 0,
    });
    expect(await count('SELECT count(*)::int AS n FROM cases')).toBe(cases);
    expect(await count('SELECT count(*)::int AS n FROM person_enrolments')).toBe(enrolments);
  }, 120_000);

  it('R-O7: the import workflow carries ids and counts only — even decrypted, its history has no name or ID number', async () => {
    const hh = households(3, { size: 2 });
    const res = await upload(toCsv(hh));
    const id = res.json().importId as string;
    await completed(id);
    const history = (await env.client.workflow.getHandle(importWorkflowId(id)).fetchHistory()) as HistoryLike;
    const codec = payloadCodec(parseConfig({ NODE_ENV: 'test' }));
    const decoded = await codec.decode(payloadsIn(history).map((p) => p.payload));
    const text = `${rawJson(history)}\n${decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n')}`;
    expect(text).toContain(caseIdOf(hh[0]!.key));
    for (const h of hh) for (const i of h.ids) expect(text).not.toContain(i);
    expect(text).not.toContain('张三');
  }, 120_000);

  it('R-M1: a page of cases is started by one activity — no child workflow in the import history, each case once, by reference', async () => {
    const hh = households(3, { size: 2 });
    const id = (await upload(toCsv(hh))).json().importId as string;
    expect(await completed(id)).toMatchObject({ created: 3 });
    const events = (await env.client.workflow.getHandle(importWorkflowId(id)).fetchHistory()).events ?? [];
    expect(events.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
    const activities = events.flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    expect(activities.filter((a) => a === 'startImportedCases')).toHaveLength(1);
    for (const h of hh) {
      const d = await env.client.workflow.getHandle(caseWorkflowId(caseIdOf(h.key))).describe();
      expect(d.status.name).toBe('RUNNING');
      expect(d.parentExecution).toBeUndefined();
    }
  }, 120_000);

  it('R-A1 R-M1: a worker process killed mid-import — another worker resumes it, every household a case exactly once', async () => {
    const hh = households(240, { size: 2 });
    await env.stopWorker();
    const child = await spawnWorker(env);
    const res = await upload(toCsv(hh));
    expect(res.statusCode).toBe(202);
    const id = res.json().importId as string;
    // Killed while the first page of households is being recorded and their cases started.
    await until(
      async () =>
        (await count('SELECT count(*)::int AS n FROM cases WHERE import_id = $1', [id])) >= 20
          ? true
          : undefined,
      'some households recorded',
      { tries: 600, everyMs: 100 },
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const mid = await progress(id);
    expect(mid.done).toBeLessThan(240);
    await env.startWorker();
    expect(await completed(id, 3000)).toMatchObject({
      done: 240,
      created: 240,
      alreadyPresent: 0,
      failed: 0,
    });
    const ids = hh.map((h) => caseIdOf(h.key));
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE case_id = ANY($1)', [ids])).toBe(240);
    expect(await count('SELECT count(*)::int AS n FROM import_outcomes WHERE import_id = $1', [id])).toBe(
      240,
    );
    const held = await env.pool.query(
      `SELECT id_number, count(*)::int AS n FROM person_enrolments WHERE holder_id = ANY($1) AND released_at IS NULL GROUP BY 1`,
      [ids],
    );
    expect(held.rows).toHaveLength(480);
    expect(held.rows.every((r) => r.n === 1)).toBe(true);
    // Every case workflow runs (each saved its first state), one per household.
    await until(
      async () =>
        (await count('SELECT count(*)::int AS n FROM cases WHERE case_id = ANY($1) AND revision > 0', [
          ids,
        ])) === 240
          ? true
          : undefined,
      'all cases saved',
      { tries: 2400, everyMs: 250 },
    );
    const started = new Set<string>();
    for await (const w of env.client.workflow.list({
      query: `TaskQueue = "${env.taskQueue}" AND WorkflowType = "caseWorkflow"`,
    }))
      started.add(w.workflowId);
    expect(ids.filter((c) => !started.has(`case:${c}`))).toEqual([]);
  }, 900_000);
});
