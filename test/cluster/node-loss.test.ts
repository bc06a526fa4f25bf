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
const CASES = 1500;
const APPS = 24;
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

/** APPS applications driven 6 at a time. */
async function burst(): Promise<{ id: string; stage: string; retries: number }[]> {
  const out: { id: string; stage: string; retries: number }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < APPS) out.push(await drive(next++));
    }),
  );
  return out;
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
  await untilTrue(
    `payroll ${payrollId} to send its file`,
    async () =>
      (await pool.query('SELECT status FROM payrolls WHERE payroll_id = $1', [payrollId])).rows[0]?.status ===
      'sent',
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
    metricSum(text, 'temporal_workflow_task_execution_latency_count') +
    metricSum(text, 'temporal_activity_execution_latency_count')
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
    await sleep(1500);
    const victim = clusterInfo().procs['worker-1'] as { pid: number; restarts: number };
    const before = await workerCounters('worker-2');
    process.kill(victim.pid, 'SIGKILL');
    const killedAt = Date.now();
    // The supervisor waits before restarting it: meanwhile worker-2 alone serves the queue.
    await sleep(5000);
    const during = await workerCounters('worker-2');
    expect(clusterInfo().procs['worker-1']?.pid).toBe(victim.pid); // not back yet
    expect(during).toBeGreaterThan(before);
    const done = await steps;
    await expectNoApplicationLost(done);
    await expectLedgerExact('2026-09');
    await untilTrue(
      'worker-1 to be restarted',
      async () => clusterInfo().procs['worker-1']?.pid !== victim.pid,
      60_000,
    );
    console.log(
      `[node-loss] worker SIGKILL: ${done.length} applications (${3 * done.length} requests, ${done.reduce((s, d) => s + d.retries, 0)} retried answers), ` +
        `payroll of ${CASES} cases; worker-2 task count ${before} → ${during} in the 5 s after the kill; ` +
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
    await sleep(1500);
    const history = clusterInfo().procs['temporal-history'] as { pid: number };
    process.kill(history.pid, 'SIGKILL');
    const killedAt = Date.now();
    await untilTrue(
      'history to be restarted',
      async () => clusterInfo().procs['temporal-history']?.pid !== history.pid,
      30_000,
    );
    const done = await steps;
    await expectNoApplicationLost(done);
    await expectLedgerExact('2026-10');
    console.log(
      `[node-loss] history SIGKILL + restart: ${done.length} applications (${done.reduce((s, d) => s + d.retries, 0)} retried answers), ` +
        `payroll of ${CASES} cases; all done ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill (${((Date.now() - t0) / 1000).toFixed(1)} s in all)`,
    );
  }, 300_000);
});
