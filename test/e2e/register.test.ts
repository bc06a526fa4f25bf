import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { addDays, civilDateOf, startOfCivilDay } from '../../domain/dates';
import type { Household } from '../../domain/household';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { households, toCsv } from '../helpers/caseload';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// The low-income register (R-L1 … R-L3) through the HTTP API with the real worker, activities and
// Postgres, on the time-skipping server: the application path's 7-day publicity and the 15-working-day
// visit are workflow time (env.sleep).

let ts: TestWorkflowEnvironment;
let env: ApiEnv;
const OTHER_TOWNSHIP = '140802102';

beforeAll(async () => {
  ts = await createTimeSkippingEnv();
  // A shared two-core machine: the API's Temporal deadline is longer than production's 10 s.
  env = await startApiEnv({ timeSkipping: ts, sub: 'register', env: { TEMPORAL_CALL_TIMEOUT: '30s' } });
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
// Dates the API checks against the wall clock ("not in the future"); workflow time runs ahead of it.
const today = async () => civilDateOf(new Date());
const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  env.api.inject({ method: 'POST', url, headers, payload: payload as never });
const get = (url: string, headers = township()) => env.api.inject({ url, headers });
const membersOf = (h: Household) =>
  h.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation }));
const count = async (table: string) =>
  (await env.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

/** The register entries holding a person (there must be at most one). */
async function entriesOf(idNumber: string) {
  const { rows } = await env.pool.query(
    `SELECT h.household_key, h.revision FROM register_members m JOIN register_households h USING (household_key)
     WHERE m.id_number = $1`,
    [idNumber],
  );
  return rows as { household_key: string; revision: number }[];
}
const household$ = async (id: string) => (await get(`/v1/register/households/${id}`)).json();

/** Receipt → verification → opinion → 7 days → county decision (R-A1 … R-A5). */
async function decide(hh: Household, category: 'dibao' | 'marginal', approve = true) {
  const created = await post('/v1/applications', township(), {
    category,
    villageCode: VILLAGE,
    acceptedOn: await today(),
    delegated: false,
    closeRelative: false,
    household: hh,
  });
  expect(created.statusCode).toBe(201);
  const { applicationId } = created.json();
  const url = `/v1/applications/${applicationId}`;
  const visitedOn = await today();
  expect(
    (await post(`${url}/investigation`, township(), { household: hh, findings: 'visited', visitedOn }))
      .statusCode,
  ).toBe(200);
  expect(
    (
      await post(`${url}/economic-check`, env.as('integration', COUNTY), {
        checkId: `chk-${applicationId}`,
        verified: [],
        findings: 'nothing else',
      })
    ).statusCode,
  ).toBe(200);
  const cash = category !== 'marginal';
  const opinion = await post(`${url}/initial-opinion`, township(), {
    eligible: true,
    category,
    ...(cash ? { proposedMonthlyAmount: '1000.00' } : {}),
    reasons: 'as assessed',
  });
  expect(opinion.json().stage).toBe('publicity');
  await ts.sleep('8 days');
  const decided = await post(`${url}/decision`, county(), {
    approve,
    ...(approve && cash ? { monthlyAmount: '1000.00' } : {}),
    reasons: 'as publicised',
  });
  expect(decided.statusCode).toBe(200);
  return { applicationId, caseId: decided.json().decision.caseId as string | undefined };
}

async function registerByVisit(hh: Household, extra: Record<string, unknown> = {}) {
  const res = await post('/v1/register/households', township(), {
    source: 'visit',
    villageCode: VILLAGE,
    foundOn: await today(),
    members: membersOf(hh),
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('low-income register (R-L1 … R-L3)', () => {
  // First: once cases exist, every skipped week also runs their roster months.
  it('R-L2 R-O6: a warning opens a visit due 15 working days after it was detected; a visit dated before it is refused; at risk, then overdue', async () => {
    const hh = household();
    const { householdId } = await registerByVisit(hh, { groups: ['marginal'] });
    // Detected three days before it is sent: the visit is counted from detection (R-L2, as R-M6).
    const detectedOn = addDays(await today(), -3);
    const sent = {
      hitId: `warn-${householdId}`,
      kind: 'job_loss',
      idNumber: hh.members[1]!.idNumber,
      detectedOn,
      source: 'human resources bureau',
    };
    const hits = await post('/v1/integrations/monitoring-hits', env.as('integration', COUNTY), {
      hits: [sent],
    });
    expect(hits.statusCode).toBe(202);
    expect(hits.json().results).toMatchObject([{ outcome: 'matched', householdId }]);
    const warning = await until(async () => (await household$(householdId)).openWarnings[0], 'the warning');
    expect(warning.due.date).toBe(WorkingCalendar.builtin().addWorkingDays(detectedOn, 15).date);
    expect(warning).toMatchObject({ atRisk: false, overdue: false, reasons: [{ kind: 'job_loss' }] });
    // R-O6: the warning is recorded as the integration that sent it.
    const warned = await env.pool.query(
      `SELECT actor_sub, actor_role FROM audit_events
       WHERE subject_kind = 'register' AND subject_id = $1 AND action = 'warning'`,
      [householdId],
    );
    expect(warned.rows).toEqual([{ actor_sub: 'integration-register', actor_role: 'integration' }]);
    // The same hit again is a duplicate: no second warning.
    const again = await post('/v1/integrations/monitoring-hits', env.as('integration', COUNTY), {
      hits: [sent],
    });
    expect(again.json().results[0].outcome).toBe('duplicate');
    const flagged = (await get(`/v1/register?region=${TOWNSHIP}&flag=open`)).json();
    expect(flagged.items.map((i: { householdId: string }) => i.householdId)).toContain(householdId);
    // A visit dated before the warning was detected does not answer it: 422, nothing written.
    const revision = (await entriesOf(hh.members[0]!.idNumber))[0]!.revision;
    const early = await post(`/v1/register/households/${householdId}/visits`, township(), {
      visitId: 'v-early',
      visitedOn: addDays(detectedOn, -1),
      findings: 'seen before the job loss',
    });
    expect(early.statusCode).toBe(422);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect((await entriesOf(hh.members[0]!.idNumber))[0]!.revision).toBe(revision);
    expect((await household$(householdId)).openWarnings).toHaveLength(1);

    const untilInstant = async (at: Date) =>
      ts.sleep(Math.max(1, at.getTime() + 3_600_000 - (await ts.currentTimeMs())));
    await untilInstant(startOfCivilDay(warning.atRiskOn));
    const atRisk = await until(async () => {
      const w = (await household$(householdId)).openWarnings[0];
      return w.atRisk ? w : undefined;
    }, 'at risk');
    expect(atRisk.overdue).toBe(false);
    await untilInstant(startOfCivilDay(WorkingCalendar.builtin().addWorkingDays(warning.due.date, 1).date));
    await until(async () => (await household$(householdId)).openWarnings[0].overdue, 'overdue');
    const overdue = (await get(`/v1/register?region=${COUNTY}&flag=overdue`, county())).json();
    expect(overdue.items.map((i: { householdId: string }) => i.householdId)).toContain(householdId);
    const alerts = await env.pool.query(
      `SELECT flag FROM supervision_alerts WHERE subject_kind = 'register' AND subject_id = $1 ORDER BY flag`,
      [householdId],
    );
    expect(alerts.rows.map((r) => r.flag)).toEqual(['at_risk', 'overdue']);
  }, 120_000);

  it('R-L1 R-E2: a marginal decision registers the household as marginal, found by its application', async () => {
    // 2 persons, rural standard 650: 1500 is above 1300 and below 1.5 × 1300.
    const hh = household({ monthlyIncome: '1500.00' });
    const { applicationId } = await decide(hh, 'marginal');
    const [entry] = await until(async () => {
      const e = await entriesOf(hh.members[0]!.idNumber);
      return e.length ? e : undefined;
    }, 'the register entry');
    const view = await household$(entry!.household_key);
    expect(view.groups).toEqual(['marginal']);
    expect(view.sources).toMatchObject([{ source: 'application', ref: applicationId }]);
    expect(view.members.map((m: { idNumber: string }) => m.idNumber).sort()).toEqual(
      hh.members.map((m) => m.idNumber).sort(),
    );
    const list = (await get(`/v1/register?region=${TOWNSHIP}&group=marginal`)).json();
    expect(list.items.map((i: { householdId: string }) => i.householdId)).toContain(entry!.household_key);
  }, 120_000);

  it('R-L1: a household added by a visit appears once, even when an application later finds it', async () => {
    const hh = household();
    const added = await registerByVisit(hh);
    expect(added.sources).toMatchObject([{ source: 'visit' }]);
    expect(added.householdId).toMatch(/^H-dev1-[0-9a-f]{32}$/);
    // No ID number or name in the workflow id (R-O7).
    expect(added.householdId).not.toContain(hh.members[0]!.idNumber);

    const { applicationId } = await decide(hh, 'dibao');
    await until(async () => (await household$(added.householdId)).groups.includes('dibao'), 'the approval');
    for (const m of hh.members) expect(await entriesOf(m.idNumber)).toHaveLength(1);
    const view = await household$(added.householdId);
    expect(view.sources.map((s: { source: string }) => s.source)).toEqual(['visit', 'application']);
    expect(view.sources[1].ref).toBe(applicationId);
  }, 120_000);

  it("R-L1 R-O6: a closure by stop keeps a former recipient, one for fraud only leaves dibao; the hit is the integration's", async () => {
    // Both approvals first: on the time-skipping server a publicity sleep after a closed case's Update
    // does not return (seen before this test too).
    const stopped = household();
    const defrauded = household();
    const cases = [await decide(stopped, 'dibao'), await decide(defrauded, 'dibao')];
    const keys: string[] = [];
    for (const hh of [stopped, defrauded]) {
      const [entry] = await until(async () => {
        const e = await entriesOf(hh.members[0]!.idNumber);
        return e.length ? e : undefined;
      }, 'the register entry');
      keys.push(entry!.household_key);
      expect((await household$(entry!.household_key)).groups).toEqual(['dibao']);
    }
    // A data check closed by staff closes the case (R-M6, R-A11: staff decide, not the hit).
    const checkOf = async (caseId: string, hh: Household) => {
      const hit = await post('/v1/integrations/comparison-hits', env.as('integration', COUNTY), {
        hits: [
          {
            hitId: `hit-${caseId}`,
            kind: 'state_funded_employment',
            idNumber: hh.members[1]!.idNumber,
            detectedOn: await today(),
            source: 'human resources bureau',
            details: 'on a state payroll',
          },
        ],
      });
      expect(hit.json().counts.matched).toBe(1);
      return until(async () => {
        const c = (await get(`/v1/cases/${caseId}`)).json();
        const task = c.tasks?.find((t: { kind: string }) => t.kind === 'data_check');
        return task && { taskId: task.taskId as string, startMonth: c.startMonth as string };
      }, 'the data check');
    };
    const [first, second] = cases.map((c) => c.caseId!);
    const stopCheck = await checkOf(first!, stopped);
    // R-O6: the hit and the check it opened are recorded as the integration that sent it.
    const actors = await until(async () => {
      const { rows } = await env.pool.query(
        `SELECT action, actor_sub, actor_role FROM audit_events
         WHERE subject_kind = 'case' AND subject_id = $1 AND action IN ('comparison_hit', 'data_check_opened')
         ORDER BY id`,
        [first],
      );
      return rows.length === 2 ? rows : undefined;
    }, 'the hit in the audit trail');
    expect(actors).toEqual([
      { action: 'comparison_hit', actor_sub: 'integration-register', actor_role: 'integration' },
      { action: 'data_check_opened', actor_sub: 'integration-register', actor_role: 'integration' },
    ]);
    const stop = await post(`/v1/cases/${first}/reviews/${stopCheck.taskId}`, township(), {
      outcome: 'stop',
      reasons: 'no longer eligible',
    });
    expect(stop.statusCode).toBe(200);
    const former = await until(async () => {
      const v = await household$(keys[0]!);
      return v.groups.includes('former_recipient') ? v : undefined;
    }, 'the former recipient');
    expect(former.groups).toEqual(['former_recipient']);
    expect(former.sources.map((s: { source: string }) => s.source)).toEqual(['application', 'case']);

    // R-L1: a household that received support by fraud is no former recipient; it leaves dibao.
    const fraudCheck = await checkOf(second!, defrauded);
    const fraud = await post(`/v1/cases/${second}/reviews/${fraudCheck.taskId}`, township(), {
      outcome: 'fraud',
      overpaidFromMonth: fraudCheck.startMonth,
      reasons: 'concealed state employment',
    });
    expect(fraud.statusCode).toBe(200);
    const left = await until(async () => {
      const v = await household$(keys[1]!);
      return v.sources.some((s: { source: string }) => s.source === 'case') ? v : undefined;
    }, 'the closure in the register');
    expect(left.groups).toEqual([]);
    expect(left.sources.map((s: { source: string }) => s.source)).toEqual(['application', 'case']);
  }, 120_000);

  it('R-L2 R-A1 R-A11: a visit finding the household eligible opens an application through the receipt', async () => {
    const hh = household();
    const { householdId } = await registerByVisit(hh, { groups: ['marginal'] });
    await post('/v1/integrations/monitoring-hits', env.as('integration', COUNTY), {
      hits: [
        {
          hitId: `ill-${householdId}`,
          kind: 'serious_illness',
          idNumber: hh.members[0]!.idNumber,
          detectedOn: await today(),
          source: 'health',
        },
      ],
    });
    await until(async () => (await household$(householdId)).openWarnings.length > 0, 'the warning');
    const visited = await post(`/v1/register/households/${householdId}/visits`, township(), {
      visitId: 'v1',
      visitedOn: await today(),
      findings: 'income fell below the standard',
      application: {
        category: 'dibao',
        acceptedOn: await today(),
        delegated: false,
        closeRelative: false,
        household: hh,
      },
    });
    expect(visited.statusCode).toBe(200);
    const view = visited.json();
    expect(view.openWarnings).toEqual([]);
    const { applicationId } = view.visits[0];
    expect(applicationId).toMatch(/^A140802/);
    // Not an admission: an application in its first stage, with the normal receipt's rows.
    const app = await get(`/v1/applications/${applicationId}`);
    expect(app.statusCode).toBe(200);
    expect(['received', 'verifying']).toContain(app.json().stage);
    expect(app.json().decision).toBeUndefined();
    const enrolled = await env.pool.query(
      `SELECT holder_id FROM person_enrolments WHERE id_number = $1 AND released_at IS NULL`,
      [hh.members[0]!.idNumber],
    );
    expect(enrolled.rows.map((r) => r.holder_id)).toEqual([applicationId]);
  }, 120_000);

  it('R-L3: a referral is recorded, then its answer', async () => {
    const hh = household();
    const { householdId } = await registerByVisit(hh, { source: 'self_declaration' });
    const url = `/v1/register/households/${householdId}/referrals`;
    const referred = await post(url, township(), {
      referralId: 'r-med',
      department: 'medical',
      need: 'dialysis costs',
      referredOn: await today(),
    });
    expect(referred.statusCode).toBe(200);
    expect(referred.json().referrals).toMatchObject([{ referralId: 'r-med', department: 'medical' }]);
    const answer = {
      outcome: 'provided',
      answer: 'medical assistance granted',
      answeredOn: await today(),
    };
    const answered = await post(`${url}/r-med/answer`, township(), answer);
    expect(answered.statusCode).toBe(200);
    expect(answered.json().referrals[0].answer).toMatchObject({
      outcome: 'provided',
      text: 'medical assistance granted',
    });
    expect((await post(`${url}/r-med/answer`, township(), answer)).statusCode).toBe(409);
    expect((await post(`${url}/r-none/answer`, township(), answer)).statusCode).toBe(404);
    const audit = await env.pool.query(
      `SELECT action FROM audit_events WHERE subject_kind = 'register' AND subject_id = $1 ORDER BY id`,
      [householdId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['found', 'referred', 'referral_answered']);
  }, 120_000);

  it('R-L1 R-L2: bad input is a 4xx and changes nothing', async () => {
    const hh = household();
    const { householdId } = await registerByVisit(hh);
    const before = { households: await count('register_households'), hits: await count('monitoring_hits') };
    const revision = (await entriesOf(hh.members[0]!.idNumber))[0]!.revision;
    const bad = [
      await post('/v1/register/households', township(), {
        source: 'visit',
        villageCode: VILLAGE,
        foundOn: await today(),
        members: [{ idNumber: '140802197001010000', name: 'x', relation: 'applicant' }],
      }),
      await post('/v1/register/households', township(), {
        source: 'application',
        villageCode: VILLAGE,
        foundOn: await today(),
        members: membersOf(household()),
      }),
      await post(`/v1/register/households/${householdId}/visits`, township(), {
        visitId: 'v-future',
        visitedOn: '2099-01-01',
        findings: 'x',
      }),
      // An application for a household none of whose members is registered here (R-A11).
      await post(`/v1/register/households/${householdId}/visits`, township(), {
        visitId: 'v-other',
        visitedOn: await today(),
        findings: 'x',
        application: {
          category: 'dibao',
          acceptedOn: await today(),
          delegated: false,
          closeRelative: false,
          household: household(),
        },
      }),
      // R-A11: a visit never admits anyone to dibao.
      await post(`/v1/register/households/${householdId}/visits`, township(), {
        visitId: 'v-dibao',
        visitedOn: await today(),
        findings: 'x',
        add: ['dibao'],
      }),
      await post(`/v1/register/households/${householdId}/referrals`, township(), {
        referralId: 'r1',
        department: 'police',
        need: 'x',
        referredOn: await today(),
      }),
    ];
    expect(bad.map((r) => r.statusCode)).toEqual([400, 400, 400, 422, 400, 400]);
    for (const r of bad) expect(r.headers['content-type']).toContain('application/problem+json');
    const hits = await post('/v1/integrations/monitoring-hits', env.as('integration', COUNTY), {
      hits: [
        { hitId: 'bad-1', kind: 'lottery', idNumber: hh.members[0]!.idNumber, detectedOn: '2020-01-01' },
      ],
    });
    expect(hits.json().results[0].outcome).toBe('invalid');
    expect({ households: await count('register_households'), hits: await count('monitoring_hits') }).toEqual(
      before,
    );
    expect((await entriesOf(hh.members[0]!.idNumber))[0]!.revision).toBe(revision);
  }, 120_000);

  it('R-L1 R-O7: a township staff member of another township does not reach the household (404)', async () => {
    const hh = household();
    const { householdId } = await registerByVisit(hh);
    const other = env.as('township_staff', OTHER_TOWNSHIP);
    expect((await get(`/v1/register/households/${householdId}`, other)).statusCode).toBe(404);
    const visit = await post(`/v1/register/households/${householdId}/visits`, other, {
      visitId: 'v-x',
      visitedOn: await today(),
      findings: 'x',
    });
    expect(visit.statusCode).toBe(404);
    const list = (await get(`/v1/register`, other)).json();
    expect(list.items.map((i: { householdId: string }) => i.householdId)).not.toContain(householdId);
    expect((await get(`/v1/register?region=${TOWNSHIP}`, other)).statusCode).toBe(403);
    const elsewhere = await post('/v1/register/households', other, {
      source: 'visit',
      villageCode: VILLAGE,
      foundOn: await today(),
      members: membersOf(household()),
    });
    expect(elsewhere.statusCode).toBe(403);
    const hits = await post('/v1/integrations/monitoring-hits', env.as('integration', '140803'), {
      hits: [
        {
          hitId: `far-${householdId}`,
          kind: 'disaster',
          idNumber: hh.members[0]!.idNumber,
          detectedOn: await today(),
          source: 'emergency bureau',
        },
      ],
    });
    expect(hits.json().results[0].outcome).toBe('forbidden');
  }, 120_000);

  // Last: imported cases are rostered in every week the tests above skip.
  it('R-L1: an imported dibao household is in the register like an approved one, found by the import', async () => {
    const [hh] = households(1, { size: 2, amount: '650.00', startMonth: '2024-03', nextReview: '2099-01' });
    const uploaded = await env.api.inject({
      method: 'POST',
      url: `/v1/imports/cases?countyCode=${COUNTY}`,
      headers: { ...env.as('admin', COUNTY), 'content-type': 'text/csv' },
      payload: toCsv([hh!]),
    });
    expect(uploaded.statusCode).toBe(202);
    const [entry] = await until(async () => {
      const e = await entriesOf(hh!.ids[0]!);
      return e.length ? e : undefined;
    }, 'the imported household in the register');
    const view = await household$(entry!.household_key);
    expect(view.groups).toEqual(['dibao']);
    expect(view.sources).toMatchObject([{ source: 'import', by: 'admin-register' }]);
    expect(view.members.map((m: { idNumber: string }) => m.idNumber).sort()).toEqual([...hh!.ids].sort());
    const list = (await get(`/v1/register?region=${TOWNSHIP}&group=dibao`)).json();
    expect(list.items.map((i: { householdId: string }) => i.householdId)).toContain(entry!.household_key);
  }, 120_000);
});
