import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { dataConverter } from '../codec/payload-codec';
import { idKeysOf, loadConfigOrExit } from '../config/env';
import { createPool } from '../db/pool';
import { workerBundle } from './bundle';
import { installRuntimeLogger } from './logging';
import { sdkMetricsBindAddress, startWorkerMetrics } from './metrics';
import { ensurePayrollSchedule, ensureRetentionSchedule, ensureSpotCheckSchedule } from './schedules';
import { heapLimitMb, workerTuning } from './tuning';

// Worker process: connects, serves the task queue, and on SIGINT/SIGTERM stops polling, lets
// in-flight activities finish (up to WORKER_SHUTDOWN_GRACE), then closes its connections.
const config = loadConfigOrExit();
installRuntimeLogger(config.LOG_LEVEL, undefined, sdkMetricsBindAddress(config));
const pool = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, ({ err }, msg) =>
  console.warn(`[worker] ${msg}: ${err.message}`),
);
const metrics = await startWorkerMetrics(config, pool);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });

const tuning = workerTuning(config);
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  // The bundle every worker, test and recorder builds (worker/bundle.ts: preloaded domain modules,
  // the sandbox's stack depth).
  ...workerBundle(config),
  activities: createActivities({
    pool,
    idKeys: idKeysOf(config),
    paymentFilesDir: config.PAYMENT_FILES_DIR,
    importWaitingCases: config.IMPORT_WAITING_CASES,
  }),
  shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE as `${number}s`,
  // R-O7: every payload the worker sends is encrypted (the codec runs outside the workflow sandbox).
  dataConverter: dataConverter(config),
  // Cache, isolates and concurrency from the environment (worker/tuning.ts explains each).
  ...tuning,
});

// R-M1: the monthly payroll schedule exists once the worker serves the queue it starts work on.
const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const scheduleClient = new Client({
  connection: clientConnection,
  namespace: config.TEMPORAL_NAMESPACE,
  dataConverter: dataConverter(config),
});
const schedule = await ensurePayrollSchedule(scheduleClient, config.TEMPORAL_TASK_QUEUE);
// R-O2: the monthly spot-check rounds of township decisions.
const spotChecks = await ensureSpotCheckSchedule(scheduleClient, config.TEMPORAL_TASK_QUEUE);
// R-O7: the daily purge of copies kept for technical reasons.
const retention = await ensureRetentionSchedule(
  scheduleClient,
  config.TEMPORAL_TASK_QUEUE,
  config.RETENTION_DAYS,
);
await clientConnection.close();
console.log(
  `[worker] payroll schedule ${schedule}, spot-check schedule ${spotChecks}, retention schedule ${retention}`,
);

console.log(
  `[worker] heap limit ${heapLimitMb().toFixed(0)} MB, cache ${tuning.maxCachedWorkflows} workflows, ` +
    `${tuning.workflowThreadPoolSize} workflow thread(s), ${tuning.maxConcurrentActivityTaskExecutions} activities at once`,
);
console.log(
  `[worker] polling ${config.TEMPORAL_ADDRESS} namespace=${config.TEMPORAL_NAMESPACE} queue=${config.TEMPORAL_TASK_QUEUE}`,
);
// The SDK's Runtime traps SIGINT/SIGTERM and calls worker.shutdown(); run() resolves once drained.
await worker.run();
await metrics?.close();
await pool.end();
await connection.close();
console.log('[worker] stopped');
