import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, civilDateOf } from '../../domain/dates';
import { makeIdNumber } from '../../domain/idnumber';
import {
  bearer,
  type ClusterInfo,
  call,
  clusterInfo,
  clusterStateFile,
  metricSum,
  scrape,
  seedPayrollCases,
} from '../helpers/cluster';
import { COUNTY, household, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// Node loss on the production topology (the test command's cluster pass): Temporal's four services
// as processes on Postgres, two workers, two APIs, every process restarted by the supervisor when it
// dies. During a burst of staff steps and a payroll, one worker is killed (SIGKILL), and separately
// the history service is killed and comes back. No receipt or step answered to a client is lost,
// and the payroll's ledger has exactly one row per case and month (R-M1), none missing or doubled.

const PAY_COUNTY = '140821';
const CASES = 1000;
const APPS = 16;
let info: ClusterInfo;
let pool: pg.Pool;
let seq = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const api = (i: number) => info.apis[i % info.apis.length] as string;
const auth = (role: string, region: string) => bearer(info, role, region);

function uniqueHousehold() {
  const hh = household();
  for (const m of hh.members) {
    const k = seq++;
    m.idNumber = makeIdNumber(
      COUNTY,
      addDays(m.relation === 'applicant' ? '1956-01-01' : '1991-01-01', k),
      k % 1000,
    );
  }
  return hh;
}

/** Receipt, investigation, economic check of one application, each through one of the two APIs. */
async function drive(i: number): Promise<{ id: string; stage: string; retries: number }> {
  const accepted = addDays(civilDateOf(new Date()), -20);
  const hh = uniqueHousehold();
  const township = auth('township_staff', VILLAGE.slice(0, 9));
  const receipt = await call(api(i), 'POST', '/v1/applications', township, {
    category: 'dibao',
    villageCode: VILLAGE,
    acceptedOn: accepted,
    delegated: false,
    closeRelative: false,
    household: hh,
  });
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
  const id = String(receipt.body.applicationId);
  const inv = await call(api(i + 1), 'POST', `/v1/applications/${id}/investigation`, township, {
    household: hh,
    findings: 'visited',
    visitedOn: addDays(accepted, 1),
  });
  expect(inv.status, JSON.stringify(inv.body)).toBe(200);
  const check = await call(
    api(i),
    'POST',
    `/v1/applications/${id}/economic-check`,
    auth('integration', COUNTY),
    {
      checkId: `chk-${id}`,
      verified: [],
      findings: 'none',
    },
  );
  expect(check.status, JSON.stringify(check.body)).toBe(200);
  return { id, stage: String(check.body.stage), retries: receipt.retries + inv.retries + check.retries };
}

type Driven = { id: string; stage: string; retries: number };

/** APPS applications driven 4 at a time; `done` grows as they finish. */
function burst(): { done: Driven[]; all: Promise<Driven[]> } {
  const done: Driven[] = [];
  let next = 0;
  const all = Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < APPS) done.push(await drive(next++));
    }),
  ).then(() => done);
  return { done, all };
}

/** Until the burst and the payroll are under way: two applications through, the payroll rostering. */
async function underWay(b: { done: Driven[] }, month: string) {
  await untilTrue(
    'the burst and the payroll to be under way',
    async () =>
      b.done.length >= 2 &&
      (await pool.query('SELECT 1 FROM payrolls WHERE payroll_id = $1', [`${PAY_COUNTY}:${month}`]))
        .rowCount === 1,
    120_000,
  );
}

