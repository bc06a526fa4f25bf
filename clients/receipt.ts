import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  type ApplicationInput,
  type ApplicationWorkflow,
  applicationWorkflowId,
  FAILURE,
} from '../workflows/contracts';
import { receiptStartOptions } from './receipt-start';

// R-A1: a receipt is an update-with-start of `application:<id>` whose first step records it. Shared by
// the API's receipt and the register's visit that opens an application (R-L2), so both are the same
// procedure: the same id scheme, start options and Update id, hence the same answer to a retry.

/** The application id of a receipt: county, acceptance date and 12 hex of the request's token. */
export const receiptApplicationId = (countyCode: string, acceptedOn: string, token: string) =>
  `A${countyCode}${acceptedOn.replaceAll('-', '')}${token.slice(0, 12).toUpperCase()}`;

/** The start half of the receipt's update-with-start (conflict: use the existing run; never reuse an id). */
export function receiptStart(taskQueue: string, input: ApplicationInput) {
  return new WithStartWorkflowOperation<ApplicationWorkflow>('applicationWorkflow', {
    taskQueue,
    workflowId: applicationWorkflowId(input.applicationId),
    args: [input],
    ...receiptStartOptions('application', input.villageCode),
  });
}

export { receiptUpdateId } from './receipt-start';

/** R-A1: the holder named by a receipt refused because a member is already enrolled, else undefined. */
export function enrolmentRefusal(err: unknown): Record<string, unknown> | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type === FAILURE.alreadyEnrolled)
    return (cause.details?.[0] ?? {}) as Record<string, unknown>;
  return undefined;
}
