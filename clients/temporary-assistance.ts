import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import {
  type TemporaryAssistanceInput,
  type TemporaryAssistanceView,
  type TemporaryAssistanceWorkflow,
  temporaryAssistanceReceiptUpdate,
  temporaryAssistanceWorkflowId,
} from '../workflows/contracts';
import { receiptStartOptions, receiptUpdateId } from './receipt-start';

// R-A10: a request for temporary assistance is an update-with-start of `temporary-assistance:<id>`
// whose first step writes its row. Shared by the API's receipt and the register's referral (R-L3)
// that opens one, so both are the same procedure: the same id scheme, start options and Update id,
// hence the same answer to a retry.

/** The request's id: county, receipt date and 12 hex of the request's token (no personal data, R-O7). */
export const temporaryAssistanceId = (countyCode: string, receivedOn: string, token: string) =>
  `T${countyCode}${receivedOn.replaceAll('-', '')}${token.slice(0, 12).toUpperCase()}`;

/** The start half of the receipt's update-with-start (conflict: use the existing run; never reuse an id). */
export function temporaryAssistanceStart(taskQueue: string, input: TemporaryAssistanceInput) {
  return new WithStartWorkflowOperation<TemporaryAssistanceWorkflow>('temporaryAssistanceWorkflow', {
    taskQueue,
    workflowId: temporaryAssistanceWorkflowId(input.assistanceId),
    args: [input],
    ...receiptStartOptions('temporary_assistance', input.villageCode),
  });
}

/** The Update id of a request's receipt (one per request token, as an application's). */
export const temporaryAssistanceReceiptId = receiptUpdateId;

/** Receives the request (or answers the first receipt again): the workflow's view once its row exists. */
export function receiveTemporaryAssistance(
  client: Client,
  taskQueue: string,
  input: TemporaryAssistanceInput,
  token: string,
): Promise<TemporaryAssistanceView> {
  return client.workflow.executeUpdateWithStart(temporaryAssistanceReceiptUpdate, {
    updateId: temporaryAssistanceReceiptId(token),
    startWorkflowOperation: temporaryAssistanceStart(taskQueue, input),
  });
}
