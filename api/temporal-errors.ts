import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { FAILURE } from '../workflows/messages';
import { conflict, forbidden, notFound, ProblemError } from './problem';

// Maps a refused Update (typed ApplicationFailure from the workflow's validator) onto the API's
// problem responses: wrong stage → 409 with the current stage, wrong role → 403, inconsistent → 422.
export async function runUpdate<T>(id: string, rowStage: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      const stage = (cause.details?.[0] as { stage?: string } | undefined)?.stage ?? rowStage;
      switch (cause.type) {
        case FAILURE.wrongStage:
        case FAILURE.publicityNotEnded:
          throw conflict(
            cause.type === FAILURE.wrongStage ? 'wrong-stage' : 'publicity-not-ended',
            cause.message,
            {
              stage,
            },
          );
        case FAILURE.wrongRole:
          throw forbidden(cause.message);
        case FAILURE.notFound:
          throw notFound(cause.message);
        case FAILURE.invalidStep:
          throw new ProblemError(422, 'invalid-step', 'Inconsistent step', cause.message, { stage });
      }
    }
    if (err instanceof WorkflowNotFoundError || /already completed/i.test((err as Error).message)) {
      throw conflict('wrong-stage', `${id} is closed (${rowStage})`, { stage: rowStage });
    }
    throw err;
  }
}
