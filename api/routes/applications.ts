import { randomBytes } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import {
  ApplicationFailure,
  TypedSearchAttributes,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';
import type { Actor } from '../../domain/roles';
import type { applicationWorkflow } from '../../workflows/application';
import {
  type ApplicationInput,
  type ApplicationResult,
  type ApplicationView,
  applicationStateQuery,
  applicationWorkflowId,
  decisionUpdate,
  economicCheckUpdate,
  FAILURE,
  initialOpinionUpdate,
  investigationUpdate,
  objectionUpdate,
  receiptUpdate,
  temporaryGrantUpdate,
  withdrawalUpdate,
} from '../../workflows/messages';
import {
  SA_CASE_KIND,
  SA_COUNTY,
  SA_STAGE,
  SA_TOWNSHIP,
  SA_VILLAGE,
} from '../../workflows/search-attributes';
import { assertReach } from '../plugins/auth';
import { badRequest, conflict, notFound, ProblemError, problemResponses } from '../problem';
import {
  applicationIdParams,
  applicationViewSchema,
  decisionBody,
  economicCheckBody,
  initialOpinionBody,
  investigationBody,
  objectionBody,
  receiptBody,
  receiptResponse,
  temporaryGrantBody,
  withdrawalBody,
} from '../schemas/applications';
import { updateProblem } from '../temporal-call';

const STAFF_READERS = ['township_staff', 'county_staff', 'supervisor'] as const;

/** The receipt's answer (201) from the workflow's view of it. */
function receiptAnswer(view: ApplicationView) {
  const overall = view.deadlines.filter((d) => d.kind === 'overall' && !d.superseded).at(-1)!;
  return {
    applicationId: view.applicationId,
    stage: view.stage,
    deadline: { date: overall.date, provisional: overall.provisional },
    deadlines: view.deadlines,
  };
}

// API.md "Applications": receipt (R-A1) and every staff step, each an Update on the workflow.
export const applicationRoutes: FastifyPluginAsyncZod = async (app) => {
  const actorOf = (u: { sub: string; role: Actor['role']; region: string }): Actor => ({
    sub: u.sub,
    role: u.role,
    region: u.region,
  });

  async function loadRow(id: string) {
    const row = await app.repos.applications.find(id);
    if (!row) throw notFound(`no application ${id}`);
    return row;
  }

  /** The county's parameters in force on the receipt date and the runtime calendar (R-O6). */
  async function contextOf(countyCode: string, onDate: string): Promise<ApplicationInput['context']> {
    try {
      const { policy, deadlines } = await app.repos.policies.inForce(countyCode, onDate);
      return { policy, deadlines, runtimeYears: await app.repos.calendar.runtimeYears() };
    } catch (err) {
      if (!(err instanceof ApplicationFailure && err.type === 'NoPolicy')) throw err;
      throw new ProblemError(
        422,
        'no-policy',
        'No policy parameters',
        `county ${countyCode} has no standard in force on ${onDate} (PUT /v1/admin/standards)`,
      );
    }
  }

  // R-A1: the receipt is an update-with-start. The workflow id derives from the Idempotency-Key, so
  // a retried receipt is the same workflow and the same Update, answered by Temporal with its first
  // result; the workflow's first activity writes the application, members and enrolments in one
  // transaction, or refuses (409 naming the holder) and ends. No Postgres connection is held
  // across the call.
  app.post(
    '/applications',
    {
      preHandler: [app.requireRole('township_staff'), app.idempotency],
      schema: {
        tags: ['applications'],
        summary: 'Receive an application (R-A1)',
        body: receiptBody,
        response: { 201: receiptResponse, 422: problemResponses[400], ...problemResponses },
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
      const countyCode = countyOf(body.villageCode);
      const context = await contextOf(countyCode, body.acceptedOn);
      const token = req.idempotency?.token ?? randomBytes(16).toString('hex');
      const applicationId = `A${countyCode}${body.acceptedOn.replaceAll('-', '')}${token.slice(0, 12).toUpperCase()}`;
      const input: ApplicationInput = { ...body, applicationId, receivedBy: actorOf(req.user), context };
      const workflowId = applicationWorkflowId(applicationId);
      const start = new WithStartWorkflowOperation<typeof applicationWorkflow>('applicationWorkflow', {
        taskQueue: app.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [input],
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SA_CASE_KIND, value: 'application' },
          { key: SA_STAGE, value: 'received' },
          { key: SA_COUNTY, value: countyCode },
          { key: SA_TOWNSHIP, value: townshipOf(body.villageCode) },
          { key: SA_VILLAGE, value: body.villageCode },
        ]),
      });
      const enrolled = (details: Record<string, unknown>) => {
        const name = body.household.members.find((m) => m.idNumber === details.idNumber)?.name ?? '';
        return conflict(
          'already-enrolled',
          `member ${name} is already in ${details.holderKind} ${details.holderId}`,
          {
            idNumber: details.idNumber,
            holderKind: details.holderKind,
            holderId: details.holderId,
          },
        );
      };
      try {
        const view = await app.temporalCall(() =>
          app.temporal.workflow.executeUpdateWithStart(receiptUpdate, {
            updateId: `receipt:${token}`,
            startWorkflowOperation: start,
          }),
        );
        return reply.code(201).send(receiptAnswer(view));
      } catch (err) {
        const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
        if (cause instanceof ApplicationFailure && cause.type === FAILURE.alreadyEnrolled) {
          throw enrolled((cause.details?.[0] ?? {}) as Record<string, unknown>);
        }
        if (!(err instanceof WorkflowExecutionAlreadyStartedError))
          throw updateProblem(err, applicationId, 'received');
      }
      // The same receipt, retried after its workflow closed: its outcome, from Temporal.
      const result: ApplicationResult = await app.temporalCall(() =>
        app.temporal.workflow.getHandle(workflowId).result(),
      );
      if (result.refused) throw enrolled({ ...result.refused });
      const row = await loadRow(applicationId);
      return reply.code(201).send(receiptAnswer(row.view!));
    },
  );

  app.get(
    '/applications/:id',
    {
      preHandler: [app.requireRole(...STAFF_READERS)],
      schema: {
        tags: ['applications'],
        summary: 'Stage, every deadline and the history of an application',
        params: applicationIdParams,
        response: { 200: applicationViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const row = await loadRow(req.params.id);
      assertReach(req.user, row.village_code);
      try {
        return await app.temporalCall(
          () =>
            app.temporal.workflow
              .getHandle(applicationWorkflowId(req.params.id))
              .query(applicationStateQuery),
          app.config.TEMPORAL_QUERY_TIMEOUT,
        );
      } catch (err) {
        // The read model serves when the workflow cannot answer in time (e.g. no worker right now).
        if (row.view) return row.view as never;
        throw err;
      }
    },
  );

  // Each staff step: role gate at the route, reach against the application's village, then the
  // workflow's validator decides (409 wrong stage, 403 wrong role, 422 inconsistent data).
  const step = <B extends z.ZodType>(
    path: string,
    summary: string,
    roles: Parameters<typeof app.requireRole>,
    body: B,
    send: (id: string, body: z.output<B>, actor: Actor, updateId?: string) => Promise<unknown>,
  ) =>
    app.post(
      `/applications/:id/${path}`,
      {
        preHandler: [app.requireRole(...roles), app.idempotency],
        schema: {
          tags: ['applications'],
          summary,
          params: applicationIdParams,
          body,
          response: { 200: applicationViewSchema, 422: problemResponses[400], ...problemResponses },
        },
      },
      async (req) => {
        const row = await loadRow(req.params.id);
        assertReach(req.user, row.village_code);
        // The key names the Update: a retry whose first answer was lost gets that answer again.
        const updateId = req.idempotency ? `step:${req.idempotency.token}` : undefined;
        try {
          return (await app.temporalCall(() =>
            send(req.params.id, req.body as z.output<B>, actorOf(req.user), updateId),
          )) as never;
        } catch (err) {
          throw updateProblem(err, req.params.id, row.stage);
        }
      },
    );

  const handle = (id: string) => app.temporal.workflow.getHandle(applicationWorkflowId(id));
  step(
    'investigation',
    'Household investigation result (R-A2)',
    ['township_staff'],
    investigationBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(investigationUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'economic-check',
    'Information-check result (R-A2)',
    ['integration', 'township_staff'],
    economicCheckBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(economicCheckUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'initial-opinion',
    'Initial opinion; starts the 7-day publicity (R-A3, R-A4)',
    ['township_staff'],
    initialOpinionBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(initialOpinionUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'objections',
    'Objection during publicity (R-A4, R-A6)',
    ['township_staff'],
    objectionBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(objectionUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'decision',
    'Approve with amount or reject with reasons (R-A5, R-A7)',
    ['county_staff', 'township_staff'],
    decisionBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(decisionUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'withdrawal',
    'The applicant withdraws',
    ['township_staff'],
    withdrawalBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(withdrawalUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'temporary-assistance',
    'One-off grant while pending (R-A10)',
    ['township_staff'],
    temporaryGrantBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(temporaryGrantUpdate, { args: [{ ...b, actor }], updateId }),
  );
};