async function untilTrue(what: string, fn: () => Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every answered application is in the read model at the stage its last step answered. */
async function expectNoApplicationLost(done: { id: string; stage: string }[]) {
  expect(done).toHaveLength(APPS);
  await untilTrue(
    'the read model to show every step',
    async () => {
      const { rows } = await pool.query(
        'SELECT application_id, stage FROM applications WHERE application_id = ANY($1)',
        [done.map((d) => d.id)],
      );
      const stage = new Map(rows.map((r) => [r.application_id, r.stage]));
      return done.every((d) => stage.get(d.id) === d.stage);
    },
    60_000,
  );
}

/** The payroll sent its file; exactly one ledger row and one bank line per case, amounts as seeded. */
async function expectLedgerExact(month: string) {
  const payrollId = `${PAY_COUNTY}:${month}`;
  // A past month's payment date has passed: the payroll shows overdue once its file is out.
  await untilTrue(
    `payroll ${payrollId} to write its bank file`,
    async () =>
      (
        await pool.query('SELECT 1 FROM payrolls WHERE payroll_id = $1 AND file_sha256 IS NOT NULL', [
          payrollId,
        ])
      ).rowCount === 1,
    240_000,
  );
  const ledger = await pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT case_id)::int AS cases, sum(amount)::text AS total
     FROM ledger WHERE payroll_id = $1 AND month = $2`,
    [payrollId, month],
  );
  const expected = await pool.query(
    'SELECT count(*)::int AS n, sum(amount)::text AS total FROM case_months WHERE county_code = $1 AND month = $2',
    [PAY_COUNTY, month],
  );
  const lines = await pool.query(
    'SELECT count(*)::int AS n, count(DISTINCT case_id)::int AS cases FROM payment_lines WHERE payroll_id = $1',
    [payrollId],
  );
  expect(ledger.rows[0]).toEqual({ n: CASES, cases: CASES, total: expected.rows[0].total });
  expect(expected.rows[0].n).toBe(CASES);
  expect(lines.rows[0]).toEqual({ n: CASES, cases: CASES });
}

const workerCounters = async (name: string) => {
  const text = await scrape(info.procs[name]?.metricsUrl as string);
  return (
    metricSum(text, 'temporal_workflow_task_queue_poll_succeed') +
    metricSum(text, 'temporal_activity_task_queue_poll_succeed') +
    metricSum(text, 'temporal_workflow_task_execution_latency_count')
  );
};

describe.skipIf(!clusterStateFile)('node loss on the cluster (production topology)', () => {
  beforeAll(async () => {
    info = clusterInfo();
    pool = new pg.Pool({ connectionString: info.databaseUrl, max: 3 });
    const std = await call(info.apis[0] as string, 'PUT', '/v1/admin/standards', auth('admin', '14'), {
      countyCode: COUNTY,
      effectiveFrom: '2020-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    });
    expect(std.status).toBe(200);
    await seedPolicy(pool, PAY_COUNTY);
    await seedPayrollCases(pool, PAY_COUNTY, ['2026-09', '2026-10'], CASES, 'NL');
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
  });

  it('R-M1 R-O7: a worker killed (SIGKILL) during a burst of staff steps and a payroll: nothing lost, the other worker carries on', async () => {
    const t0 = Date.now();
    const payroll = await call(api(0), 'POST', '/v1/payrolls', auth('county_staff', PAY_COUNTY), {
      countyCode: PAY_COUNTY,
      month: '2026-09',
    });
    expect(payroll.status).toBe(202);
    const steps = burst();
    await underWay(steps, '2026-09');
    const victim = clusterInfo().procs['worker-1'] as { pid: number; restarts: number };
    const before = await workerCounters('worker-2');
    process.kill(victim.pid, 'SIGKILL');
    const killedAt = Date.now();
    const done = await steps.all;
    const afterBurst = await workerCounters('worker-2');
    const burstS = (Date.now() - killedAt) / 1000;
    expect(afterBurst).toBeGreaterThan(before); // worker-2 carried on
    await expectNoApplicationLost(done);
    await expectLedgerExact('2026-09');
    const atEnd = await workerCounters('worker-2');
    await untilTrue(
      'worker-1 to be restarted',
      async () => clusterInfo().procs['worker-1']?.pid !== victim.pid,
      60_000,
    );
    console.log(
      `[node-loss] worker SIGKILL: ${done.length} applications (${3 * done.length} requests, ${done.reduce((s, d) => s + d.retries, 0)} retried answers), ` +
        `payroll of ${CASES} cases; worker-2 tasks ${before} at the kill, ${afterBurst} when the burst ended ${burstS.toFixed(1)} s later, ${atEnd} at the end; ` +
        `all done ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill (${((Date.now() - t0) / 1000).toFixed(1)} s in all)`,
    );
  }, 300_000);

  it('R-M1 R-O7: the history service killed and restarted during a burst and a payroll: nothing lost, nothing doubled', async () => {
    const t0 = Date.now();
    const payroll = await call(api(1), 'POST', '/v1/payrolls', auth('county_staff', PAY_COUNTY), {
      countyCode: PAY_COUNTY,
      month: '2026-10',
    });
    expect(payroll.status).toBe(202);
    const steps = burst();
    await underWay(steps, '2026-10');
    const history = clusterInfo().procs['temporal-history'] as { pid: number };
    process.kill(history.pid, 'SIGKILL');
    const killedAt = Date.now();
    await untilTrue(
      'history to be restarted',
      async () => clusterInfo().procs['temporal-history']?.pid !== history.pid,
      30_000,
    );
    const done = await steps.all;
    await expectNoApplicationLost(done);
    await expectLedgerExact('2026-10');
    console.log(
      `[node-loss] history SIGKILL + restart: ${done.length} applications (${done.reduce((s, d) => s + d.retries, 0)} retried answers), ` +
        `payroll of ${CASES} cases; all done ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill (${((Date.now() - t0) / 1000).toFixed(1)} s in all)`,
    );
  }, 300_000);
});
