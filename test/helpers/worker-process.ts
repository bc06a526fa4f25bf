import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiEnv } from './api-env';

// A worker process on the env's task queue (worker-child.ts), to be killed for real.
export async function spawnWorker(env: ApiEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./worker-child.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        CHILD_DATABASE_URL: env.databaseUrl,
        CHILD_TASK_QUEUE: env.taskQueue,
        CHILD_PAYMENT_FILES_DIR: env.paymentFilesDir,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited (${code})`)));
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('worker-child ready')) resolve();
    });
  });
  return child;
}
