import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { trivialWorkflow } from '../staff-step/workflows';

// The import's baseline on the same Temporal server, in the same run: workflows that complete in
// their first workflow task (no activity, no Postgres), started and awaited `lanes` at a time by a
// client, run by a plain TypeScript worker of their own (in this process, its own task queue). What
// the server and one worker do with the least work a workflow can have: an imported household is
// two workflows (its case and its register entry, R-L1) with activities and Postgres besides.

const QUEUE = 'bench-import-baseline';

/** Trivial workflows/s, and what `meter` (started after the warm-up, stopped at the end) read. */
export async function trivialWorkflowsPerS<M>(
  temporalAddress: string,
  n: number,
  lanes: number,
  meter: () => { stop(): M },
): Promise<{ perS: number; metered: M }> {
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: temporalAddress }),
    taskQueue: QUEUE,
    workflowsPath: join(import.meta.dirname, '..', 'staff-step', 'workflows.ts'),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  const run = async (count: number, prefix: string) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let i = next++; i < count; i = next++)
          await client.workflow.execute<typeof trivialWorkflow>('trivialWorkflow', {
            taskQueue: QUEUE,
            workflowId: `${prefix}-${i}`,
            args: [i],
          });
      }),
    );
    return count / ((performance.now() - t0) / 1000);
  };
  try {
    await run(Math.min(n, 100), 'warm'); // the worker's first tasks (caches)
    const m = meter();
    const perS = +(await run(n, 'trivial')).toFixed(1);
    return { perS, metered: m.stop() };
  } finally {
    await connection.close();
    worker.shutdown();
    await running;
  }
}
