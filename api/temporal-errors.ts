import { updateProblem } from './temporal-call';

/** The refusal mapping alone (no deadline); routes move to `runUpdate` in ./temporal-call. */
export async function runUpdate<T>(id: string, rowStage: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw updateProblem(err, id, rowStage);
  }
}
