import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { caseCalls, createCase, type Made, OTHER_TOWNSHIP, type Task, today } from '../helpers/e2e-cases';
import { COUNTY, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// Cases in benefit end to end on the Temporal dev server: HTTP API (Fastify inject) → case workflow
// → worker with the real activities → Postgres. Integration batches and visit reports are in
// intake.test.ts.

let env: ApiEnv;
let api: ApiEnv['api'];
let pool: ApiEnv['pool'];
let client: ApiEnv['client'];
let a: Made; // VILLAGE: hits, changes, reviews

beforeAll(async () => {
  env = await startApiEnv();
  ({ api, pool, client } = env);
  a = await createCase(env, VILLAGE);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const as = (role: string, region: string) => env.as(role, region);
const township = () => as('township_staff', TOWNSHIP);
const integration = () => as('integration', TOWNSHIP);
const post = (...args: Parameters<ReturnType<typeof caseCalls>['post']>) => caseCalls(env).post(...args);
const caseView = (id: string) => caseCalls(env).caseView(id);
const taskOf = (id: string, pick: (t: Task) => boolean) => caseCalls(env).taskOf(id, pick);
const count = (table: string) => caseCalls(env).count(table);

describe('cases in benefit through the HTTP API (dev server)', () => {
  it('401 without a token, 404 out of region (R-O7: like an unknown case), 404 unknown; the case, its ledger and the OpenAPI components', async () => {
    expect((await api.inject({ url: `/v1/cases/${a.caseId}` })).statusCode).toBe(401);
    const get = (url: string, headers: Record<string, string>) => api.inject({ url, headers });
    const outside = await get(`/v1/cases/${a.caseId}`, as('township_staff', OTHER_TOWNSHIP));
    expect(outside.statusCode).toBe(404);
    expect(outside.body).not.toContain(OTHER_TOWNSHIP);
    expect((await get('/v1/cases/A140802NOSUCHCASE', township())).statusCode).toBe(404);
    const view = await api.inject({ url: `/v1/cases/${a.caseId}`, headers: as('supervisor', COUNTY) });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      status: 'active',
      monthlyAmount: '1000.00',
      persons: 3,
      source: 'workflow',
    });
    const ledger = await api.inject({ url: `/v1/cases/${a.caseId}/payments`, headers: township() });
    expect(ledger.statusCode).toBe(200);
    expect(ledger.json().months[0]).toMatchObject({
      month: a.startMonth,
      amount: '1000.00',
      persons: 3,
      status: 'regular',
    });
    const doc = (await api.inject({ url: '/docs/json' })).json();
    expect(doc.components.schemas).toHaveProperty('Case');
    expect(doc.components.schemas).toHaveProperty('DeathNoticeReport');
  });

  it('R-M6 R-A11: comparison hits open a check and remove nobody; a repeat changes nothing', async () => {
    const url = '/v1/integrations/comparison-hits';
    const hit = {
      kind: 'police_deregistration',
      detectedOn: today(),
      source: 'police',
      details: 'deregistered',
    };
    const hits = [
      { ...hit, hitId: 'h-1', idNumber: a.ids[0] },
      { ...hit, hitId: 'h-1', idNumber: a.ids[0] },
      { ...hit, hitId: 'h-2', idNumber: a.ids[0], kind: 'astrology' },
      { ...hit, hitId: 'h-3', idNumber: idNumber() },
    ];
    const headers = { ...integration(), 'idempotency-key': `hits-${Math.random()}` };
    const res = await post(url, headers, { hits });
    expect(res.statusCode).toBe(202);
    const outcomes = res.json().results.map((r: { outcome: string }) => r.outcome);
    expect(outcomes.join(' ')).toBe('matched duplicate invalid unknown');
    expect(res.json().results[2].problems[0].path).toBe('kind');
    await taskOf(a.caseId, (t) => t.taskId === 'check-h-1' && t.kind === 'data_check');
    const view = await caseView(a.caseId);
    expect(view.status).toBe('active');
    expect(view.members.find((m: { idNumber: string }) => m.idNumber === a.ids[0]).covered).toBe(true);
    const rows = await count('comparison_hits');
    const again = await post(url, headers, { hits });
    expect(again.json()).toEqual(res.json());
    expect(await count('comparison_hits')).toBe(rows);
  });

  it('R-M5: a change report is 200; wrong role 403, unknown case 404, bad body 400 naming the field', async () => {
    const body = { changeId: 'c-1', kind: 'income', reportedOn: today(), summary: 'pension rose' };
    const ok = await post(`/v1/cases/${a.caseId}/changes`, township(), body);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().tasks.some((t: Task) => t.taskId === 'change-c-1' && t.kind === 'change_review')).toBe(
      true,
    );
    expect((await post(`/v1/cases/${a.caseId}/changes`, as('county_staff', COUNTY), body)).statusCode).toBe(
      403,
    );
    expect((await post(`/v1/cases/A140802NOSUCHCASE/changes`, township(), body)).statusCode).toBe(404);
    const bad = await post(`/v1/cases/${a.caseId}/changes`, township(), { ...body, kind: 'lottery' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('body.kind');
  });

  it('R-M6 R-M2: an unknown review is 404; continue closes the data check and the case goes on', async () => {
    const body = { outcome: 'continue', reasons: 'checked: still lives here' };
    const none = await post(`/v1/cases/${a.caseId}/reviews/no-such-review`, township(), body);
    expect(none.statusCode).toBe(404);
    const res = await post(`/v1/cases/${a.caseId}/reviews/check-h-1`, as('county_staff', COUNTY), body);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('active');
    expect(res.json().tasks.some((t: Task) => t.taskId === 'check-h-1')).toBe(false);
  });

  it('R-M2: a death reported by staff on the case opens the review; the same report again is one event; a non-member is 400', async () => {
    const d = await createCase(env, VILLAGE);
    const url = `/v1/cases/${d.caseId}/deaths`;
    const report = { noticeId: `staff-${d.caseId}`, idNumber: d.ids[1], diedOn: today() };
    const first = await api.inject({
      method: 'POST',
      url,
      headers: as('township_staff', TOWNSHIP),
      payload: report,
    });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ outcome: 'matched', caseId: d.caseId });
    const again = await api.inject({
      method: 'POST',
      url,
      headers: as('township_staff', TOWNSHIP),
      payload: report,
    });
    expect(again.json().outcome).toBe('duplicate');
    const stranger = await api.inject({
      method: 'POST',
      url,
      headers: as('township_staff', TOWNSHIP),
      payload: { ...report, noticeId: 'x', idNumber: idNumber() },
    });
    expect(stranger.statusCode).toBe(400);
    const view = await until(async () => {
      const v = (
        await api.inject({ url: `/v1/cases/${d.caseId}`, headers: as('township_staff', TOWNSHIP) })
      ).json();
      return v.tasks?.some((t: { kind: string }) => t.kind === 'death_review') ? v : undefined;
    }, 'the death review');
    expect(view.tasks.filter((t: { kind: string }) => t.kind === 'death_review')).toHaveLength(1);
    const row = await pool.query('SELECT source, outcome FROM death_notices WHERE notice_id = $1', [
      report.noticeId,
    ]);
    expect(row.rows[0].source).toBe('staff');
    // R-O6: the death is the staff member's act in the case history, not the system's.
    const recorded = view.history.find((e: { action: string }) => e.action === 'death_recorded');
    expect(recorded.by).toMatchObject({ role: 'township_staff' });
    expect(recorded.by.sub).not.toBe('system');
  });

  it('R-M2: a death reported for a case whose workflow is gone answers a problem (4xx/503) and leaves no notice', async () => {
    const g = await createCase(env, VILLAGE);
    await client.workflow.getHandle(caseWorkflowId(g.caseId)).terminate('gone for the test');
    const report = { noticeId: `gone-${g.caseId}`, idNumber: g.ids[1], diedOn: today() };
    const res = await post(`/v1/cases/${g.caseId}/deaths`, township(), report);
    expect([400, 403, 404, 409, 410, 422, 503]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const rows = await pool.query('SELECT 1 FROM death_notices WHERE notice_id = $1', [report.noticeId]);
    expect(rows.rowCount).toBe(0);
  });
});
