import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { DestinationStream } from 'pino';
import { createActivities } from '../../activities';
import { app as apiPlugin } from '../../api/app';
import { serverOptions } from '../../api/server-options';
import { dataConverter } from '../../codec/payload-codec';
import { idKeysOf, parseConfig } from '../../config/env';
import { freshDatabase } from './db';
import { testEnv, testPayloadKeys } from './env';

/** What an end-to-end test file works with: the API (inject), its database and Temporal client. */
export interface ApiEnv {
  api: FastifyInstance;
  pool: pg.Pool;
  /** The database the env's API and worker use (a worker process of a test's own connects to it). */
  databaseUrl: string;
  client: Client;
  taskQueue: string;
  paymentFilesDir: string;
  /** A bearer header for a caller (claims as in API.md). */
  as(role: string, region: string, sub?: string): { authorization: string };
  /** The worker on the env's task queue, stopped and started again (node loss). */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  workerState(): string | undefined;
  stop(): Promise<void>;
}

/**
 * One per e2e file: a fresh database, the API plugin, and (unless `worker: false`) a worker with the
 * real activities on a private task queue — against the dev server, or against a time-skipping
 * environment when one is given.
 */
export async function startApiEnv(
  opts: {
    worker?: boolean;
    timeSkipping?: TestWorkflowEnvironment;
    sub?: string;
    /** A database of the test's own (e.g. on a cluster it stops and restarts). */
    db?: { url: string; pool: pg.Pool; drop(): Promise<void> };
    /** Configuration overrides (e.g. short API deadlines). */
    env?: Record<string, string>;
    /** Where the API logs (with the project's redaction, at LOG_LEVEL); none by default. */
    logStream?: DestinationStream;
  } = {},
): Promise<ApiEnv> {
  const db = opts.db ?? (await freshDatabase());
  const pool = db.pool;
  const taskQueue = `e2e-${Math.random().toString(36).slice(2)}`;
  const paymentFilesDir = mkdtempSync(join(tmpdir(), 'payfiles-'));
  const ts = opts.timeSkipping;
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: ts ? ts.address : testEnv('TEST_TEMPORAL_ADDRESS'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYMENT_FILES_DIR: paymentFilesDir,
    LOG_LEVEL: 'warn',
    // A test file sends thousands of requests as one caller; the rate-limit test sets its own.
    RATE_LIMIT_MAX: '1000000',
    ...testPayloadKeys(),
    ...opts.env,
  });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const nativeConnection = ts
    ? ts.nativeConnection
    : await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const startWorker = async () => {
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
      activities: createActivities({ pool, idKeys: idKeysOf(config), paymentFilesDir }),
      dataConverter: dataConverter(config),
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    worker?.shutdown();
    await running;
    worker = undefined;
  };
  if (opts.worker !== false) await startWorker();
  const connection = ts ? undefined : await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  // R-O7: the API's client encrypts as in production (the time-skipping env's client has the codec too).
  const client = ts
    ? ts.client
    : new Client({ connection: connection!, dataConverter: dataConverter(config) });
  const api = Fastify(
    serverOptions(config, opts.logStream ? { stream: opts.logStream } : { enabled: false }),
  );
  await api.register(apiPlugin, { config, pool, temporal: client });
  await api.ready();
  return {
    api,
    pool,
    databaseUrl: db.url,
    client,
    taskQueue,
    paymentFilesDir,
    as: (role, region, sub = `${role}-${opts.sub ?? 'e2e'}`) => ({
      authorization: `Bearer ${api.jwt.sign({ sub, role, region } as never)}`,
    }),
    startWorker,
    stopWorker,
    workerState: () => worker?.getState(),
    stop: async () => {
      await api.close();
      await stopWorker();
      await connection?.close();
      if (!ts) await nativeConnection.close();
      await db.drop();
    },
  };
}

/** Polls until `fn` gives a value (visibility, signals and activities are asynchronous). */
export async function until<T>(
  fn: () => Promise<T | undefined>,
  what: string,
  { tries = 150, everyMs = 100 } = {},
): Promise<NonNullable<T>> {
  for (let i = 0; i < tries; i++) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v as NonNullable<T>;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
