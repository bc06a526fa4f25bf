import {
  type Client,
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { FAILURE } from '../workflows/contracts';
import { conflict, forbidden, notFound, ProblemError, unavailable } from './problem';

// Every call the API makes to Temporal goes through `temporalCall`: it has the API's own deadline
// (TEMPORAL_CALL_TIMEOUT) and answers 503 with Retry-After past it or when the service is away.
// An Update accepted before the deadline still completes in the workflow; the client's retry with
// the same Idempotency-Key is the same Update id, so Temporal returns the first result.

// gRPC codes that mean "not now": CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED,
// UNAVAILABLE, and UNKNOWN from a dropped connection.
const TRANSIENT_GRPC = new Set([1, 2, 4, 8, 10, 14]);
// The server refuses an Update when the workflow task that should have taken it was lost (a worker
// restarted, a speculative task dropped); sent again, it is delivered.
const TRANSIENT_MESSAGE =
  /wasn't processed by worker|workflow update was rejected|Call cancelled|deadline exceeded|No connection established|connection (refused|reset)|UNAVAILABLE/i;
// FAILED_PRECONDITION is an answer, except this one: the workflow task that was running when its
// worker died has failed, and the server takes no Update until another worker completes the next.
const FAILED_PRECONDITION = 9;
const TASK_FAILED = /Workflow Task in failed state/i;

export function isTransientTemporalError(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const grpc = isGrpcServiceError(err)
    ? err
    : err instanceof ServiceError && isGrpcServiceError(err.cause)
      ? err.cause
      : undefined;
  if (grpc && TRANSIENT_GRPC.has(grpc.code)) return true;
  if (grpc?.code === FAILED_PRECONDITION && TASK_FAILED.test(grpc.details)) return true;
  const message = (err as Error | undefined)?.message;
  return (
    (err instanceof ServiceError || err instanceof WorkflowUpdateFailedError || isGrpcServiceError(err)) &&
    typeof message === 'string' &&
    TRANSIENT_MESSAGE.test(message)
  );
}

/** Runs `fn` (calls on `client`) within `ms`; past it, or when Temporal is away, a 503 problem. */
export async function temporalCall<T>(client: Client, ms: number, fn: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(
        unavailable(
          `no answer from the workflow service within ${ms / 1000} s; the step may still be applied: retry with the same Idempotency-Key`,
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([client.withAbortSignal(abort.signal, fn), expired]);
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    if (abort.signal.aborted || isTransientTemporalError(err)) {
      throw unavailable('the workflow service is unavailable; retry with the same Idempotency-Key');
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * R-A1: 409 naming the application or case that holds a person. R-O7: neither the detail nor the
 * body carries the person's ID number or name (the workflow's failure details may: they are
 * encrypted payloads).
 */
export const enrolmentConflict = (held: { holderKind?: unknown; holderId?: unknown }) =>
  conflict('already-enrolled', `a member is already in ${held.holderKind} ${held.holderId}`, {
    holderKind: held.holderKind,
    holderId: held.holderId,
  });

/**
 * Maps a refused Update (typed ApplicationFailure from the workflow's validator) onto the API's
 * problem responses: wrong stage → 409 with the current stage, wrong role → 403, inconsistent → 422,
 * a member already enrolled → 409 naming the holder (R-A1).
 */
export function updateProblem(err: unknown, id: string, rowStage: string): unknown {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
    const stage = (details.stage as string | undefined) ?? rowStage;
    switch (cause.type) {
      case FAILURE.wrongStage:
        return conflict('wrong-stage', cause.message, { stage });
      case FAILURE.publicityNotEnded:
        return conflict('publicity-not-ended', cause.message, { stage });
      case FAILURE.alreadyEnrolled:
        return enrolmentConflict(details);
      case FAILURE.wrongRole:
        return forbidden(cause.message);
      case FAILURE.notFound:
        return notFound(cause.message);
      case FAILURE.invalidStep:
        return new ProblemError(422, 'invalid-step', 'Inconsistent step', cause.message, { stage });
    }
  }
  if (err instanceof WorkflowNotFoundError || /already completed/i.test((err as Error)?.message ?? '')) {
    return conflict('wrong-stage', `${id} is closed (${rowStage})`, { stage: rowStage });
  }
  return err;
}
