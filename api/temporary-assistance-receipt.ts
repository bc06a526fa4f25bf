import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { receiveTemporaryAssistance } from '../clients/temporary-assistance';
import type { TemporaryAssistanceInput, TemporaryAssistanceView } from '../workflows/contracts';
import { notFound } from './problem';
import { updateProblem } from './temporal-call';

/**
 * R-A10: a request received through the API (the receipt route, a register referral, R-L3): the
 * update-with-start within the API's deadline; a retry after the request closed answers its row.
 */
export async function receiveAssistance(
  app: FastifyInstance,
  input: TemporaryAssistanceInput,
  token: string,
): Promise<TemporaryAssistanceView> {
  try {
    return await app.temporalCall(() =>
      receiveTemporaryAssistance(app.temporal, app.config.TEMPORAL_TASK_QUEUE, input, token),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError))
      throw updateProblem(err, input.assistanceId, 'received');
  }
  const row = await app.repos.temporaryAssistance.find(input.assistanceId);
  if (!row) throw notFound(`no temporary assistance ${input.assistanceId}`);
  return row.view;
}
