import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ApplicationRow } from '../../db/repositories/applications';
import { applicationHolder } from '../../db/repositories/enrolments';
import { applicationClaim } from '../../domain/enrolment';
import type { Actor, Role } from '../../domain/roles';
import {
  applicationStateQuery,
  applicationWorkflowId,
  decisionUpdate,
  economicCheckUpdate,
  initialOpinionUpdate,
  investigationUpdate,
  objectionUpdate,
  procedureExtensionUpdate,
  returnForOpinionUpdate,
  temporaryGrantUpdate,
  withdrawalUpdate,
} from '../../workflows/contracts';
import { assertRecordReach } from '../plugins/auth';
import { notFound, problemResponses } from '../problem';
import {
  applicationIdParams,
  applicationViewSchema,
  decisionBody,
  economicCheckBody,
  initialOpinionBody,
  investigationBody,
  objectionBody,
  procedureExtensionBody,
  returnBody,
  temporaryGrantBody,
  withdrawalBody,
} from '../schemas/applications';
import { enrolmentConflict } from '../temporal-call';

const STAFF_READERS = ['township_staff', 'county_staff', 'supervisor'] as const;

export const applicationRoutes: FastifyPluginAsyncZod = async (app) => {
  const actorOf = (u: { sub: string; role: Actor['role']; region: string }): Actor => ({
    sub: u.sub,
    role: u.role,
    region: u.region,
  });

  async function loadRow(id: string, withView = true) {
    const row = await app.repos.applications.find(id, withView);
    if (!row) throw notFound(`no application ${id}`);
    return row;
  }

  app.get(
    '/applications/:id',
    {
      config: { roles: STAFF_READERS, auditRead: { subject: 'application', what: 'application' } },
      schema: {
        tags: ['applications'],
        summary: 'Stage, every deadline and the history of an application',
        params: applicationIdParams,
        response: { 200: applicationViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const row = await loadRow(req.params.id);
      assertRecordReach(req.user, row.village_code, `no application ${req.params.id}`);
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
    roles: readonly Role[],
    body: B,
    send: (
      id: string,
      body: z.output<B>,
      actor: Actor,
      updateId: string | undefined,
      row: ApplicationRow,
    ) => Promise<unknown>,
  ) =>
    app.post(
      `/applications/:id/${path}`,
      {
        config: { roles },
        preHandler: [app.idempotency],
        schema: {
          tags: ['applications'],
          summary,
          params: applicationIdParams,
          body,
          response: { 200: applicationViewSchema, ...problemResponses },
        },
      },
      async (req) => {
        const row = await loadRow(req.params.id, false);
        assertRecordReach(req.user, row.village_code, `no application ${req.params.id}`);
        // The key names the Update: a retry whose first answer was lost gets that answer again.
        return (await app.runUpdate(req, req.params.id, row.stage, (updateId) =>
          send(req.params.id, req.body as z.output<B>, actorOf(req.user), updateId, row),
        )) as never;
      },
    );

  const handle = (id: string) => app.temporal.workflow.getHandle(applicationWorkflowId(id));
  step(
    'investigation',
    'Household investigation result (R-A2)',
    ['township_staff'],
    investigationBody,
    async (id, b, actor, updateId, row) => {
      // R-A1: a person held by another application or case is refused here, before the step
      // enters the workflow's history; the workflow holds the persons itself (races, other callers).
      const held = await app.repos.enrolments.heldElsewhere(
        applicationHolder(id),
        applicationClaim(row.category, b.household),
      );
      if (held) throw enrolmentConflict(held);
      return handle(id).executeUpdate(investigationUpdate, { args: [{ ...b, actor }], updateId });
    },
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
    'return',
    'Send back for a new opinion and a new 7-day publicity: the deciding authority disagrees with the publicised opinion (R-A5, R-A4)',
    ['county_staff', 'township_staff'],
    returnBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(returnForOpinionUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'extension',
    'Extend the procedure to 45 working days for a special circumstance found on the way (R-A6)',
    ['township_staff', 'county_staff'],
    procedureExtensionBody,
    (id, b, actor, updateId) =>
      handle(id).executeUpdate(procedureExtensionUpdate, { args: [{ ...b, actor }], updateId }),
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
