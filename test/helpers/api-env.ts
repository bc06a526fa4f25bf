import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createActivities } from '../../activities';
import { app as apiPlugin } from '../../api/app';
import { parseConfig } from '../../config/env';
import { freshDatabase } from './db';
import { testEnv } from './env';

/** What an end-to-end test file works with: the API (inject), its database and Temporal client. */
export interface ApiEnv {
  api: FastifyInstance;
  pool: pg.Pool;
  client: Client;
  taskQueue: string;
  paymentFilesDir: string;
  /** A bearer header for a caller (claims as in API.md). */
  as(role: string, region: string, sub?: string): { authorization: string };
  stop(): Promise<void>;
}

/**
 * One per e2e file: a fresh database, the API plugin, and (unless `worker: false`) a worker with the
 * real activities on a private task queue — against the dev server, or against a time-skipping
 * environment when one is given.
 */
export async function startApiEnv(
  opts: { worker?: boolean; timeSkipping?: TestWorkflowEnvironment; sub?: string } = {},
): Promise<ApiEnv> {
  const db = await freshDatabase();
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
  });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  if (opts.worker !== false) {
    worker = await Worker.create({
      connection: ts
        ? ts.nativeConnection
        : await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS }),
      taskQueue,
      workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
      activities: createActivities({ pool, paymentFilesDir }),
    });
    running = worker.run();
  }
  const connection = ts ? undefined : await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = ts ? ts.client : new Client({ connection: connection! });
  const api = Fastify({ logger: false });
  await api.register(apiPlugin, { config, pool, temporal: client });
  await api.ready();
  return {
    api,
    pool,
    client,
    taskQueue,
    paymentFilesDir,
    as: (role, region, sub = `${role}-${opts.sub ?? 'e2e'}`) => ({
      authorization: `Bearer ${api.jwt.sign({ sub, role, region } as never)}`,
    }),
    stop: async () => {
      await api.close();
      worker?.shutdown();
      await running;
      await connection?.close();
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
