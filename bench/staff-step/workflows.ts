import { condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

// Baselines for bench/staff-step.ts, bundled on their own task queue (not the project's workflows).
// A no-op Update, an Update whose handler runs one trivial activity, and a workflow that ends at once.

export const noopUpdate = defineUpdate<number, [number]>('benchNoop');
export const activityUpdate = defineUpdate<number, [number]>('benchActivity');

export interface BenchActivities {
  benchEcho(n: number): Promise<number>;
}

const { benchEcho } = proxyActivities<BenchActivities>({ startToCloseTimeout: '30s' });

/** Waits forever (the bench's dev server is thrown away); answers each Update at once. */
export async function updateTargetWorkflow(): Promise<void> {
  setHandler(readyQuery, () => true);
  setHandler(noopUpdate, (n) => n);
  setHandler(activityUpdate, async (n) => benchEcho(n));
  await condition(() => false);
}

/** Starts and completes in its first workflow task. */
export async function trivialWorkflow(n: number): Promise<number> {
  return n;
}

export const readyQuery = defineQuery<boolean>('benchReady');
