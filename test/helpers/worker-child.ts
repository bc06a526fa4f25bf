import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { dataConverter } from '../../codec/payload-codec';
import { idKeysOf, parseConfig } from '../../config/env';
import { createPool } from '../../db/pool';
import { testPayloadKeys } from './env';

// A worker in a process of its own, for tests that kill it (SIGKILL: no graceful shutdown, in-flight
// activities and workflow tasks simply stop) and check that another worker carries on.
const env = process.env;
const config = parseConfig({
  NODE_ENV: 'test',
  DATABASE_URL: env.CHILD_DATABASE_URL,
  TEMPORAL_ADDRESS: env.TEST_TEMPORAL_ADDRESS,
  TEMPORAL_TASK_QUEUE: env.CHILD_TASK_QUEUE,
  PAYMENT_FILES_DIR: env.CHILD_PAYMENT_FILES_DIR,
  LOG_LEVEL: 'warn',
  ...testPayloadKeys(),
});
const pool = createPool(config.DATABASE_URL, 5);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await Worker.create({
  connection,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  workflowBundle: { codePath: env.TEST_WORKFLOW_BUNDLE! },
  activities: createActivities({ pool, idKeys: idKeysOf(config), paymentFilesDir: config.PAYMENT_FILES_DIR }),
  dataConverter: dataConverter(config),
});
console.log('worker-child ready');
await worker.run();
