import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedCaseId } from '../../domain/caseload-import';
import { addDays, addMonthsToYearMonth, dayInMonth } from '../../domain/dates';
import { caseWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY_CODE, households, toCsv } from '../helpers/caseload';
import { caseCalls, createCase, month, rosteredSince, type Task, today } from '../helpers/e2e-cases';
import { testIdKeys } from '../helpers/env';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// R-M2 deaths the case learns of late, through the HTTP API with the real worker and Postgres on the
// time-skipping server (the 7-day publicity and the roster cut-offs are workflow time): a notice for
// a pending application, a notice that matched no one until an import, a death reported after the
// case closed and its workflow completed (R-M10), and extreme-poverty support per person (R-E6).
// Dates the API checks (not in the future) are the wall clock's; the cases report what they rostered.

let ts: TestWorkflowEnvironment;
let env: ApiEnv;
let calls: ReturnType<typeof caseCalls>;

beforeAll(async () => {
  ts = await createTimeSkippingEnv();
  env = await startApiEnv({ timeSkipping: ts, sub: 'late-deaths' });
  calls = caseCalls(env);
  const res = await env.api.inject({
    method: 'PUT',
    url: '/v1/admin/standards',
    headers: env.as('admin', '14'),
    payload: {
      countyCode: COUNTY,
      effectiveFrom: '2020-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    },
  });
  expect(res.statusCode).toBe(200);
}, 120_000);

afterAll(async () => {
  await env?.stop();
  await ts?.teardown();
});

const township = () => env.as('township_staff', TOWNSHIP);
const county = () => env.as('county_staff', COUNTY);
const integration = () => env.as('integration', COUNTY);
const deaths = (notices: unknown[]) =>
  calls.post('/v1/integrations/death-notices', integration(), { notices });
type Payments = {
  adjustments: { kind: string; amount: string }[];
  demands: { amount: string; status: string; noticeId: string | null }[];
};
const payments = async (id: string): Promise<Payments> =>
  (await env.api.inject({ url: `/v1/cases/${id}/payments`, headers: county() })).json();
const noticeKinds = async (ids: string[]) =>
  Promise.all(
    ids.map(
      async (id) => (await env.api.inject({ url: `/v1/notices/${id}`, headers: county() })).json().kind,
    ),
  );

/** Receipt, both verification results and the opinion: the application is then in publicity. */
async function inPublicity() {
  const hh = household({ monthlyIncome: '300.00' });
  const body = {
    category: 'dibao',
    villageCode: VILLAGE,
    acceptedOn: today(),
    delegated: false,
    closeRelative: false,
    household: hh,
  };
  const created = await calls.post('/v1/applications', township(), body);
  expect(created.statusCode).toBe(201);
  const url = `/v1/applications/${created.json().applicationId}`;
  const steps: [string, Record<string, string>, unknown][] = [
    [`${url}/investigation`, township(), { household: hh, findings: 'visited', visitedOn: today() }],
    [
      `${url}/economic-check`,
      integration(),
      { checkId: `chk-${url}`, verified: [], findings: 'nothing else' },
    ],
    [
      `${url}/initial-opinion`,
      township(),
      {
        eligible: true,
        category: 'dibao',
        proposedMonthlyAmount: '1000.00',
        reasons: 'income below the standard',
      },
    ],
  ];
  for (const [u, headers, payload] of steps)
    expect((await calls.post(u, headers, payload)).statusCode).toBe(200);
  return {
    applicationId: created.json().applicationId as string,
    url,
    ids: hh.members.map((m) => m.idNumber),
  };
}

describe('deaths the case learns of late (HTTP API, time-skipping server)', () => {
  it('R-M2: a notice for a member of a pending application is kept (pending) and the approved case applies it — a death before the admission, flagged for a county check', async () => {
    const app = await inPublicity();
    const sent = await deaths([
      { noticeId: `pending-${app.applicationId}`, idNumber: app.ids[1], diedOn: addDays(today(), -1) },
    ]);
    expect(sent.statusCode).toBe(202);
    expect(sent.json().results[0]).toMatchObject({ outcome: 'pending', applicationId: app.applicationId });
    expect(sent.json().counts).toMatchObject({ pending: 1, unknown: 0 });
    await ts.sleep('8 days'); // R-A4: the publicity has run
    const approved = await calls.post(`${app.url}/decision`, county(), {
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'eligible',
    });
    expect(approved.statusCode).toBe(200);
    const caseId = approved.json().decision.caseId as string;
    const check = await calls.taskOf(caseId, (t: Task) => t.taskId === `admission-${app.ids[1]}`);
    expect(check.kind).toBe('data_check');
    const recorded = await until(async () => {
      const { rows } = await env.pool.query(
        'SELECT case_id, outcome FROM death_notices WHERE notice_id = $1',
        [`pending-${app.applicationId}`],
      );
      return rows[0];
    }, 'the kept notice recorded by the case');
    expect(recorded).toEqual({ case_id: caseId, outcome: 'applied' });
  });

  it('R-M2 R-M10: a notice that matched no one reaches the case an import makes for the person — the months the old system paid after the death are demanded back', async () => {
    const hh = households(1, {
      size: 1,
      amount: '650.00',
      startMonth: addMonthsToYearMonth(month(), -6),
      nextReview: addMonthsToYearMonth(month(), 6),
    });
    const id = hh[0]!.ids[0]!;
    const diedOn = dayInMonth(addMonthsToYearMonth(month(), -4), 10);
    const first = await deaths([{ noticeId: `nobody-${id}`, idNumber: id, diedOn }]);
    expect(first.json().results[0].outcome).toBe('unknown');
    const res = await env.api.inject({
      method: 'POST',
      url: `/v1/imports/cases?countyCode=${COUNTY_CODE}`,
      headers: { ...env.as('admin', COUNTY_CODE), 'content-type': 'text/csv' },
      payload: toCsv(hh),
    });
    expect(res.statusCode).toBe(202);
    const caseId = importedCaseId(testIdKeys(), COUNTY_CODE, hh[0]!.key);
    const p = await until(
      async () => {
        const x = await payments(caseId);
        return x.demands[0]?.noticeId ? x : undefined;
      },
      'the repayment demand',
      { tries: 300, everyMs: 200 },
    );
    // The demand's notice reaches the payments view and the case's own list in separate effects.
    const v = await until(async () => {
      const view = await calls.caseView(caseId, county());
      return view.notices.length === 2 ? view : undefined;
    }, "the case's notices");
    const after = addMonthsToYearMonth(month(), -3);
    expect(v.closed).toMatchObject({ reason: 'death', fromMonth: after });
    const paidByOldSystem = rosteredSince(v, after); // up to the first month this system rosters
    expect(paidByOldSystem.length).toBeGreaterThanOrEqual(3);
    expect(p.demands).toEqual([
      expect.objectContaining({ amount: (650 * paidByOldSystem.length).toFixed(2), status: 'open' }),
    ]);
    expect(await noticeKinds(v.notices)).toEqual(['stop', 'repayment_demand']);
  });

  /** A one-person case paid two months, then stopped by a data check: closed, its workflow completed. */
  async function closedCase() {
    const c = await createCase(env, VILLAGE, 1);
    await ts.sleep('35 days'); // this month and the next are rostered
    const hit = await calls.post('/v1/integrations/comparison-hits', integration(), {
      hits: [
        {
          hitId: `hit-${c.caseId}`,
          kind: 'police_deregistration',
          idNumber: c.ids[0],
          detectedOn: today(),
          source: 'police',
          details: 'moved away',
        },
      ],
    });
    expect(hit.statusCode).toBe(202);
    const check = await calls.taskOf(c.caseId, (t: Task) => t.kind === 'data_check');
    const stop = await calls.post(`/v1/cases/${c.caseId}/reviews/${check.taskId}`, county(), {
      outcome: 'stop',
      reasons: 'moved out of the county',
    });
    expect(stop.statusCode).toBe(200);
    await expect(env.client.workflow.getHandle(caseWorkflowId(c.caseId)).result()).resolves.toMatchObject({
      status: 'closed',
    });
    expect((await payments(c.caseId)).demands).toEqual([]); // nothing was owed at the closure
    return c;
  }

  it('R-M2 R-M10: a death reported after the case closed and its workflow completed — the case runs again and demands the months paid after the death', async () => {
    const c = await closedCase();
    const late = await deaths([
      { noticeId: `late-${c.caseId}`, idNumber: c.ids[0], diedOn: dayInMonth(c.startMonth, 2) },
    ]);
    expect(late.json().results[0]).toMatchObject({ outcome: 'matched', caseId: c.caseId });
    const p = await until(async () => {
      const x = await payments(c.caseId);
      return x.demands[0]?.noticeId ? x : undefined;
    }, 'the repayment demand of the closed case');
    const v = await calls.caseView(c.caseId, county());
    const recovered = rosteredSince(v, month()); // from the month after death to the closure
    expect(recovered.length).toBeGreaterThanOrEqual(2);
    expect(p.demands).toEqual([
      expect.objectContaining({ amount: (1000 * recovered.length).toFixed(2), status: 'open' }),
    ]);
    expect(v.status).toBe('closed');
    // The same notice again is a duplicate: the case recorded it.
    const again = await deaths([
      { noticeId: `late-${c.caseId}`, idNumber: c.ids[0], diedOn: dayInMonth(c.startMonth, 2) },
    ]);
    expect(again.json().results[0].outcome).toBe('duplicate');
  });

  it('R-M2 R-M10: township staff report the late death on the closed case itself — taken like a late notice, the months paid after the death demanded', async () => {
    const c = await closedCase();
    const report = {
      noticeId: `staff-late-${c.caseId}`,
      idNumber: c.ids[0],
      diedOn: dayInMonth(c.startMonth, 2),
    };
    const res = await calls.post(`/v1/cases/${c.caseId}/deaths`, township(), report);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ noticeId: report.noticeId, outcome: 'matched', caseId: c.caseId });
    const p = await until(async () => {
      const x = await payments(c.caseId);
      return x.demands[0]?.noticeId ? x : undefined;
    }, 'the repayment demand of the closed case');
    const v = await calls.caseView(c.caseId, county());
    const recovered = rosteredSince(v, month());
    expect(p.demands).toEqual([
      expect.objectContaining({ amount: (1000 * recovered.length).toFixed(2), status: 'open' }),
    ]);
    // R-O6: the staff member is the death's actor in the case history.
    expect(v.history.find((e: { action: string }) => e.action === 'death_recorded')?.by).toMatchObject({
      role: 'township_staff',
    });
    const again = await calls.post(`/v1/cases/${c.caseId}/deaths`, township(), report);
    expect(again.json().outcome).toBe('duplicate');
  });

  it('R-E6 R-M2: one of two extreme-poverty persons dies — that support ends from the next month with a reduction notice, no household review', async () => {
    const c = await createCase(env, VILLAGE, 2, 'extreme_poverty');
    const res = await calls.post(`/v1/cases/${c.caseId}/deaths`, township(), {
      noticeId: `staff-${c.caseId}`,
      idNumber: c.ids[1],
      diedOn: dayInMonth(c.startMonth, 2),
    });
    expect(res.statusCode).toBe(202);
    const v = await until(async () => {
      const x = await calls.caseView(c.caseId, county());
      return x.notices.length > 0 && x;
    }, 'the reduction notice');
    expect(v.tasks.filter((t: Task) => t.kind === 'death_review')).toEqual([]);
    expect(v).toMatchObject({ status: 'active', monthlyAmount: '500.00', persons: 1 });
    expect(await noticeKinds(v.notices)).toEqual(['reduction']);
  });
});
