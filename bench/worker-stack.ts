import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { dataConverter } from '../codec/payload-codec';
import { parseConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { clusterSecrets, startCluster } from '../scripts/lib/cluster';
import { freePorts } from '../scripts/lib/cluster-pass';
import { appLogin, ensureDatabase, type PgCluster, startPostgres } from '../scripts/lib/postgres';
import { freePort, type Proc, startProc, waitFor } from '../scripts/lib/procs';
import { startDevServer } from '../scripts/lib/temporal';
import { treeRssMb } from './proc-tree';

// The servers of bench/worker-memory.ts and bench/province.ts, private to the run and on loopback:
// a Postgres cluster, the Temporal dev server (SQLite in memory) and the project's worker as its
// own process, started as `npm run worker` starts it (node --max-old-space-size … worker/main.ts),
// configured only through config/env.ts. Or, with `temporal: 'cluster'`, the production topology
// of scripts/lib/cluster.ts on that Postgres: Temporal's four services and two project workers
// (no APIs). RSS is read from /proc for each process tree.

const ROOT = join(import.meta.dirname, '..');

/** Peak RSS of named process trees, sampled every `everyMs`. */
export function peakSampler(pids: Record<string, number>, everyMs = 500) {
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name] ?? 0, treeRssMb(pid));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    now: () => Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, treeRssMb(pid)])),
    stop: () => {
      clearInterval(timer);
      sample();
      return { ...peak };
    },
  };
}

export interface Stack {
  client: Client;
  pool: pg.Pool;
  pgUrl: string;
  worker: Proc;
  pids: Record<string, number>;
  dir: string;
  stop(): Promise<void>;
}

export async function startStack(opts: {
  name: string;
  workerEnv: Record<string, string>;
  heapMb: number;
  pgSettings?: string[];
  temporal?: 'dev' | 'cluster';
}): Promise<Stack> {
  const dir = join(ROOT, '.test-data', `${opts.name}-${process.pid}`);
  const stops: (() => Promise<unknown>)[] = [];
  // One stop however often it is asked for (SIGINT and the caller's finally): the same promise.
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const s of stops.splice(0).reverse()) await s().catch((e: Error) => console.error(e.message));
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  try {
    const pgc = await startPostgres({
      dataDir: join(dir, 'postgres'),
      port: await freePort(),
      logFile: join(dir, 'postgres.log'),
      settings: ['max_connections=200', ...(opts.pgSettings ?? [])],
    });
    stops.push(pgc.stop);
    await ensureDatabase(pgc.url('postgres'), 'dibao');
    const pgUrl = pgc.url('dibao');
    await migrate(pgUrl, 'up', true);
    if (opts.temporal === 'cluster') {
      const cluster = await clusterStack(dir, pgc, pgUrl, opts);
      stops.push(cluster.stop);
      const pool = createPool(pgUrl, 4);
      stops.push(() => pool.end());
      process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
      return { ...cluster, pool, pgUrl, dir, stop };
    }
    const temporal = await startDevServer({ port: await freePort(), logFile: join(dir, 'temporal.log') });
    stops.push(temporal.stop);
    const env = {
      ...process.env,
      // HS256 with a secret of its own: development and tests only (config/env.ts, R-O7).
      NODE_ENV: 'test',
      DATABASE_URL: pgUrl,
      TEMPORAL_ADDRESS: temporal.address,
      LOG_LEVEL: 'warn',
      PAYLOAD_KEYS: `bench-1:${randomBytes(32).toString('base64')}`,
      PAYLOAD_KEY_ID: 'bench-1',
      JWT_SECRET: randomBytes(32).toString('hex'),
      PAYMENT_FILES_DIR: join(dir, 'payment-files'),
      ...opts.workerEnv,
    };
    const worker = startProc(
      'worker',
      process.execPath,
      [`--max-old-space-size=${opts.heapMb}`, '--import', 'tsx', join(ROOT, 'worker', 'main.ts')],
      { env, cwd: ROOT, logFile: join(dir, 'worker.log') },
    );
    stops.push(() => worker.stop('SIGTERM', 40_000));
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, dataConverter: dataConverter(parseConfig(env)) });
    await waitFor(
      'the worker polling',
      async () =>
        ((
          await connection.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: 'dibao' },
            taskQueueType: 1,
          })
        ).pollers?.length ?? 0) > 0,
      { timeoutMs: 240_000, proc: worker },
    );
    const pool = createPool(pgUrl, 4);
    stops.push(() => pool.end());
    const pids = {
      worker: worker.child.pid!,
      postgres: pgc.proc.child.pid!,
      temporal: temporal.proc.child.pid!,
    };
    process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
    return { client, pool, pgUrl, worker, pids, dir, stop };
  } catch (err) {
    console.error(`[bench] worker log: ${join(dir, 'worker.log')}`);
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
    throw err;
  }
}

/** Temporal's four services and two workers (scripts/lib/cluster.ts) on the bench's Postgres. */
async function clusterStack(
  dir: string,
  pgc: PgCluster,
  pgUrl: string,
  opts: { workerEnv: Record<string, string>; heapMb: number },
): Promise<Omit<Stack, 'pool' | 'pgUrl' | 'dir'>> {
  Object.assign(process.env, opts.workerEnv, { WORKER_HEAP_MB: String(opts.heapMb) });
  const clusterDir = join(dir, 'cluster');
  const cluster = await startCluster({
    dir: clusterDir,
    pg: { host: '127.0.0.1', port: pgc.port, user: 'postgres' },
    databaseUrl: pgUrl,
    appDatabaseUrl: await appLogin(pgUrl),
    ports: { ...(await freePorts()), apis: [] },
    shards: Number(process.env.BENCH_HISTORY_SHARDS ?? 4),
    restartDelayMs: { temporal: 1000, app: 1000 },
  });
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const env = { ...process.env, ...clusterSecrets(clusterDir), DATABASE_URL: pgUrl };
  const client = new Client({ connection, dataConverter: dataConverter(parseConfig(env)) });
  const pids: Record<string, number> = { postgres: pgc.proc.child.pid! };
  for (const [name, p] of Object.entries(cluster.procs)) pids[name] = p.current().child.pid!;
  return {
    client,
    worker: cluster.procs['worker-1']!.current(),
    pids,
    async stop() {
      await connection.close();
      await cluster.stop();
    },
  };
}
