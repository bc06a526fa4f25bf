import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { migrate } from '../../db/migrate';
import { ensureDatabase, startPostgres } from '../../scripts/lib/postgres';
import { freePort, type Proc, startProc, waitFor } from '../../scripts/lib/procs';
import { startDevServer } from '../../scripts/lib/temporal';
import { JWT_ISSUER, JWT_SECRET } from './api';

// The servers of bench/staff-step.ts, private to the run and on loopback: a Postgres cluster, the
// Temporal dev server (in memory), the project's worker and API as their own processes (the same
// entry files `npm run worker` and `npm run api` start, so the bench depends only on the env
// variables of config/env.ts and the HTTP API), and an in-process worker for the bench workflows.

const ROOT = join(import.meta.dirname, '..', '..');
export const TASK_QUEUE = 'dibao';
export const BENCH_QUEUE = 'bench-staff-step';

export interface Servers {
  baseUrl: string;
  client: Client;
  temporalAddress: string;
  pgUrl: string;
  logs: string;
  stop(ok: boolean): Promise<void>;
}

function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

export async function startServers(opts: { fsyncOff: boolean; workerEntry: string; apiEntry: string }) {
  const dir = join(ROOT, '.test-data', `bench-staff-step-${process.pid}`);
  const logs = join(dir, 'logs');
  const stops: (() => Promise<unknown>)[] = [];
  let stopped = false;
  const stop = async (ok: boolean) => {
    if (stopped) return;
    stopped = true;
    for (const s of stops.splice(0).reverse()) await s().catch((e: Error) => console.error(e.message));
    if (ok) await rm(dir, { recursive: true, force: true });
    else console.error(`[bench] logs kept in ${logs}`);
  };
  try {
    const t0 = performance.now();
    const pg = await startPostgres({
      dataDir: join(dir, 'postgres'),
      port: await freePort(),
      logFile: join(logs, 'postgres.log'),
      settings: opts.fsyncOff ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : [],
    });
    stops.push(pg.stop);
    await ensureDatabase(pg.url('postgres'), 'dibao');
    const pgUrl = pg.url('dibao');
    await migrate(pgUrl, 'up', true);
    const temporal = await startDevServer({ port: await freePort(), logFile: join(logs, 'temporal.log') });
    stops.push(temporal.stop);

    const httpPort = await freePort();
    const env = {
      ...process.env,
      // HS256 with a secret of its own: development and tests only (config/env.ts, R-O7).
      NODE_ENV: 'test',
      DATABASE_URL: pgUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      JWT_SECRET,
      JWT_ISSUER,
      LOG_LEVEL: 'warn',
      // The benchmark is one caller sending thousands of steps: the per-token limit would answer 429.
      RATE_LIMIT_MAX: '1000000',
      // R-O7: production refuses the development payload key; each run has a key of its own.
      PAYLOAD_KEYS: `bench-1:${randomBytes(32).toString('base64')}`,
      PAYLOAD_KEY_ID: 'bench-1',
      PAYMENT_FILES_DIR: join(dir, 'payment-files'),
    };
    const spawn = (name: string, entry: string): Proc => {
      // BENCH_WORKER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: node flags of the worker only.
      const extra =
        name === 'worker' ? (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
      const p = startProc(name, process.execPath, [...extra, '--import', 'tsx', join(ROOT, entry)], {
        env,
        cwd: ROOT,
        logFile: join(logs, `${name}.log`),
      });
      stops.push(() => p.stop('SIGTERM', 40_000));
      return p;
    };
    const worker = spawn('worker', opts.workerEntry);
    const api = spawn('api', opts.apiEntry);

    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const polled = (queue: string) => async () => {
      const r = await connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: queue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
      return (r.pollers?.length ?? 0) > 0;
    };
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    await waitFor('the API (/ready)', async () => (await fetch(`${baseUrl}/ready`)).status === 200, {
      timeoutMs: 180_000,
      proc: api,
    });
    await waitFor('the worker polling its task queue', polled(TASK_QUEUE), {
      timeoutMs: 240_000,
      proc: worker,
    });

    const benchWorker = await Worker.create({
      connection: await NativeConnection.connect({ address: temporal.address }),
      taskQueue: BENCH_QUEUE,
      workflowsPath: join(import.meta.dirname, 'workflows.ts'),
      activities: { benchEcho: async (n: number) => n },
    });
    const running = benchWorker.run();
    stops.push(async () => {
      benchWorker.shutdown();
      await running;
    });
    await waitFor('the bench worker', polled(BENCH_QUEUE), { timeoutMs: 120_000 });
    console.log(`[bench] servers, worker and API ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return { baseUrl, client, temporalAddress: temporal.address, pgUrl, logs, stop } satisfies Servers;
  } catch (err) {
    for (const name of ['worker', 'api'])
      console.error(`--- ${name}.log (tail)\n${tail(join(logs, `${name}.log`))}`);
    await stop(false);
    throw err;
  }
}
