import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { app as apiPlugin } from '../../api/app';
import { parseConfig } from '../../config/env';
import { addMonthsToYearMonth, civilDateOf, monthOf } from '../../domain/dates';
import { caseStateQuery, caseWorkflowId } from '../../workflows/contracts';
import { freshDatabase } from '../helpers/db';
import { testDataConverter, testEnv, testIdKeys } from '../helpers/env';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// The whole path from receipt to approval (and to rejection) through the HTTP API, with the real
// worker, activities and Postgres. The 7-day publicity (R-A4) is real workflow time, so these run on
// the time-skipping server (env.sleep), not the dev server; the dev-server e2e covers visibility.

let env: TestWorkflowEnvironment;
let api: FastifyInstance;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let pool: pg.Pool;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `e2e-path-${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = await freshDatabase();
  pool = db.pool;
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
    activities: createActivities({ pool, idKeys: testIdKeys() }),
    dataConverter: testDataConverter(),
  });
  running = worker.run();
  api = Fastify({ logger: false });
  await api.register(apiPlugin, { config, pool, temporal: env.client });
  await api.ready();
  const standard = await api.inject({
    method: 'PUT',
    url: '/v1/admin/standards',
    headers: as('admin', '14'),
    payload: {
      countyCode: COUNTY,
      effectiveFrom: '2020-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    },
  });
  expect(standard.statusCode).toBe(200);
}, 120_000);

afterAll(async () => {
  await api?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.drop();
});

const as = (role: string, region: string, sub = `${role}-path`) => ({
  authorization: `Bearer ${api.jwt.sign({ sub, role, region } as never)}`,
});
const township = () => as('township_staff', TOWNSHIP);
const county = () => as('county_staff', COUNTY);
// Workflow time, which the server moves on when the test sleeps.
const workflowToday = async () => civilDateOf(new Date(await env.currentTimeMs()));

async function post(url: string, headers: Record<string, string>, payload: unknown) {
  return api.inject({ method: 'POST', url, headers, payload: payload as never });
}

/** Receipt, both verification results and the opinion: the application is then in publicity. */
async function toPublicity(delegated = false) {
  const body = {
    category: 'dibao',
    villageCode: VILLAGE,
    acceptedOn: civilDateOf(new Date()),
    delegated,
    closeRelative: false,
    household: household({ monthlyIncome: '300.00' }),
  };
  const created = await post('/v1/applications', township(), body);
  expect(created.statusCode).toBe(201);
  const { applicationId } = created.json();
  const url = `/v1/applications/${applicationId}`;
  const today = await workflowToday();
  expect(
    (
      await post(`${url}/investigation`, township(), {
        household: body.household,
        findings: 'visited',
        visitedOn: today,
      })
    ).statusCode,
  ).toBe(200);
  expect(
    (
      await post(`${url}/economic-check`, as('integration', COUNTY), {
        checkId: `chk-${applicationId}`,
        verified: [],
        findings: 'nothing else',
      })
    ).statusCode,
  ).toBe(200);
  const opinion = await post(`${url}/initial-opinion`, township(), {
    eligible: true,
    category: 'dibao',
    proposedMonthlyAmount: '1000.00',
    reasons: 'income below the standard',
  });
  expect(opinion.json().stage).toBe('publicity');
  return { applicationId, url, body };
}

describe('the whole path through the HTTP API (time-skipping server, real worker and Postgres)', () => {
  it('R-A1 … R-A5 R-A8 R-O6: receipt → verification → opinion → 7-day publicity → county approval → case and entitlement', async () => {
    const { applicationId, url } = await toPublicity();
    const early = await post(`${url}/decision`, county(), {
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'eligible',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().stage).toBe('publicity');

    await env.sleep('8 days'); // R-A4: publicity has run its 7 days
    const view = (await api.inject({ url, headers: county() })).json();
    expect(view.stage).toBe('decision');

    // Not delegated: the township may not decide (R-A5).
    const byTownship = await post(`${url}/decision`, township(), {
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'eligible',
    });
    expect(byTownship.statusCode).toBe(403);

    const key = `decision-${applicationId}`;
    const decisionBody = { approve: true, monthlyAmount: '1000.00', reasons: 'income below the standard' };
    const approved = await post(`${url}/decision`, { ...county(), 'idempotency-key': key }, decisionBody);
    expect(approved.statusCode).toBe(200);
    expect(approved.json().stage).toBe('approved');
    const decidedOn = await workflowToday();
    const startMonth = addMonthsToYearMonth(monthOf(decidedOn), 1);
    expect(approved.json().decision).toMatchObject({
      startMonth,
      monthlyAmount: '1000.00',
      by: 'county_staff-path',
    });

    // The same request again: the first answer, nothing new.
    const replay = await post(`${url}/decision`, { ...county(), 'idempotency-key': key }, decisionBody);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    // A new decision (new key) on a decided application: 409 with the stage.
    const twice = await post(`${url}/decision`, county(), decisionBody);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().stage).toBe('approved');

    // R-A8: the case with its first entitlement from the month after the decision.
    const cases = await pool.query(
      'SELECT case_id, status, monthly_amount, start_month FROM cases WHERE application_id = $1',
      [applicationId],
    );
    expect(cases.rows).toEqual([
      { case_id: applicationId, status: 'active', monthly_amount: '1000.00', start_month: startMonth },
    ]);
    const ent = await pool.query(
      'SELECT effective_month, monthly_amount, parameter_version FROM entitlements WHERE case_id = $1',
      [applicationId],
    );
    expect(ent.rows).toEqual([
      {
        effective_month: startMonth,
        monthly_amount: '1000.00',
        parameter_version: `${COUNTY}-2020-01-01-v1`,
      },
    ]);

    // The read model and the audit trail saw every step (R-O6), with who and why.
    const read = await pool.query('SELECT stage, decided_on FROM applications WHERE application_id = $1', [
      applicationId,
    ]);
    expect(read.rows[0].stage).toBe('approved');
    // R-A6: the decision's date, for SLA compliance by month (GET /v1/supervision/sla).
    expect(read.rows[0].decided_on).toBe(approved.json().decision.on);
    const audit = await pool.query(
      `SELECT action, actor_sub AS actor FROM audit_events WHERE subject_id = $1 ORDER BY id`,
      [applicationId],
    );
    const actions = audit.rows.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'received',
        'investigation_recorded',
        'economic_check_recorded',
        'initial_opinion_recorded',
        'publicity_ended',
        'approved',
      ]),
    );
    expect(audit.rows.find((r) => r.action === 'approved')?.actor).toBe('county_staff-path');

    // Approval started the case-in-benefit workflow, which owns the entitlement now.
    const caseView = await env.client.workflow.getHandle(caseWorkflowId(applicationId)).query(caseStateQuery);
    expect(caseView).toMatchObject({ status: 'active', monthlyAmount: '1000.00', startMonth, persons: 2 });

    // The GET serves the history and every deadline with its provisional flag.
    const final = (await api.inject({ url, headers: as('supervisor', COUNTY) })).json();
    expect(final.history.at(-1).action).toBe('approved');
    for (const d of final.deadlines) expect(typeof d.provisional).toBe('boolean');
  });

  it('R-A5 R-A6: delegated approval — the township decides after publicity, within 20 working days', async () => {
    const { applicationId, url } = await toPublicity(true);
    const view = (await api.inject({ url, headers: township() })).json();
    const overall = view.deadlines.find((d: { kind: string }) => d.kind === 'overall');
    expect(overall.workingDays).toBe(20);
    await env.sleep('8 days');
    const decided = await post(`${url}/decision`, township(), {
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'eligible',
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().stage).toBe('approved');
    const cases = await pool.query('SELECT count(*)::int AS n FROM cases WHERE application_id = $1', [
      applicationId,
    ]);
    expect(cases.rows[0].n).toBe(1);
  });

  it('R-A7: a rejection after publicity issues a written notice with reasons, served by GET /v1/notices/{id}', async () => {
    const { applicationId, url, body } = await toPublicity();
    await env.sleep('8 days');
    const rejected = await post(`${url}/decision`, county(), {
      approve: false,
      reasons: 'household financial assets above the county limit',
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().stage).toBe('rejected');
    const noticeId = rejected.json().decision.noticeId;
    expect(noticeId).toBeTruthy();
    const notice = await api.inject({ url: `/v1/notices/${noticeId}`, headers: township() });
    expect(notice.statusCode).toBe(200);
    expect(notice.json()).toMatchObject({
      kind: 'rejection',
      subjectId: applicationId,
      addressee: body.household.members[0]!.name,
      reasons: 'household financial assets above the county limit',
    });
    expect(notice.json().dueOn >= notice.json().decidedOn).toBe(true);
    // A caller outside the village's township does not see it, nor learn that it exists (R-O7: 404).
    const other = await api.inject({
      url: `/v1/notices/${noticeId}`,
      headers: as('township_staff', '140802102'),
    });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain(VILLAGE);
    // The members are free again: no case was made and the enrolment was released.
    const cases = await pool.query('SELECT count(*)::int AS n FROM cases WHERE application_id = $1', [
      applicationId,
    ]);
    expect(cases.rows[0].n).toBe(0);
  });

  it('R-M8 R-M1: a standard raised through PUT /v1/admin/standards reaches the approved case; its first rostered month carries the new amount', async () => {
    const { applicationId, url } = await toPublicity();
    await env.sleep('8 days');
    const approved = await post(`${url}/decision`, county(), {
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'income below the standard',
    });
    expect(approved.statusCode).toBe(200);
    const startMonth: string = approved.json().decision.startMonth;
    const put = await api.inject({
      method: 'PUT',
      url: '/v1/admin/standards',
      headers: as('admin', '14'),
      payload: {
        countyCode: COUNTY,
        effectiveFrom: `${startMonth}-01`,
        standardUrban: '850.00',
        standardRural: '700.00',
      },
    });
    expect(put.statusCode).toBe(200);
    const { version, adjustmentWorkflowId } = put.json();
    await env.client.workflow.getHandle(adjustmentWorkflowId).result();
    const handle = env.client.workflow.getHandle(caseWorkflowId(applicationId));
    const v = await handle.query(caseStateQuery);
    expect(v.appliedPolicyVersions).toContain(version);
    expect(v.monthlyAmount).toBe('1100.00'); // rural household of two: (700 − 650) × 2 more
    // The month reaches the roster at its cut-off and is written for the payroll (R-M1).
    await env.sleep('40 days');
    const months = await pool.query(
      'SELECT month, amount, status FROM case_months WHERE case_id = $1 ORDER BY month',
      [applicationId],
    );
    expect(months.rows[0]).toEqual({ month: startMonth, amount: '1100.00', status: 'regular' });
    const rates = await pool.query(
      'SELECT effective_month, monthly_amount, persons FROM entitlements WHERE case_id = $1 ORDER BY recorded_at',
      [applicationId],
    );
    expect(rates.rows.map((r) => r.monthly_amount)).toEqual(['1000.00', '1100.00']);
    expect(rates.rows[1].persons).toBe(2); // the head count the standard change multiplied by
  });

  it('R-A4 R-A9: the village notice board shows the publicity (names masked), then the approved household: the applicant by name, its size and amount; no ID numbers', async () => {
    const { applicationId, url, body } = await toPublicity();
    const board = async () =>
      (await api.inject({ url: `/v1/publicity?village=${VILLAGE}`, headers: township() })).json();
    const during = await board();
    const listed = during.publicity.find((p: { applicationId: string }) => p.applicationId === applicationId);
    expect(listed).toMatchObject({
      applicant: '张*',
      householdSize: 2,
      proposedMonthlyAmount: '1000.00',
      round: 1,
    });
    expect(JSON.stringify(during)).not.toContain(body.household.members[0]!.idNumber);
    const entry = { applicant: body.household.members[0]!.name, householdSize: 2, monthlyAmount: '1000.00' };
    const shown = (b: { published: object[] }) =>
      b.published.filter((c) => expect.objectContaining(entry).asymmetricMatch(c)).length;
    await env.sleep('8 days');
    await post(`${url}/decision`, county(), { approve: true, monthlyAmount: '1000.00', reasons: 'eligible' });
    const after = await board();
    expect(after.publicity.some((p: { applicationId: string }) => p.applicationId === applicationId)).toBe(
      false,
    );
    expect(shown(after)).toBe(shown(during) + 1);
    for (const c of after.published)
      expect(Object.keys(c).sort()).toEqual(['applicant', 'category', 'householdSize', 'monthlyAmount']);
    for (const m of body.household.members) expect(JSON.stringify(after)).not.toContain(m.idNumber);
    expect(JSON.stringify(after.published)).not.toContain(body.household.members[1]!.name);
    const bad = await api.inject({ url: '/v1/publicity?village=1408', headers: township() });
    expect(bad.statusCode).toBe(400);
    expect((await api.inject({ url: `/v1/publicity?village=${VILLAGE}` })).statusCode).toBe(401);
  });
});
