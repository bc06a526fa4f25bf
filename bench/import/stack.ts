import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createSigner } from 'fast-jwt';
import { migrate } from '../../db/migrate';
import { clusterSecrets, startCluster } from '../../scripts/lib/cluster';
import { freePorts } from '../../scripts/lib/cluster-pass';
import { signLocal } from '../../scripts/lib/local-idp';
import { appLogin, ensureDatabase, startPostgres } from '../../scripts/lib/postgres';
import { freePort, startProc, waitFor } from '../../scripts/lib/procs';
import { startDevServer } from '../../scripts/lib/temporal';
import { statementSettings } from './statements';

// The servers of bench/import.ts, private to one run and on loopback: a Postgres cluster (fsync off),
// Temporal (the dev server, or with `cluster` its four services on that Postgres as production runs
// them, scripts/lib/cluster.ts), `workers` project workers and one API, each its own process
// (`node --import tsx <entry>`), so /proc shows each one's memory and CPU.

const ROOT = join(import.meta.dirname, '..', '..');
const CLAIMS = { sub: 'admin-bench', role: 'admin', region: '14' };

export interface ImportStack {
  base: string;
  authorization: string;
  /** A bearer token for another role and region (the receipts beside the import). */
  bearer(claims: { sub: string; role: string; region: string }): string;
  pgUrl: string;
  temporalAddress: string;
  /** Root pid of each server: postgres, temporal (or its services), worker-N, api. */
  pids: Record<string, number>;
  /** The first worker's metrics (the probe reads its SDK metrics). */
  workerMetricsUrl: string;
  stop(): Promise<void>;
}

export async function startImportStack(opts: {
  name: string;
  temporal: 'dev' | 'cluster';
  workers: number;
}): Promise<ImportStack> {
  const dir = join(ROOT, '.test-data', `${opts.name}-${process.pid}`);
  const logs = join(dir, 'logs');
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch((e: Error) => console.error(e.message));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pgc = await startPostgres({
      dataDir: join(dir, 'postgres'),
      port: await freePort(),
      logFile: join(logs, 'postgres.log'),
      settings: ['fsync=off', 'synchronous_commit=off', 'max_connections=200', ...statementSettings()],
    });
    stops.push(pgc.stop);
    await ensureDatabase(pgc.url('postgres'), 'dibao');
    const pgUrl = pgc.url('dibao');
    await migrate(pgUrl, 'up', true);
    // The production stack depth of the workflow sandbox (worker/bundle.ts) in either topology.
    const common = { LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000', WORKER_WORKFLOW_STACK_FRAMES: '4' };
    if (opts.temporal === 'cluster') {
      Object.assign(process.env, common);
      const ports = await freePorts();
      const workers = [...ports.workers];
      while (workers.length < opts.workers)
        workers.push({ metrics: await freePort(), sdkMetrics: await freePort() });
      const clusterDir = join(dir, 'cluster');
      const cluster = await startCluster({
        dir: clusterDir,
        pg: { host: '127.0.0.1', port: pgc.port, user: 'postgres' },
        databaseUrl: pgUrl,
        appDatabaseUrl: await appLogin(pgUrl),
        ports: {
          ...ports,
          apis: ports.apis.slice(0, 1),
          workers: workers.slice(0, opts.workers),
        },
        shards: Number(process.env.BENCH_HISTORY_SHARDS ?? 4),
        restartDelayMs: { temporal: 1000, app: 1000 },
      });
      stops.push(cluster.stop);
      const keyFile = clusterSecrets(clusterDir).JWT_SIGNING_KEY_FILE!;
      const pids: Record<string, number> = { postgres: pgc.proc.child.pid! };
      for (const [name, p] of Object.entries(cluster.procs)) pids[name] = p.current().child.pid!;
      return {
        base: cluster.apis[0]!,
        authorization: `Bearer ${signLocal(keyFile, 'dibao', CLAIMS, 6)}`,
        bearer: (claims) => `Bearer ${signLocal(keyFile, 'dibao', claims, 6)}`,
        pgUrl,
        temporalAddress: cluster.temporalAddress,
        pids,
        workerMetricsUrl: cluster.workerMetrics[0]!,
        stop,
      };
    }
    const temporal = await startDevServer({ port: await freePort(), logFile: join(logs, 'temporal.log') });
    stops.push(temporal.stop);
    const jwtSecret = randomBytes(32).toString('hex');
    const httpPort = await freePort();
    const env = {
      ...process.env,
      ...common,
      // HS256 with a secret of its own: development and tests only (config/env.ts, R-O7).
      NODE_ENV: 'test',
      DATABASE_URL: pgUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'dibao',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      JWT_SECRET: jwtSecret,
      JWT_ISSUER: 'dibao',
      PAYLOAD_KEYS: `bench-1:${randomBytes(32).toString('base64')}`,
      PAYLOAD_KEY_ID: 'bench-1',
      PAYMENT_FILES_DIR: join(dir, 'payment-files'),
    };
    const pids: Record<string, number> = {
      postgres: pgc.proc.child.pid!,
      temporal: temporal.proc.child.pid!,
    };
    const spawn = (name: string, entry: string, extraEnv: Record<string, string> = {}) => {
      // BENCH_WORKER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: node flags of the workers only.
      // The workers' heap limit as `npm run worker` sets it (WORKER_HEAP_MB, 2,048 MB): it sizes
      // their sticky cache (worker/tuning.ts), and Node's own default (a quarter of the machine's
      // memory, 4 GB here) would measure a cache production does not run.
      const extra = name.startsWith('worker')
        ? [
            `--max-old-space-size=${process.env.WORKER_HEAP_MB ?? 2048}`,
            ...(process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
          ]
        : [];
      const p = startProc(name, process.execPath, [...extra, '--import', 'tsx', join(ROOT, entry)], {
        env: { ...env, ...extraEnv },
        cwd: ROOT,
        logFile: join(logs, `${name}.log`),
      });
      stops.push(() => p.stop('SIGTERM', 40_000));
      pids[name] = p.child.pid!;
      return p;
    };
    let workerMetricsUrl = '';
    for (let i = 1; i <= opts.workers; i++) {
      const metrics = await freePort();
      workerMetricsUrl ||= `http://127.0.0.1:${metrics}/metrics`;
      const w = spawn(`worker-${i}`, 'worker/main.ts', {
        WORKER_METRICS_PORT: String(metrics),
        WORKER_SDK_METRICS_PORT: String(await freePort()),
      });
      // Each worker bundles the workflows before it polls (a minute or more here): one at a time.
      const log = join(logs, `worker-${i}.log`);
      await waitFor(
        `worker-${i}`,
        async () => existsSync(log) && readFileSync(log, 'utf8').includes('polling'),
        {
          timeoutMs: 240_000,
          proc: w,
        },
      );
    }
    const api = spawn('api', 'api/server.ts');
    const base = `http://127.0.0.1:${httpPort}`;
    await waitFor('the API', async () => (await fetch(`${base}/ready`)).status === 200, {
      timeoutMs: 180_000,
      proc: api,
    });
    const sign = createSigner({ key: jwtSecret, iss: 'dibao', expiresIn: 6 * 3_600_000 });
    return {
      base,
      authorization: `Bearer ${sign(CLAIMS)}`,
      bearer: (claims) => `Bearer ${sign(claims)}`,
      pgUrl,
      temporalAddress: temporal.address,
      pids,
      workerMetricsUrl,
      stop,
    };
  } catch (err) {
    console.error(`[bench] logs in ${logs}`);
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
    throw err;
  }
}
