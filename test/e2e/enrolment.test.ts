import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateOf } from '../../domain/dates';
import type { Household, Member } from '../../domain/household';
import { householdSchema } from '../../domain/household-schema';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { createCase, type Made } from '../helpers/e2e-cases';
import { COUNTY, household, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// R-A1, R-E3: one person in one active holder, and a one-person enrolment is a case of one person,
// through the HTTP API with the real worker, activities and Postgres. The time-skipping server runs
// the 7-day publicity (R-A4) of the one-person approval.

let ts: TestWorkflowEnvironment;
let env: ApiEnv;
let held: Made; // an active case of three

beforeAll(async () => {
  ts = await createTimeSkippingEnv();
  env = await startApiEnv({ timeSkipping: ts, sub: 'enrol', env: { TEMPORAL_CALL_TIMEOUT: '30s' } });
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
  held = await createCase(env, VILLAGE);
}, 120_000);

afterAll(async () => {
  await env?.stop();
  await ts?.teardown();
});

const township = () => env.as('township_staff', TOWNSHIP);
const county = () => env.as('county_staff', COUNTY);
// The API checks dates against the wall clock ("not in the future"); workflow time may run ahead.
const today = () => civilDateOf(new Date());
const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  env.api.inject({ method: 'POST', url, headers, payload: payload as never });
const get = (url: string, headers = township()) => env.api.inject({ url, headers });
const activeHolders = async (ids: string[]) =>
  (
    await env.pool.query(
      `SELECT id_number, holder_kind, holder_id FROM person_enrolments
       WHERE id_number = ANY($1) AND released_at IS NULL ORDER BY id_number`,
      [ids],
    )
  ).rows as { id_number: string; holder_kind: string; holder_id: string }[];

const member = (patch: Partial<Member>): Member => ({
  name: '王五',
  idNumber: idNumber('1990-01-01'),
  relation: 'child',
  seriousIllness: false,
  ableToWork: true,
  incomes: [],
  assets: { financial: '0.00', vehicles: 0, extraHousing: false },
  rigidExpenses: [],
  hasSupporter: true,
  ...patch,
});

async function receive(hh: Household) {
  const created = await post('/v1/applications', township(), {
    category: 'dibao',
    villageCode: VILLAGE,
    acceptedOn: today(),
    delegated: false,
    closeRelative: false,
    household: hh,
  });
  expect(created.statusCode).toBe(201);
  return created.json().applicationId as string;
}

describe('enrolment through the HTTP API (time-skipping server)', () => {
  it('R-A1: an investigation adding a person of an active case is 409 naming the case, and nothing is written', async () => {
    const hh = household({ size: 2 });
    const applicationId = await receive(hh);
    const url = `/v1/applications/${applicationId}`;
    const taken = member({ name: '借来的', idNumber: held.ids[2]! });
    const before = await env.pool.query('SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1', [
      applicationId,
    ]);
    const refused = await post(`${url}/investigation`, township(), {
      household: { ...hh, members: [...hh.members, taken] },
      findings: 'a third person lives here',
      visitedOn: today(),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json()).toMatchObject({ holderKind: 'case', holderId: held.caseId });
    // R-O7: the message names the holder, not the person.
    expect(refused.json().detail).not.toContain(taken.idNumber);
    expect(refused.json().detail).not.toContain(taken.name);
    // Nothing written: the person stays with the case, the application is as it was.
    expect(await activeHolders([taken.idNumber])).toMatchObject([{ holder_id: held.caseId }]);
    const after = await env.pool.query('SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1', [
      applicationId,
    ]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const view = (await get(url)).json();
    expect(view.stage).toBe('verifying');
    expect(view.investigation).toBeUndefined();
    // The household as it is can be recorded.
    const ok = await post(`${url}/investigation`, township(), {
      household: hh,
      findings: 'visited',
      visitedOn: today(),
    });
    expect(ok.statusCode).toBe(200);
  });

  it('R-A1 R-M5: a change report adding a person held by an application is 409; a person removed is released', async () => {
    const hh = household({ size: 2 });
    const applicationId = await receive(hh);
    const url = `/v1/cases/${held.caseId}/changes`;
    const added = hh.members[1]!;
    const refused = await post(url, township(), {
      changeId: `add-${applicationId}`,
      kind: 'members',
      reportedOn: today(),
      summary: 'a relative moved in',
      members: { added: [{ idNumber: added.idNumber, name: added.name, relation: 'other' }] },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ holderKind: 'application', holderId: applicationId });
    expect(await activeHolders([added.idNumber])).toMatchObject([{ holder_id: applicationId }]);
    const caseView = (await get(`/v1/cases/${held.caseId}`)).json();
    expect(caseView.members.map((m: { idNumber: string }) => m.idNumber)).toEqual(held.ids);

    // The case's third member moves out: released from the case, so another household may claim them.
    const removed = await post(url, township(), {
      changeId: `out-${applicationId}`,
      kind: 'members',
      reportedOn: today(),
      summary: 'the son moved out',
      members: { removed: [held.ids[2]] },
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().members.map((m: { idNumber: string }) => m.idNumber)).toEqual(held.ids.slice(0, 2));
    expect(await activeHolders([held.ids[2]!])).toEqual([]);
    const joined = await post(`/v1/applications/${applicationId}/investigation`, township(), {
      household: { ...hh, members: [...hh.members, member({ idNumber: held.ids[2]! })] },
      findings: 'the son lives here now',
      visitedOn: today(),
    });
    expect(joined.statusCode).toBe(200);
    expect(await activeHolders([held.ids[2]!])).toMatchObject([{ holder_id: applicationId }]);
  });

  it('R-E3 R-A9: the one-person enrolment of a three-person marginal household is a case of one person, published as one', async () => {
    const earner = member({
      name: '钱大',
      relation: 'applicant',
      idNumber: idNumber('1960-01-01'),
      incomes: [{ kind: 'pension', monthlyAmount: '2400.00' }],
    });
    const disabled = member({ name: '钱二', disability: { grade: 1, type: 'physical' }, ableToWork: false });
    const spouse = member({ name: '孙三', relation: 'spouse', idNumber: idNumber('1962-01-01') });
    const hh = householdSchema.parse({
      residence: 'rural',
      livesApartFromRegistration: false,
      filedAwayFromHome: false,
      members: [earner, disabled, spouse],
    });
    const applicationId = await receive(hh);
    const url = `/v1/applications/${applicationId}`;
    expect(
      (
        await post(`${url}/investigation`, township(), {
          household: hh,
          findings: 'visited',
          visitedOn: today(),
        })
      ).statusCode,
    ).toBe(200);
    const checked = await post(`${url}/economic-check`, env.as('integration', COUNTY), {
      checkId: `chk-${applicationId}`,
      verified: [],
      findings: 'as declared',
    });
    expect(checked.json().assessment).toMatchObject({
      suggestedCategory: 'marginal',
      singlePersonEnrolments: [{ idNumber: disabled.idNumber, monthlyAmount: '650.00' }],
    });
    const opinion = await post(`${url}/initial-opinion`, township(), {
      eligible: true,
      category: 'dibao',
      proposedMonthlyAmount: '650.00',
      reasons: 'the disabled son is enrolled alone (R-E3)',
    });
    expect(opinion.statusCode).toBe(200);
    // R-A4: the notice board shows the one person being enrolled, not the household.
    const posted = (await get(`/v1/publicity?village=${VILLAGE}`)).json();
    expect(
      posted.publicity.find((p: { applicationId: string }) => p.applicationId === applicationId),
    ).toMatchObject({
      householdSize: 1,
      applicant: '钱*',
      proposedMonthlyAmount: '650.00',
    });
    await ts.sleep('8 days');
    const approved = await post(`${url}/decision`, county(), {
      approve: true,
      monthlyAmount: '650.00',
      reasons: 'as publicised',
    });
    expect(approved.statusCode).toBe(200);
    const caseId = approved.json().decision.caseId as string;

    const c = (await get(`/v1/cases/${caseId}`)).json();
    expect(c).toMatchObject({ persons: 1, monthlyAmount: '650.00' });
    expect(c.members.map((m: { idNumber: string }) => m.idNumber)).toEqual([disabled.idNumber]);
    const board = (await get(`/v1/publicity?village=${VILLAGE}`)).json();
    // R-A9: published under the name of the person the case supports, as one person.
    expect(board.published.filter((p: { applicant: string }) => p.applicant === disabled.name)).toEqual([
      expect.objectContaining({ householdSize: 1, monthlyAmount: '650.00' }),
    ]);
    // R-A1: the case holds its one person; the others are held by nobody.
    const holders = await activeHolders([earner.idNumber, disabled.idNumber, spouse.idNumber]);
    expect(holders).toEqual([{ id_number: disabled.idNumber, holder_kind: 'case', holder_id: caseId }]);
    // R-O5: each month handed to the payroll counts one person (the statistics sum these).
    await ts.sleep('40 days');
    const months = (await get(`/v1/cases/${caseId}/payments`)).json().months as { persons: number }[];
    expect(months.length).toBeGreaterThan(0);
    expect(months.every((m) => m.persons === 1)).toBe(true);
  }, 120_000);
});
