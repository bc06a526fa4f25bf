import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ClusterPorts, type ClusterState, clusterSecrets, startCluster } from './cluster';
import { appLogin, dropDatabase, ensureDatabase, type PgCluster } from './postgres';
import { freeLowPort as anyFreeLowPort, freePort as anyFreePort, type Proc, startProc } from './procs';

// The test command's second pass: the production topology (scripts/lib/cluster.ts) on free ports
// and the test Postgres, then vitest on the end-to-end files that need no time skipping, with
// TEST_TEMPORAL_ADDRESS on the cluster's frontend and TEST_CLUSTER_STATE for the node-loss and
// metrics tests (test/helpers/cluster.ts).

/** The files of the pass: the cluster's own tests and e2e files that exercise visibility and updates. */
export const CLUSTER_TESTS = [
  'test/cluster',
  'test/e2e/metrics.test.ts',
  'test/e2e/applications.test.ts',
  'test/e2e/supervision.test.ts',
  'test/e2e/cases.test.ts',
];

/**
 * Free loopback ports for a throw-away cluster (the cluster pass, the province benchmark), each a
 * different one: a port is free again once probed, so the kernel may hand it out twice.
 */
export async function freePorts(): Promise<ClusterPorts> {
  const given = new Set<number>();
  const distinct = (pick: () => Promise<number>) => async (): Promise<number> => {
    for (;;) {
      const port = await pick();
      if (!given.has(port)) {
        given.add(port);
        return port;
      }
    }
  };
  const freePort = distinct(anyFreePort);
  const freeLowPort = distinct(anyFreeLowPort);
  const service = async (http = false) => ({
    grpc: await freePort(),
    membership: await freeLowPort(),
    metrics: await freePort(),
    ...(http && { http: await freePort() }),
  });
  return {
    temporal: {
      frontend: await service(true),
      history: await service(),
      matching: await service(),
      worker: await service(),
    },
    apis: [
      { http: await freePort(), metrics: await freePort() },
      { http: await freePort(), metrics: await freePort() },
    ],
    workers: [
      { metrics: await freePort(), sdkMetrics: await freePort() },
      { metrics: await freePort(), sdkMetrics: await freePort() },
    ],
  };
}

export async function clusterPass(opts: {
  root: string;
  dataDir: string;
  pg: PgCluster;
  template: string;
  env: NodeJS.ProcessEnv;
  report: string;
  vitestArgs: string[];
  onStop: (fn: () => Promise<void>) => void;
}): Promise<number | string> {
  const t0 = Date.now();
  const dir = join(opts.dataDir, 'cluster');
  rmSync(dir, { recursive: true, force: true });
  const admin = opts.pg.url('postgres');
  // A fresh cluster each run: Temporal's databases and the app's (shards are fixed per database).
  for (const db of ['temporal', 'temporal_visibility', 'cluster_app']) await dropDatabase(admin, db);
  await ensureDatabase(admin, 'cluster_app', opts.template);
  let cluster: ClusterState | undefined;
  opts.onStop(async () => {
    await cluster?.stop();
  });
  cluster = await startCluster({
    dir,
    pg: { host: '127.0.0.1', port: opts.pg.port, user: 'postgres' },
    databaseUrl: opts.pg.url('cluster_app'),
    appDatabaseUrl: await appLogin(opts.pg.url('cluster_app')),
    ports: await freePorts(),
    shards: 4,
    // The app's processes come back after 8 s: long enough to see the other worker carry on.
    restartDelayMs: { temporal: 1000, app: 8000 },
  });
  console.log(
    `[stack] cluster pass: Temporal ${cluster.temporalVersion} (4 services), 2 workers, 2 APIs ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const vitest: Proc = startProc(
    'vitest',
    join(opts.root, 'node_modules', '.bin', 'vitest'),
    [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${opts.report}`,
      ...(opts.vitestArgs.length > 0 ? opts.vitestArgs : CLUSTER_TESTS),
    ],
    {
      cwd: opts.root,
      env: {
        ...opts.env,
        TEST_TEMPORAL_ADDRESS: cluster.temporalAddress,
        TEST_CLUSTER_STATE: cluster.stateFile,
        // The tests' clients and workers share the namespace with the cluster's: one set of keys
        // (a signal a test's API sends to a cluster's workflow must be readable there, R-O7).
        TEST_PAYLOAD_KEYS: clusterSecrets(dir).PAYLOAD_KEYS,
        TEST_PAYLOAD_KEY_ID: clusterSecrets(dir).PAYLOAD_KEY_ID,
      },
    },
  );
  opts.onStop(() => vitest.stop('SIGTERM', 5000));
  const code = await vitest.exited;
  await cluster.stop();
  console.log(`[check] cluster pass: ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
  return code;
}
