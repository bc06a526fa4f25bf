import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spotCheckSeed } from '../../activities/spot-checks';
import { drawSpotChecks } from '../../domain/sampling';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { caseCalls, createCase, rosteredSince } from '../helpers/e2e-cases';
import { COUNTY, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';
import { seedDecisions } from '../helpers/spot-check-seed';

// R-O2 end to end on the dev server: a county draws its spot checks of a past month's township
// decisions through the API, anyone recomputes the draw from the recorded seed, and a finding on a
// check reaches the case (a reversed approval stops it with a notice; a correction re-rates it).
let env: ApiEnv;
let calls: ReturnType<typeof caseCalls>;
beforeAll(async () => {
  env = await startApiEnv({ sub: 'spotchecks' });
  calls = caseCalls(env);
  await seedPolicy(env.pool, COUNTY);
});
afterAll(async () => {
  await env?.stop();
});

type Round = {
  roundId: string;
  nonce: string;
  seed: string;
  decisionRatio: string;
  closeRelativeRatio: string;
  populationSize: number;
  population: { applicationId: string; closeRelative: boolean; decision: string }[];
  drawn: string[];
  requested: { applicationId: string; requestedBy: string[] }[];
  checks: {
    checkId: string;
    applicationId: string;
    caseId: string | null;
    dueOn: string;
    outcome: string | null;
  }[];
};
const county = () => env.as('county_staff', COUNTY, 'county-inspector-1');

/** Draws the month through the API and waits until every drawn decision has its check task. */
async function drawRound(month: string): Promise<Round> {
  const res = await env.api.inject({
    method: 'POST',
    url: '/v1/oversight/spot-checks',
    headers: { ...county(), 'idempotency-key': `round-${month}` },
    payload: { countyCode: COUNTY, month },
  });
  expect(res.statusCode, res.body).toBe(202);
  return until(async () => {
    const list = await env.api.inject({
      url: `/v1/oversight/spot-checks?county=${COUNTY}&month=${month}`,
      headers: county(),
    });
    const round = (list.json().rounds as Round[])[0];
    const opened = new Set([
      ...(round?.drawn ?? []),
      ...(round?.requested ?? []).map((u) => u.applicationId),
    ]);
    return round && round.checks.length === opened.size ? round : undefined;
  }, `the ${month} round and its checks`);
}

/** Makes a running case the month's one township decision (delegated approval, R-A5). */
async function townshipApproval(caseId: string, decidedOn: string) {
  // The decision's date in the view and in `decided_on`, as the application workflow's save writes them.
  await env.pool.query(
    `UPDATE applications SET delegated = true, view = $2, decided_on = $3 WHERE application_id = $1`,
    [
      caseId,
      JSON.stringify({ decision: { approve: true, on: decidedOn, by: 'township-clerk-2', reasons: 'r' } }),
      decidedOn,
    ],
  );
}

/** A township clerk's complaint about a case, its finding asking the county for a spot check. */
async function complaintAskingForCheck(caseId: string): Promise<string> {
  const post = (url: string, payload: object, key: string) =>
    env.api.inject({
      method: 'POST',
      url,
      headers: { ...env.as('township_staff', VILLAGE.slice(0, 9), 'clerk-1'), 'idempotency-key': key },
      payload,
    });
  const made = await post(
    '/v1/complaints',
    {
      source: 'visit',
      receivedOn: '2025-08-04',
      complainant: { anonymous: true },
      subject: { kind: 'case', id: caseId },
      summary: 'the approval overlooked a second house',
    },
    `complaint-${caseId}`,
  );
  expect(made.statusCode, made.body).toBe(201);
  const url = `/v1/complaints/${made.json().complaintId}`;
  expect((await post(`${url}/assignment`, { handler: 'clerk-1' }, `assign-${caseId}`)).statusCode).toBe(200);
  const found = await post(
    `${url}/finding`,
    { outcome: 'partly_substantiated', summary: 'the county should look again', spotCheckRequested: true },
    `finding-${caseId}`,
  );
  expect(found.statusCode, found.body).toBe(200);
  return made.json().complaintId;
}

async function finding(checkId: string, body: object, key = `finding-${checkId}`) {
  return env.api.inject({
    method: 'POST',
    url: `/v1/oversight/spot-checks/${checkId}/finding`,
    headers: { ...county(), 'idempotency-key': key },
    payload: body,
  });
}

describe('R-O2 spot checks through the API (dev server)', () => {
  it('R-O2: close-relative cases are sampled at ≥60% and all township decisions at ≥30% over many decisions; the draw is recomputable from the recorded seed', async () => {
    await seedDecisions(env.pool, 'A1408022025110', 90, VILLAGE, '2025-11', 3);
    const round = await drawRound('2025-11');
    expect(round.populationSize).toBe(90);
    const close = round.population.filter((u) => u.closeRelative).map((u) => u.applicationId);
    const drawn = new Set(round.drawn);
    expect(close.filter((k) => drawn.has(k)).length / close.length).toBeGreaterThanOrEqual(0.6);
    expect(round.drawn.length / round.populationSize).toBeGreaterThanOrEqual(0.3);
    const rejections = round.population.filter((u) => u.decision === 'rejected').map((u) => u.applicationId);
    expect(rejections.some((k) => drawn.has(k))).toBe(true); // rejections included
    // Recomputed from what the route shows: seed from county, month and nonce; draw from the population.
    expect(spotCheckSeed(COUNTY, '2025-11', round.nonce)).toBe(round.seed);
    const again = drawSpotChecks(
      round.population.map((u) => ({ key: u.applicationId, closeRelative: u.closeRelative })),
      { decisionRatio: round.decisionRatio, closeRelativeRatio: round.closeRelativeRatio },
      round.seed,
    );
    expect(again.drawn).toEqual(round.drawn);
    expect(round.checks.every((c) => c.outcome === null && c.dueOn > '2025-11-30')).toBe(true);
    // The same month again is the same round.
    const twice = await env.api.inject({
      method: 'POST',
      url: '/v1/oversight/spot-checks',
      headers: { ...county(), 'idempotency-key': 'round-2025-11-again' },
      payload: { countyCode: COUNTY, month: '2025-11' },
    });
    expect(twice.json()).toMatchObject({ roundId: `${COUNTY}:2025-11`, started: false });
  });

  it('R-O2 R-M9: a reversed spot check of a township approval stops the case with a written notice, recorded with its actor', async () => {
    const { caseId } = await createCase(env, VILLAGE);
    await townshipApproval(caseId, '2025-10-15');
    const round = await drawRound('2025-10');
    const check = round.checks.find((c) => c.applicationId === caseId)!;
    expect(check).toMatchObject({ caseId });
    const res = await finding(check.checkId, {
      outcome: 'reversed',
      reasons: 'income from the shop was left out',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().finding).toMatchObject({
      outcome: 'reversed',
      by: 'county-inspector-1',
      followUp: 'case_stopped',
    });
    const view = await until(async () => {
      const v = await calls.caseView(caseId);
      return v.status === 'closed' ? v : undefined;
    }, 'the case stopped');
    expect(view.closed.reason).toBe('spot_check_reversed');
    // The stop notice is issued by the case's activity (the notices' writer) right after the state.
    const notices = await until(async () => {
      const r = await env.pool.query(
        `SELECT notice_id, kind, decided_by FROM notices WHERE subject_id = $1`,
        [caseId],
      );
      return r.rows.length ? r : undefined;
    }, 'the stop notice');
    expect(notices.rows).toEqual([
      expect.objectContaining({ kind: 'stop', decided_by: 'county-inspector-1' }),
    ]);
    const notice = await env.api.inject({
      url: `/v1/notices/${notices.rows[0].notice_id}`,
      headers: county(),
    });
    expect(notice.statusCode).toBe(200);
    const audit = await env.pool.query(
      `SELECT actor_sub, actor_role, reason FROM audit_events WHERE subject_id = $1 AND action = 'spot_check_reversed'`,
      [check.checkId],
    );
    expect(audit.rows).toEqual([
      {
        actor_sub: 'county-inspector-1',
        actor_role: 'county_staff',
        reason: 'income from the shop was left out',
      },
    ]);
    // The same request again is the same answer; another finding is refused.
    expect(
      (await finding(check.checkId, { outcome: 'reversed', reasons: 'income from the shop was left out' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await finding(check.checkId, { outcome: 'confirmed', reasons: 'again' }, 'other-key')).statusCode,
    ).toBe(409);
  });

  it('R-O2 R-M2: a corrected amount re-rates the case from its start month, the rostered month recovered', async () => {
    const { caseId, startMonth } = await createCase(env, VILLAGE);
    await townshipApproval(caseId, '2025-09-10');
    const round = await drawRound('2025-09');
    const check = round.checks.find((c) => c.applicationId === caseId)!;
    const bad = await finding(check.checkId, { outcome: 'corrected', reasons: 'x' }, 'no-amount');
    expect(bad.statusCode).toBe(400); // a correction needs its amount
    const res = await finding(check.checkId, {
      outcome: 'corrected',
      reasons: 'a member’s pension was not counted',
      monthlyAmount: '800.00',
    });
    expect(res.json().finding).toMatchObject({ followUp: 'case_rate_changed', monthlyAmount: '800.00' });
    const view = await until(async () => {
      const v = await calls.caseView(caseId);
      return v.monthlyAmount === '800.00' ? v : undefined;
    }, 'the case re-rated');
    expect(view.status).toBe('active');
    // R-M1: the months rostered from the start month on (this month too once its roster cut-off has
    // passed, as the case reports) are each recovered by 200.00, through the case's activity.
    const rostered = rosteredSince(view, startMonth);
    expect(rostered[0]).toBe(startMonth);
    const adj = await until(async () => {
      const r = await env.pool.query(`SELECT kind, amount, months FROM case_adjustments WHERE case_id = $1`, [
        caseId,
      ]);
      return r.rows.length ? r.rows : undefined;
    }, 'the recovery recorded');
    expect(adj).toEqual([{ kind: 'recovery', amount: (200 * rostered.length).toFixed(2), months: rostered }]);
  });

  it('R-O4 R-O2: a complaint whose finding asks for a spot check puts the decision into the next round beside the draw, once', async () => {
    const { caseId } = await createCase(env, VILLAGE);
    await townshipApproval(caseId, '2025-07-20');
    const complaintId = await complaintAskingForCheck(caseId);
    const round = await drawRound('2025-08');
    expect(round.drawn).not.toContain(caseId);
    expect(round.requested).toEqual([
      expect.objectContaining({ applicationId: caseId, requestedBy: [complaintId] }),
    ]);
    expect(round.checks.find((c) => c.applicationId === caseId)).toMatchObject({ caseId, outcome: null });
    // The recorded draw is still recomputable from the seed alone: the request is beside it.
    const again = drawSpotChecks(
      round.population.map((u) => ({ key: u.applicationId, closeRelative: u.closeRelative })),
      { decisionRatio: round.decisionRatio, closeRelativeRatio: round.closeRelativeRatio },
      round.seed,
    );
    expect(again.drawn).toEqual(round.drawn);
    // Checked once: a later round does not ask again.
    const later = await drawRound('2025-12');
    expect(later.requested.map((u) => u.applicationId)).not.toContain(caseId);
  });
});
