import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureLocalIdp } from './local-idp';
import { waitFor } from './procs';
import { type Supervised, Supervisor } from './supervisor';
import {
  prepareNamespace,
  type ServicePorts,
  setupTemporalSchemas,
  startTemporalServices,
  TEMPORAL_SERVICES,
  temporalServerVersion,
} from './temporal-cluster';

// The production topology on one machine, no Docker: Temporal's four services as processes on the
// project's Postgres, two project workers and two APIs (NODE_ENV=production, secrets of their own),
// each process restarted when it dies. Used by `scripts/stack.ts cluster` (fixed ports, state in
// .data/cluster) and by the test command's cluster pass (free ports, throw-away state).

const ROOT = join(import.meta.dirname, '..', '..');

export interface ClusterPorts {
  temporal: Record<(typeof TEMPORAL_SERVICES)[number], ServicePorts>;
  apis: { http: number; metrics: number }[];
  workers: { metrics: number; sdkMetrics: number }[];
}

/** The fixed ports of `stack.ts cluster` (README, deploy/README.md). */
export const DEFAULT_PORTS: ClusterPorts = {
  temporal: {
    frontend: { grpc: 7233, http: 7243, membership: 6933, metrics: 9090 },
    history: { grpc: 7234, membership: 6934, metrics: 9091 },
    matching: { grpc: 7235, membership: 6935, metrics: 9092 },
    worker: { grpc: 7239, membership: 6939, metrics: 9093 },
  },
  apis: [
    { http: 3000, metrics: 9464 },
    { http: 3001, metrics: 9465 },
  ],
  workers: [
    { metrics: 9466, sdkMetrics: 9468 },
    { metrics: 9467, sdkMetrics: 9469 },
  ],
};

export interface ClusterState {
  temporalVersion: string;
  temporalAddress: string;
  databaseUrl: string;
  apis: string[];
  apiMetrics: string[];
  workerMetrics: string[];
  stateFile: string;
  procs: Record<string, Supervised>;
  stop(): Promise<void>;
}

/**
 * The cluster's payload key, ID (HMAC) key and identity provider, kept with its data: histories stay decryptable
 * (R-O7). The APIs verify tokens by the local identity provider's JWKS (no secret of their own);
 * JWT_SIGNING_KEY_FILE is for scripts/token.ts and the tests, never handed to a process.
 */
export function clusterSecrets(dir: string): Record<string, string> {
  const file = join(dir, 'secrets.env');
  const read = () =>
    Object.fromEntries(
      (existsSync(file) ? readFileSync(file, 'utf8') : '')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
  const old = read();
  if (!old.JWT_JWKS_URL || !old.ID_KEYS) {
    // A cluster made before keeps its payload keys; its JWT_SECRET goes, the missing keys are made.
    const idp = ensureLocalIdp(dir);
    const lines = [
      `JWT_JWKS_URL=${idp.jwksUrl}`,
      `JWT_SIGNING_KEY_FILE=${idp.signingKeyFile}`,
      `PAYLOAD_KEYS=${old.PAYLOAD_KEYS ?? `k1:${randomBytes(32).toString('base64')}`}`,
      `PAYLOAD_KEY_ID=${old.PAYLOAD_KEY_ID ?? 'k1'}`,
      `ID_KEYS=${old.ID_KEYS ?? `k1:${randomBytes(32).toString('base64')}`}`,
      `ID_KEY_ID=${old.ID_KEY_ID ?? 'k1'}`,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    chmodSync(file, 0o600);
  }
  return read();
}

/** Until every worker polls the task queue (each bundles the workflows first: a minute or more here). */
async function waitForPollers(address: string, workers: Supervised[]): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    await waitFor(
      'the workers to poll dibao',
      async () => {
        const { pollers } = await conn.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: 'dibao' },
          taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
        });
        // The SDK's default identity is `<pid>@<host>`.
        return workers.every((w) =>
          pollers?.some((p) => p.identity?.startsWith(`${w.current().child.pid}@`)),
        );
      },
      { timeoutMs: 300_000, intervalMs: 1000 },
    );
  } finally {
    await conn.close();
  }
}

