import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { civilDateOf } from '../../domain/dates';
import { ensureDatabase, type PgCluster, startPostgres } from '../../scripts/lib/postgres';
import { freePort } from '../../scripts/lib/procs';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// Faults at the edge between API, workflows and Postgres, caused for real: this file runs its own
// Postgres cluster, stops it in the middle of a burst of receipts and starts it again, and stops
// the worker while a staff step is in flight. The API and the worker run in this process: an
// unhandled pool 'error' would fail the run.

let dir: string;
let cluster: PgCluster;
let port: number;
let env: ApiEnv;

const startCluster = () =>
  startPostgres({
    dataDir: join(dir, 'pg'),
    port,
    logFile: join(dir, 'postgres.log'),
    settings: ['fsync=off', 'synchronous_commit=off'],
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edge-faults-'));
  chmodSync(dir, 0o755); // the postgres user reaches its data folder
  port = await freePort();
  cluster = await startCluster();
  await ensureDatabase(cluster.url('postgres'), 'dibao');
  await migrate(cluster.url('dibao'), 'up', true);
  const pool = createPool(cluster.url('dibao'), 10);
  env = await startApiEnv({
    db: { url: cluster.url('dibao'), pool, drop: async () => pool.end() },
    env: { TEMPORAL_CALL_TIMEOUT: '3s', IDEMPOTENCY_TIMEOUT: '2s' },
  });
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
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const today = () => civilDateOf(new Date());
const receiptBody = () => ({
  category: 'dibao',
  villageCode: VILLAGE,
  acceptedOn: today(),
  delegated: false,
  closeRelative: false,
  household: household(),
});
const post = async (
  url: string,
  key: string,
  payload: object,
  headers = env.as('township_staff', TOWNSHIP),
) => await env.api.inject({ method: 'POST', url, headers: { ...headers, 'idempotency-key': key }, payload });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the edge under faults', () => {
  it('R-A1 under a fault: Postgres stopped during a burst of 40 receipts — one workflow and one set of rows per household, never one without the other, retries answer the first answer, processes alive', async () => {
    const bodies = Array.from({ length: 40 }, receiptBody);
    const keys = bodies.map((_, i) => `burst-${i}-${Math.random().toString(36).slice(2)}`);
    const answers = new Map<number, { status: number; body: Record<string, unknown> }>();
    const send = async (i: number) => {
      const res = await post('/v1/applications', keys[i]!, bodies[i]!);
      answers.set(i, { status: res.statusCode, body: res.json() });
    };
    const burst = Promise.all(bodies.map((_, i) => sleep(i * 15).then(() => send(i))));
    await sleep(150);
    await cluster.stop();
    // While Postgres is away the API stays up and says so.
    const down = await env.api.inject({ url: '/ready' });
    expect(down.statusCode).toBe(503);
    await burst;
    const during = [...answers.values()].map((a) => a.status);
    expect(during.every((s) => [201, 409, 503].includes(s))).toBe(true);
    expect(during.some((s) => s === 503)).toBe(true);
    await sleep(1000);
    cluster = await startCluster();
    await until(async () => (await env.api.inject({ url: '/ready' })).statusCode === 200, 'ready again');

    // Every client retries with its key until it has an answer that is not "come back later".
    for (let round = 0; round < 40; round++) {
      const open = [...answers.entries()].filter(([, a]) => a.status !== 201).map(([i]) => i);
      if (open.length === 0) break;
      await Promise.all(open.map(send));
      await sleep(500);
    }
    const first = bodies.map((_, i) => answers.get(i)!);
    expect(first.map((a) => a.status)).toEqual(bodies.map(() => 201));
    const ids = first.map((a) => a.body.applicationId as string);
    expect(new Set(ids).size).toBe(40);

    // Every retry with its key, after everything, is the first answer.
    const again = await Promise.all(bodies.map((b, i) => post('/v1/applications', keys[i]!, b)));
    expect(again.map((r) => r.statusCode)).toEqual(bodies.map(() => 201));
    expect(again.map((r) => r.json().applicationId)).toEqual(ids);

    // One set of rows per household: the application, its members, one active enrolment each.
    const { pool, client } = env;
    const apps = await pool.query('SELECT application_id FROM applications ORDER BY 1');
    expect(apps.rows.map((r) => r.application_id)).toEqual([...ids].sort());
    const members = await pool.query(
      'SELECT application_id, count(*)::int AS n FROM application_members GROUP BY 1',
    );
    expect(members.rows).toHaveLength(40);
    expect(members.rows.every((r) => r.n === 2)).toBe(true);
    const enrolled = await pool.query(
      `SELECT id_number, count(*)::int AS n FROM person_enrolments WHERE released_at IS NULL GROUP BY 1`,
    );
    expect(enrolled.rows).toHaveLength(80);
    expect(enrolled.rows.every((r) => r.n === 1)).toBe(true);

    // One workflow per household, each with its rows: none orphaned, none doubled.
    const workflows = await until(async () => {
      const found: string[] = [];
      for await (const w of client.workflow.list({
        query: `TaskQueue = "${env.taskQueue}" AND WorkflowType = "applicationWorkflow"`,
      })) {
        found.push(w.workflowId);
      }
      return found.length >= 40 ? found : undefined;
    }, '40 application workflows visible');
    expect(workflows.sort()).toEqual(ids.map((id) => `application:${id}`).sort());

    // The same households received again under new keys are refused, naming the holder; the
    // refused workflows end and write nothing (R-A1: no double enrolment).
    const dup = await post('/v1/applications', 'again-0', bodies[0]!);
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ holderKind: 'application', holderId: ids[0] });
    expect((await pool.query('SELECT count(*)::int AS n FROM applications')).rows[0].n).toBe(40);
    expect(env.workerState()).toBe('RUNNING');
  }, 240_000);

  it('R-A2: a staff step whose answer was lost (the API gave up at its deadline while no worker ran) is applied once and its retry with the same key returns the first result, never 422', async () => {
    const body = receiptBody();
    const created = await post('/v1/applications', `lost-${Math.random()}`, body);
    expect(created.statusCode).toBe(201);
    const id = created.json().applicationId as string;
    const step = { household: body.household, findings: 'visited the home', visitedOn: today() };
    const key = `inv-${Math.random()}`;

    await env.stopWorker();
    const lost = await post(`/v1/applications/${id}/investigation`, key, step);
    expect(lost.statusCode).toBe(503);
    expect(lost.headers['retry-after']).toBeDefined();
    expect(lost.headers['content-type']).toContain('application/problem+json');
    await env.startWorker();

    // The Update the API gave up on is delivered once the worker is back.
    await until(async () => {
      const row = await env.pool.query('SELECT view FROM applications WHERE application_id = $1', [id]);
      return row.rows[0]?.view?.investigation !== undefined;
    }, 'the investigation applied');
    const retry = await post(`/v1/applications/${id}/investigation`, key, step);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().investigation.findings).toBe('visited the home');
    const actions = (retry.json().history as { action: string }[]).map((e) => e.action);
    expect(actions.filter((a) => a === 'investigation_recorded')).toHaveLength(1);

    // Without the key the same step is a new request, refused by the workflow as inconsistent or
    // in the wrong stage — the keyed retry above never is.
    const twice = await post(`/v1/applications/${id}/investigation`, `other-${Math.random()}`, step);
    expect([200, 409, 422]).toContain(twice.statusCode);
  }, 120_000);

  it('an in-progress Idempotency-Key whose request died answers 409 with Retry-After, then is run again after its timeout and answers the first result', async () => {
    const body = receiptBody();
    const key = `died-${Math.random()}`;
    const first = await post('/v1/applications', key, body);
    expect(first.statusCode).toBe(201);
    // The request "died" after Temporal took it and before its answer was stored.
    await env.pool.query(
      `UPDATE idempotency_keys SET status_code = NULL, response = NULL, claimed_at = now() WHERE key = $1`,
      [key],
    );
    const busy = await post('/v1/applications', key, body);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().type).toMatch(/idempotency-in-progress$/);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    await sleep(2100);
    const rerun = await post('/v1/applications', key, body);
    expect(rerun.statusCode).toBe(201);
    expect(rerun.json()).toEqual(first.json());
    const rows = await env.pool.query(
      'SELECT count(*)::int AS n FROM application_members WHERE application_id = $1',
      [first.json().applicationId],
    );
    expect(rows.rows[0].n).toBe(2);
  }, 60_000);
});
