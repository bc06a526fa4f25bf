import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { isTransientTemporalError } from '../../api/temporal-call';

// Which refusals from Temporal are "not now" (the API answers 503 with Retry-After, the client sends
// the same Idempotency-Key again) and which are answers. No server: the errors are built as the
// client raises them (a ServiceError whose cause is the gRPC error).

const grpc = (code: number, details: string) =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
const updateFailed = (code: number, details: string) =>
  new ServiceError('Workflow Update failed', { cause: grpc(code, details) });

describe('temporal-call: transient refusals', () => {
  it('R-M1: an Update refused because the workflow task failed (its worker was killed) is transient', () => {
    // Temporal refuses Updates until the workflow's next task completes on another worker.
    const err = updateFailed(
      9,
      'FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.',
    );
    expect(isTransientTemporalError(err)).toBe(true);
  });

  it('other failed preconditions stay errors; unavailable stays transient', () => {
    expect(isTransientTemporalError(updateFailed(9, 'FAILED_PRECONDITION: Namespace is not active.'))).toBe(
      false,
    );
    expect(isTransientTemporalError(updateFailed(3, 'INVALID_ARGUMENT: bad update'))).toBe(false);
    expect(isTransientTemporalError(updateFailed(14, 'UNAVAILABLE: connection refused'))).toBe(true);
  });
});