export async function startCluster(opts: {
  dir: string;
  /** The project's Postgres (private cluster, user postgres, trust on loopback). */
  pg: { host: string; port: number; user: string };
  /** The app's database, migrated (the owner's URL: tests and tools read and seed through it). */
  databaseUrl: string;
  /** The same database as the app's login (R-O7 least privilege): the workers' and APIs' URL. */
  appDatabaseUrl: string;
  ports: ClusterPorts;
  shards: number;
  /** Before a dead process is started again: Temporal's services, the app's processes. */
  restartDelayMs: { temporal: number; app: number };
  onStop?: (fn: () => Promise<void>) => void;
}): Promise<ClusterState> {
  mkdirSync(join(opts.dir, 'logs'), { recursive: true });
  const version = temporalServerVersion();
  const secrets = clusterSecrets(opts.dir);
  const stateFile = join(opts.dir, 'cluster.json');
  const frontend = `127.0.0.1:${opts.ports.temporal.frontend.grpc}`;
  const apis = opts.ports.apis.map((a) => `http://127.0.0.1:${a.http}`);
  const sup = new Supervisor(stateFile, {
    temporalVersion: version,
    temporalAddress: frontend,
    databaseUrl: opts.databaseUrl,
    apis,
    jwtSigningKeyFile: secrets.JWT_SIGNING_KEY_FILE,
  });
  const all: Supervised[] = [];
  // Stops in reverse order of start: the API first, Temporal's services last.
  const stop = async () => {
    for (const p of all.splice(0).reverse())
      await p.stop('SIGTERM', p.name.startsWith('worker') ? 40_000 : 20_000);
  };
  opts.onStop?.(stop);

  let t = Date.now();
  await setupTemporalSchemas(opts.pg);
  console.log(`[cluster] Temporal ${version} schemas ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  const temporal = startTemporalServices(sup, {
    pg: opts.pg,
    shards: opts.shards,
    ports: opts.ports.temporal,
    logDir: join(opts.dir, 'logs'),
    restartDelayMs: opts.restartDelayMs.temporal,
  });
  all.push(...TEMPORAL_SERVICES.map((s) => temporal[s]));
  await prepareNamespace(frontend, 'default', '72h');
  console.log(`[cluster] Temporal services and namespace ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  t = Date.now();
  // node itself with tsx's loader (not the tsx CLI, which runs the script in a child): the pid in the
  // state file is the process that serves, so a SIGKILL to it is a node loss.
  const node = (entry: string) => ({ cmd: process.execPath, args: ['--import', 'tsx', join(ROOT, entry)] });
  const { JWT_SIGNING_KEY_FILE: _signingKey, ...processSecrets } = secrets;
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...processSecrets,
    NODE_ENV: 'production',
    TEMPORAL_ADDRESS: frontend,
    DATABASE_URL: opts.appDatabaseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PAYMENT_FILES_DIR: join(opts.dir, 'payment-files'),
    WORKER_SHUTDOWN_GRACE: '30s',
  };
  const procs: Record<string, Supervised> = Object.fromEntries(
    TEMPORAL_SERVICES.map((s) => [s, temporal[s]]),
  );
  opts.ports.workers.forEach((w, i) => {
    const name = `worker-${i + 1}`;
    procs[name] = sup.start({
      name,
      ...node('worker/main.ts'),
      opts: {
        cwd: ROOT,
        env: {
          ...appEnv,
          WORKER_METRICS_PORT: String(w.metrics),
          WORKER_SDK_METRICS_PORT: String(w.sdkMetrics),
        },
        logFile: join(opts.dir, 'logs', `${name}.log`),
      },
      restartDelayMs: opts.restartDelayMs.app,
      info: { metricsUrl: `http://127.0.0.1:${w.metrics}/metrics` },
    });
    all.push(procs[name]);
  });
  opts.ports.apis.forEach((a, i) => {
    const name = `api-${i + 1}`;
    procs[name] = sup.start({
      name,
      ...node('api/server.ts'),
      opts: {
        cwd: ROOT,
        env: { ...appEnv, HTTP_PORT: String(a.http), API_METRICS_PORT: String(a.metrics) },
        logFile: join(opts.dir, 'logs', `${name}.log`),
      },
      restartDelayMs: opts.restartDelayMs.app,
      info: { url: apis[i] as string, metricsUrl: `http://127.0.0.1:${a.metrics}/metrics` },
    });
    all.push(procs[name]);
  });
  for (const [i, url] of apis.entries()) {
    await waitFor(`api-${i + 1} /ready`, async () => (await fetch(`${url}/ready`)).status === 200, {
      timeoutMs: 120_000,
    });
  }
  const workerMetrics = opts.ports.workers.map((w) => `http://127.0.0.1:${w.metrics}/metrics`);
  await waitForPollers(
    frontend,
    opts.ports.workers.map((_, i) => procs[`worker-${i + 1}`] as Supervised),
  );
  console.log(`[cluster] workers and APIs ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  sup.writeState();
  return {
    temporalVersion: version,
    temporalAddress: frontend,
    databaseUrl: opts.databaseUrl,
    apis,
    apiMetrics: opts.ports.apis.map((a) => `http://127.0.0.1:${a.metrics}/metrics`),
    workerMetrics,
    stateFile,
    procs,
    stop,
  };
}
