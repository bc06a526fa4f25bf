import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { enrolmentRefusal, receiptApplicationId, receiptStart, receiptUpdateId } from '../../clients/receipt';
import { civilDateOf } from '../../domain/dates';
import { countyOf } from '../../domain/region';
import type { Actor } from '../../domain/roles';
import {
  type ApplicationInput,
  type ApplicationResult,
  type ApplicationView,
  applicationWorkflowId,
  receiptUpdate,
} from '../../workflows/contracts';
import { assertReach } from '../plugins/auth';
import { policyContext } from '../policy-context';
import { badRequest, notFound, problemResponses } from '../problem';
import { receiptBody, receiptResponse } from '../schemas/applications';
import { enrolmentConflict, updateProblem } from '../temporal-call';

/** The receipt's answer (201) from the workflow's view of it. */
const actorOf = (u: { sub: string; role: Actor['role']; region: string }): Actor => ({
  sub: u.sub,
  role: u.role,
  region: u.region,
});

function receiptAnswer(view: ApplicationView) {
  const overall = view.deadlines.filter((d) => d.kind === 'overall' && !d.superseded).at(-1)!;
  return {
    applicationId: view.applicationId,
    stage: view.stage,
    deadline: { date: overall.date, provisional: overall.provisional },
    deadlines: view.deadlines,
  };
}

// API.md "Applications": the receipt (R-A1).
export const receiptRoutes: FastifyPluginAsyncZod = async (app) => {
  // R-A1: the receipt is an update-with-start. The workflow id derives from the Idempotency-Key, so
  // a retried receipt is the same workflow and the same Update, answered by Temporal with its first
  // result; the workflow's first activity writes the application, members and enrolments in one
  // transaction, or refuses (409 naming the holder, not the person) and ends. No Postgres connection is held
  // across the call.
  app.post(
    '/applications',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['applications'],
        summary: 'Receive an application (R-A1)',
        body: receiptBody,
        response: { 201: receiptResponse, ...problemResponses },
      },
    },
    async (req, reply) => {
      const body = req.body;
      assertReach(req.user, body.villageCode);
      if (body.acceptedOn > civilDateOf(new Date())) {
        throw badRequest('acceptedOn is in the future', [
          { path: 'body.acceptedOn', message: 'must not be after today' },
        ]);
      }
      // R-O1: the filing names a member of this household, and only a close-relative case has one.
      const filing = body.closeRelativeFiling;
      if (
        filing &&
        (!body.closeRelative || !body.household.members.some((m) => m.idNumber === filing.memberIdNumber))
      )
        throw badRequest('closeRelativeFiling names a member of the household of a close-relative case', [
          {
            path: 'body.closeRelativeFiling.memberIdNumber',
            message: 'a member of this household, with closeRelative true',
          },
        ]);
      const countyCode = countyOf(body.villageCode);
      const context = await policyContext(app, countyCode, body.acceptedOn);
      const token = req.idempotency?.token ?? randomBytes(16).toString('hex');
      const applicationId = receiptApplicationId(countyCode, body.acceptedOn, token);
      const input: ApplicationInput = { ...body, applicationId, receivedBy: actorOf(req.user), context };
      const workflowId = applicationWorkflowId(applicationId);
      try {
        const view = await app.temporalCall(() =>
          app.temporal.workflow.executeUpdateWithStart(receiptUpdate, {
            updateId: receiptUpdateId(token),
            startWorkflowOperation: receiptStart(app.config.TEMPORAL_TASK_QUEUE, input),
          }),
        );
        return reply.code(201).send(receiptAnswer(view));
      } catch (err) {
        const refused = enrolmentRefusal(err);
        if (refused) throw enrolmentConflict(refused);
        if (!(err instanceof WorkflowExecutionAlreadyStartedError))
          throw updateProblem(err, applicationId, 'received');
      }
      // The same receipt, retried after its workflow closed: its outcome, from Temporal.
      const result: ApplicationResult = await app.temporalCall(() =>
        app.temporal.workflow.getHandle(workflowId).result(),
      );
      if (result.refused) throw enrolmentConflict({ ...result.refused });
      const row = await app.repos.applications.find(applicationId);
      if (!row?.view) throw notFound(`no application ${applicationId}`);
      return reply.code(201).send(receiptAnswer(row.view));
    },
  );
};
