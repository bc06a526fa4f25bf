import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { caseWorkflowId, type DemandStepInput, demandStepUpdate } from '../../workflows/contracts';
import { actorOf } from '../intake';
import { assertRecordReach } from '../plugins/auth';
import { notFound, problemResponses } from '../problem';
import { demandParams, repaymentBody, writeOffBody } from '../schemas/demand-steps';
import { demandSchema } from '../schemas/demands';

type DemandParams = z.infer<typeof demandParams>;

// R-M10: the county records repayments of a repayment demand and, by a recorded decision, writes
// off what is left. Each step is an Update of the case that owns the demand (its one writer); the
// Idempotency-Key names the step, so a resent request records it once.
export const caseDemandRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases } = app.repos;

  async function send(req: FastifyRequest, params: DemandParams, step: (stepId: string) => DemandStepInput) {
    const { id } = params;
    const row = await cases.find(id);
    if (!row) throw notFound(`no case ${id}`);
    assertRecordReach(req.user, row.villageCode, `no case ${id}`);
    const handle = app.temporal.workflow.getHandle(caseWorkflowId(id));
    return app.runUpdate(req, id, row.status, (updateId) =>
      // Without an Idempotency-Key the step is new each time.
      handle.executeUpdate(demandStepUpdate, { args: [step(updateId ?? randomUUID())], updateId }),
    );
  }

  app.post(
    '/cases/:id/demands/:demandId/repayments',
    {
      config: { roles: ['county_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['cases'],
        summary: 'A repayment received on a repayment demand (R-M10)',
        description:
          'Not more than is still owed (422). When nothing is owed any more the demand is repaid and ' +
          'a closed case ends. A demand already repaid or written off answers 409.',
        params: demandParams,
        body: repaymentBody,
        response: { 200: demandSchema, ...problemResponses },
      },
    },
    async (req) =>
      send(req, req.params, (stepId) => ({
        actor: actorOf(req.user),
        demandId: req.params.demandId,
        stepId,
        kind: 'repayment',
        ...req.body,
      })),
  );

  app.post(
    '/cases/:id/demands/:demandId/write-off',
    {
      config: { roles: ['county_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['cases'],
        summary: 'Writes off what is still owed on a repayment demand, by a recorded county decision (R-M10)',
        params: demandParams,
        body: writeOffBody,
        response: { 200: demandSchema, ...problemResponses },
      },
    },
    async (req) =>
      send(req, req.params, (stepId) => ({
        actor: actorOf(req.user),
        demandId: req.params.demandId,
        stepId,
        kind: 'write_off',
        ...req.body,
      })),
  );
};
