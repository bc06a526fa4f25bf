import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateOf, endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// R-A10 R-O3 through the HTTP API on the time-skipping server: a grant the township paid first goes
// at risk, then overdue, in the supervisors' overdue list and summary like any other task (its
// timers skipped, not shortened), and leaves them once documented.

let ts: TestWorkflowEnvironment;
let env: ApiEnv;
const township = () => env.as('township_staff', TOWNSHIP);
const supervisor = () => env.as('supervisor', COUNTY);
const post = (url: string, headers: Record<string, string>, payload: object) =>
  env.api.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'idempotency-key': `k-${Math.random()}` },
    payload,
  });

beforeAll(async () => {
  ts = await createTimeSkippingEnv();
  env = await startApiEnv({ timeSkipping: ts });
  const limits = await env.api.inject({
    method: 'PUT',
    url: '/v1/admin/temporary-assistance-limits',
    headers: env.as('admin', '14'),
    payload: {
      countyCode: COUNTY,
      effectiveFrom: '2020-01-01',
      perGrant: '1000.00',
      perHouseholdYear: '3000.00',
    },
  });
  expect(limits.statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await env?.stop();
  await ts?.teardown();
});

const sleepUntil = async (instant: number) => ts.sleep(Math.max(1, instant - (await ts.currentTimeMs())));
const listed = async () =>
  (
    await env.api.inject({
      url: '/v1/supervision/overdue?kind=temporary_documentation',
      headers: supervisor(),
    })
  ).json().items as { subjectId: string; atRisk: boolean; overdue: boolean; dueOn: string }[];
const counted = async () =>
  (
    await env.api.inject({
      url: '/v1/supervision/summary?kind=temporary_documentation',
      headers: supervisor(),
    })
  ).json().totals as { overdue: number; atRisk: number };

describe('temporary assistance’s documentation under supervision (R-A10, R-O3)', () => {
  it('R-A10 R-O3: a township grant’s documentation is at risk, then overdue, in the overdue list and the summary; documented, it leaves them', async () => {
    const today = civilDateOf(new Date());
    const received = await post('/v1/temporary-assistance', township(), {
      villageCode: VILLAGE,
      residence: 'urban',
      person: { name: '周八', idNumber: idNumber('1981-03-03') },
      hardshipKind: 'accident',
      hardship: '交通事故致残',
      occurredOn: today,
      amountAsked: '1000.00',
      receivedOn: today,
    });
    expect(received.statusCode).toBe(201);
    const id = received.json().assistanceId as string;
    const granted = await post(`/v1/temporary-assistance/${id}/decision`, township(), {
      approve: true,
      amount: '1000.00',
      reasons: '交通事故，先行救助',
    });
    expect(granted.statusCode).toBe(200);
    const doc = granted.json().documentation as { due: { date: string }; atRiskOn: string };
    const decidedOn = granted.json().decision.on as string;
    expect(await listed()).toEqual([]);

    await sleepUntil(startOfCivilDay(doc.atRiskOn).getTime() + 3_600_000);
    const atRisk = await until(
      async () => (await listed()).find((i) => i.subjectId === id && i.atRisk),
      'at risk',
    );
    expect(atRisk).toMatchObject({ overdue: false, dueOn: doc.due.date });
    expect(await counted()).toEqual({ overdue: 0, atRisk: 1 });

    await sleepUntil(endOfCivilDay(doc.due.date).getTime() + 3_600_000);
    await until(async () => (await listed()).find((i) => i.subjectId === id && i.overdue), 'overdue');
    expect(await counted()).toEqual({ overdue: 1, atRisk: 0 });
    const alerts = await env.pool.query(
      `SELECT flag FROM supervision_alerts WHERE subject_kind = 'temporary_assistance' AND subject_id = $1 ORDER BY flag`,
      [id],
    );
    expect(alerts.rows.map((r) => r.flag)).toEqual(['at_risk', 'overdue']);

    const documented = await post(`/v1/temporary-assistance/${id}/documentation`, township(), {
      documentedOn: decidedOn,
      summary: '补交事故认定书',
      documents: ['交通事故认定书'],
    });
    expect(documented.statusCode).toBe(200);
    // Documented late (on paper dated the decision day, handed in now): it was overdue and stays so.
    expect(documented.json().documentation).toMatchObject({ overdue: true, documentedOn: decidedOn });
    expect(await listed()).toEqual([]);
    expect(await counted()).toEqual({ overdue: 0, atRisk: 0 });
  }, 120_000);
});
