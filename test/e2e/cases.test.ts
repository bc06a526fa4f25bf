import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { addDays, addMonthsToYearMonth, civilDateOf, dayInMonth, monthOf } from '../../domain/dates';
import { visitReportDue } from '../../domain/deadlines';
import { type CaseInput, caseWorkflowId } from '../../workflows/messages';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, context, household, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// Cases in benefit, integrations and visit reports end to end on the Temporal dev server: HTTP API
// (Fastify inject) → case workflow → worker with the real activities → Postgres. A case normally
// comes from an approval after the 7-day publicity; here it is made directly (rows + workflow start).

let env: ApiEnv;
let api: ApiEnv['api'];
let pool: ApiEnv['pool'];
let client: ApiEnv['client'];
const OTHER_TOWNSHIP = '140802102';
const OTHER_VILLAGE = '140802102201';
type Made = { caseId: string; ids: string[] };
let a: Made; // VILLAGE: death notices, hits, changes, reviews
let b: Made; // OTHER_VILLAGE: outside a township caller's region
let c: Made; // VILLAGE: the visit report

const today = () => civilDateOf(new Date());
const month = () => monthOf(today());
const count = async (table: string) =>
  (await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

async function createCase(villageCode: string, size = 3): Promise<Made> {
  const hh = household({ size });
  const caseId = `A${COUNTY}${today().replaceAll('-', '')}${randomBytes(4).toString('hex').toUpperCase()}`;
  const lastMonth = addMonthsToYearMonth(month(), -1);
  const approvedOn = dayInMonth(lastMonth, 1);
  const members = hh.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation }));
  await pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by) VALUES ($1,'dibao',$2,$3,$4,$5,false,false,'approved','e2e')`,
    [caseId, villageCode, villageCode.slice(0, 9), COUNTY, approvedOn],
  );
  await pool.query(
    `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
       monthly_amount, start_month, approved_on, approved_by, members)
     VALUES ($1,$1,'dibao',$2,$3,$4,'active','1000.00',$5,$6,'county_staff-e2e',$7)`,
    [caseId, villageCode, villageCode.slice(0, 9), COUNTY, lastMonth, approvedOn, JSON.stringify(members)],
  );
  for (const m of members)
    await pool.query(
      `INSERT INTO person_enrolments (id_number, holder_kind, holder_id) VALUES ($1,'case',$2)`,
      [m.idNumber, caseId],
    );
  const ctx = context();
  const input: CaseInput = {
    caseId,
    applicationId: caseId,
    category: 'dibao',
    villageCode,
    residence: 'rural',
    members: members.map((m) => ({ ...m, covered: true })),
    approvedOn,
    approvedBy: 'county_staff-e2e',
    startMonth: lastMonth, // already past its roster cut-off: the ledger has a month at once
    monthlyAmount: '1000.00',
    closeRelative: false,
    unstableIncome: false,
    policy: ctx.policy,
    deadlines: ctx.deadlines,
    runtimeYears: [],
  };
  await client.workflow.start('caseWorkflow', {
    taskQueue: env.taskQueue,
    workflowId: caseWorkflowId(caseId),
    args: [input],
  });
  await until(async () => {
    const { rows } = await pool.query('SELECT revision FROM cases WHERE case_id = $1', [caseId]);
    return rows[0].revision > 0;
  }, `case ${caseId} saved`);
  return { caseId, ids: members.map((m) => m.idNumber) };
}

beforeAll(async () => {
  env = await startApiEnv();
  ({ api, pool, client } = env);
  [a, b, c] = await Promise.all([createCase(VILLAGE), createCase(OTHER_VILLAGE), createCase(VILLAGE)]);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const as = (role: string, region: string) => env.as(role, region);
const township = () => as('township_staff', TOWNSHIP);
const integration = () => as('integration', TOWNSHIP);
const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  api.inject({ method: 'POST', url, headers, payload: payload as never });
type Task = { taskId: string; kind: string; subject: { idNumber?: string }; due: { date: string } };
const caseView = async (id: string) =>
  (await api.inject({ url: `/v1/cases/${id}`, headers: township() })).json();
const taskOf = (id: string, pick: (t: Task) => boolean) =>
  until(async () => ((await caseView(id)).tasks as Task[]).find(pick), `a task of ${id}`);

describe('cases in benefit, integrations and visit reports through the HTTP API (dev server)', () => {
  it('401 without a token, 403 out of region, 404 unknown; the case, its ledger and the OpenAPI components', async () => {
    expect((await api.inject({ url: `/v1/cases/${a.caseId}` })).statusCode).toBe(401);
    const get = (url: string, headers: Record<string, string>) => api.inject({ url, headers });
    expect((await get(`/v1/cases/${a.caseId}`, as('township_staff', OTHER_TOWNSHIP))).statusCode).toBe(403);
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
      month: addMonthsToYearMonth(month(), -1),
      amount: '1000.00',
      persons: 3,
      status: 'regular',
    });
    const doc = (await api.inject({ url: '/docs/json' })).json();
    expect(doc.components.schemas).toHaveProperty('Case');
    expect(doc.components.schemas).toHaveProperty('DeathNoticeReport');
  });

  it('R-M2: a death-notice batch answers line by line (202); the matched death opens a review; a repeat changes nothing', async () => {
    const url = '/v1/integrations/death-notices';
    const yesterday = addDays(today(), -1);
    const stranger = idNumber();
    const sent = `pre-${randomBytes(3).toString('hex')}`;
    const first = await post(url, integration(), {
      notices: [{ noticeId: sent, idNumber: idNumber(), diedOn: yesterday }],
    });
    expect(first.json().results[0].outcome).toBe('unknown');
    const id = a.ids[2]!;
    const badCheck = `${a.ids[1]!.slice(0, 17)}${a.ids[1]!.endsWith('0') ? '1' : '0'}`;
    const notices = [
      { noticeId: 'n-1', idNumber: id, diedOn: yesterday, source: 'integration' },
      { noticeId: 'n-1', idNumber: id, diedOn: yesterday },
      { noticeId: sent, idNumber: stranger, diedOn: yesterday },
      { noticeId: 'n-2', idNumber: badCheck, diedOn: yesterday },
      { noticeId: 'n-3', idNumber: a.ids[1], diedOn: '2099-01-01' },
      { noticeId: 'n-4', idNumber: stranger, diedOn: yesterday },
      { noticeId: 'n-5', idNumber: b.ids[0], diedOn: yesterday },
      'not an object',
    ];
    const headers = { ...integration(), 'idempotency-key': `deaths-${Math.random()}` };
    const res = await post(url, headers, { notices });
    expect(res.statusCode).toBe(202);
    const { results, counts } = res.json();
    const outcomes = 'matched duplicate duplicate invalid invalid unknown forbidden invalid';
    expect(results.map((r: { outcome: string }) => r.outcome).join(' ')).toBe(outcomes);
    expect(results[0]).toMatchObject({ noticeId: 'n-1', caseId: a.caseId });
    expect(results[3].problems[0].path).toBe('idNumber');
    expect(results[4].problems[0].path).toBe('diedOn');
    expect(counts).toEqual({ matched: 1, duplicate: 2, unknown: 1, forbidden: 1, invalid: 3 });
    const outcomeOf = async (noticeId: string) =>
      (await pool.query('SELECT outcome, case_id FROM death_notices WHERE notice_id = $1', [noticeId]))
        .rows[0];
    // A person no case holds: kept apart from death_notices, which only the case workflow writes.
    expect(await outcomeOf('n-4')).toBeUndefined();
    const unmatched = await pool.query('SELECT id_number FROM unmatched_death_notices WHERE notice_id = $1', [
      'n-4',
    ]);
    expect(unmatched.rows).toEqual([{ id_number: stranger }]);

    const review = await taskOf(a.caseId, (t) => t.kind === 'death_review' && t.subject.idNumber === id);
    expect(review.due.date > today()).toBe(true);
    await until(async () => (await outcomeOf('n-1')).outcome === 'applied', 'the outcome of n-1');

    const rows = await count('death_notices');
    const again = await post(url, headers, { notices });
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(res.json());
    expect(await count('death_notices')).toBe(rows);
    // The same death from another source still reaches the case, which counts it once.
    const other = await post(url, integration(), {
      notices: [{ noticeId: 'n-6', idNumber: id, diedOn: yesterday, source: 'staff' }],
    });
    expect(other.json().results[0]).toMatchObject({ outcome: 'matched', caseId: a.caseId });
    const once = await until(async () => {
      const v = await caseView(a.caseId);
      return v.history.some((e: { action: string }) => e.action === 'death_notice_duplicate') && v;
    }, 'n-6 counted once');
    expect(once.tasks.filter((t: Task) => t.kind === 'death_review')).toHaveLength(1);
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

  it('R-M7: a visit report fans a death and an employment out to the case; zero report with entries 400; a different second report 409', async () => {
    const payload = {
      villageCode: VILLAGE,
      month: month(),
      zeroReport: false,
      entries: [
        { idNumber: c.ids[2], kind: 'death', occurredOn: addDays(today(), -1), summary: 'died at home' },
        {
          idNumber: c.ids[1],
          kind: 'employment',
          occurredOn: today(),
          perCapitaIncome: '300.00',
          summary: 'works',
        },
      ],
    };
    const res = await post('/v1/visit-reports', township(), payload);
    expect(res.statusCode).toBe(201);
    const due = visitReportDue(WorkingCalendar.builtin(), month());
    expect(res.json()).toMatchObject({ due, late: today() > due.date });
    expect(res.json().results).toEqual([
      { index: 0, kind: 'death', outcome: 'matched', caseId: c.caseId },
      { index: 1, kind: 'employment', outcome: 'matched', caseId: c.caseId },
    ]);
    await taskOf(c.caseId, (t) => t.kind === 'death_review' && t.subject.idNumber === c.ids[2]);
    await taskOf(c.caseId, (t) => t.taskId === `change-visit:${VILLAGE}:${month()}:1`);
    // The case records the notice itself (an activity after the signal): wait for it.
    const notice = await until(async () => {
      const { rows } = await pool.query('SELECT source, case_id FROM death_notices WHERE notice_id = $1', [
        `visit:${VILLAGE}:${month()}:0`,
      ]);
      return rows.length > 0 && rows;
    }, 'the visit-report death recorded by the case');
    expect(notice).toEqual([{ source: 'visit_report', case_id: c.caseId }]);

    const zero = await post('/v1/visit-reports', township(), { ...payload, zeroReport: true });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors[0].path).toBe('body.entries');
    const same = await post('/v1/visit-reports', township(), payload);
    expect(same.statusCode).toBe(200);
    const other = await post('/v1/visit-reports', township(), { ...payload, zeroReport: true, entries: [] });
    expect(other.statusCode).toBe(409);
  });

  it('R-M7 R-O3: supervision lists the village with open cases and no report; its township cannot forward yet', async () => {
    const url = `/v1/supervision/visit-reports?month=${month()}`;
    const res = await api.inject({ url, headers: as('supervisor', COUNTY) });
    expect(res.statusCode).toBe(200);
    const villages = res.json().villages.map((v: { villageCode: string }) => v.villageCode);
    expect(villages).toEqual([OTHER_VILLAGE]);
    expect(res.json().villages[0]).toMatchObject({
      openCases: 1,
      overdue: today() > res.json().villages[0].due.date,
    });
    const blocked = await post('/v1/visit-reports/forwards', as('township_staff', OTHER_TOWNSHIP), {
      townshipCode: OTHER_TOWNSHIP,
      month: month(),
    });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().villages).toEqual([OTHER_VILLAGE]);
    const fwd = await post('/v1/visit-reports/forwards', township(), {
      townshipCode: TOWNSHIP,
      month: month(),
    });
    expect(fwd.statusCode).toBe(201);
    const after = (await api.inject({ url, headers: as('county_staff', COUNTY) })).json();
    expect(after.townships.map((t: { townshipCode: string }) => t.townshipCode)).toEqual([OTHER_TOWNSHIP]);
    expect((await api.inject({ url, headers: township() })).statusCode).toBe(403);
  });

  it('R-M2: a death reported by staff on the case opens the review; the same report again is one event; a non-member is 400', async () => {
    const d = await createCase(VILLAGE);
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
    const g = await createCase(VILLAGE);
    await client.workflow.getHandle(caseWorkflowId(g.caseId)).terminate('gone for the test');
    const report = { noticeId: `gone-${g.caseId}`, idNumber: g.ids[1], diedOn: today() };
    const res = await post(`/v1/cases/${g.caseId}/deaths`, township(), report);
    expect([400, 403, 404, 409, 410, 422, 503]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const rows = await pool.query('SELECT 1 FROM death_notices WHERE notice_id = $1', [report.noticeId]);
    expect(rows.rowCount).toBe(0);
  });
});
