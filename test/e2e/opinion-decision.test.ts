import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { civilDateOf } from '../../domain/dates';
import type { Household } from '../../domain/household';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// R-A5 R-E2 R-A6 through the API on the time-skipping server (the 7-day publicity is workflow time):
// what the public saw is the opinion — no approval contradicts it, a county that disagrees sends the
// application back; a marginal household is registered, never paid; a special circumstance found
// on the way extends the procedure.
let ts: TestWorkflowEnvironment;
let env: ApiEnv;
beforeAll(async () => {
  ts = await createTimeSkippingEnv();
  env = await startApiEnv({ timeSkipping: ts, sub: 'opinion', env: { TEMPORAL_CALL_TIMEOUT: '30s' } });
  const standard = await env.api.inject({
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
  expect(standard.statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await env?.stop();
  await ts?.teardown();
});

const township = () => env.as('township_staff', TOWNSHIP);
const county = () => env.as('county_staff', COUNTY);
const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  env.api.inject({ method: 'POST', url, headers, payload: payload as never });
const count = async (sql: string, args: unknown[] = []) =>
  (await env.pool.query(sql, args)).rows[0].n as number;

/** Receipt and both verification results (dates the API checks against the wall clock). */
async function verified(hh: Household = household({ monthlyIncome: '300.00' })) {
  const today = civilDateOf(new Date());
  const created = await post('/v1/applications', township(), {
    category: 'dibao',
    villageCode: VILLAGE,
    acceptedOn: today,
    delegated: false,
    closeRelative: false,
    household: hh,
  });
  expect(created.statusCode).toBe(201);
  const url = `/v1/applications/${created.json().applicationId}`;
  const visit = { household: hh, findings: 'visited', visitedOn: today };
  expect((await post(`${url}/investigation`, township(), visit)).statusCode).toBe(200);
  const check = { checkId: `chk-${url}`, verified: [], findings: 'nothing else' };
  expect((await post(`${url}/economic-check`, env.as('integration', COUNTY), check)).statusCode).toBe(200);
  return { id: created.json().applicationId as string, url, hh };
}

async function publicised(url: string, opinion: Record<string, unknown>) {
  const res = await post(`${url}/initial-opinion`, township(), { reasons: 'as assessed', ...opinion });
  expect(res.statusCode, res.body).toBe(200);
  await ts.sleep('8 days'); // R-A4: the 7 days have run
}

describe('the decision follows the publicised opinion (time-skipping server)', () => {
  it('R-A5 R-E2: after a not-eligible opinion an approval of 5000.00 is refused (422) and pays nothing; sent back, a new opinion and publicity lead to the approval', async () => {
    const { id, url } = await verified();
    await publicised(url, { eligible: false });
    const cases = () => count('SELECT count(*)::int AS n FROM cases WHERE application_id = $1', [id]);
    const approve = { approve: true, monthlyAmount: '5000.00', reasons: 'the county disagrees' };
    const refused = await post(`${url}/decision`, county(), approve);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().detail).toContain('new 7-day publicity');
    expect(await cases()).toBe(0);
    // The county sends it back; the township gives a positive opinion, publicised again.
    const back = await post(`${url}/return`, county(), { reasons: 'the pension is exempt income' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ stage: 'initial_opinion' });
    expect(back.json().history.at(-1)).toMatchObject({ action: 'returned_for_new_opinion' });
    await publicised(url, { eligible: true, category: 'dibao', proposedMonthlyAmount: '1000.00' });
    const approved = await post(`${url}/decision`, county(), { ...approve, monthlyAmount: '1000.00' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().publicity.round).toBe(2);
    await until(async () => (await cases()) === 1, 'the case');
  });

  it('R-A5 R-E2 R-L1: after a marginal opinion an approval of 300.00 is refused; confirmed without money, the household is registered as marginal and no case pays it', async () => {
    const { id, url, hh } = await verified(household({ monthlyIncome: '900.00' }));
    await publicised(url, { eligible: true, category: 'marginal' });
    const paid = await post(`${url}/decision`, county(), {
      approve: true,
      monthlyAmount: '300.00',
      reasons: 'x',
    });
    expect(paid.statusCode).toBe(422);
    const confirmed = await post(`${url}/decision`, county(), {
      approve: true,
      reasons: 'marginal as publicised',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ stage: 'approved' });
    expect(confirmed.json().decision.caseId).toBeUndefined();
    const groups = await until(async () => {
      const { rows } = await env.pool.query(
        `SELECT h.groups FROM register_members m JOIN register_households h USING (household_key) WHERE m.id_number = $1`,
        [hh.members[0]!.idNumber],
      );
      return rows[0]?.groups as string[] | undefined;
    }, 'the register entry');
    expect(groups).toEqual(['marginal']);
    expect(await count('SELECT count(*)::int AS n FROM cases WHERE application_id = $1', [id])).toBe(0);
    expect((await env.api.inject({ url: `/v1/cases/${id}`, headers: county() })).statusCode).toBe(404);
  });

  it('R-A6: a hard investigation found at the visit extends the procedure to 45 working days, once, with its reason and actor', async () => {
    const { url } = await verified();
    const extend = { circumstance: 'hard_investigation', reason: 'the household was away at two visits' };
    const res = await post(`${url}/extension`, township(), extend);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    const overall = view.deadlines.filter(
      (d: { kind: string; superseded?: boolean }) => d.kind === 'overall' && !d.superseded,
    );
    expect(overall).toHaveLength(1);
    expect(overall[0]).toMatchObject(WorkingCalendar.builtin().addWorkingDays(view.acceptedOn, 45));
    expect(view.history.at(-1)).toMatchObject({
      action: 'procedure_extended',
      by: { role: 'township_staff' },
      reason: extend.reason,
    });
    const again = await post(`${url}/extension`, township(), extend);
    expect(again.statusCode).toBe(422);
    expect(
      (await post(`${url}/extension`, township(), { ...extend, circumstance: 'holiday' })).statusCode,
    ).toBe(400);
  });
});
