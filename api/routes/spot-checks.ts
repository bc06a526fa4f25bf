import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { civilDateOf, monthOf } from '../../domain/dates';
import { moneySchema } from '../../domain/money-schema';
import { isRegionCode } from '../../domain/region';
import { countyCodeSchema } from '../../domain/region-schema';
import {
  SPOT_CHECK_OUTCOMES,
  spotCheckFindingUpdate,
  spotCheckItemWorkflowId,
  spotCheckRoundId,
  spotCheckRoundWorkflowId,
} from '../../workflows/contracts';
import type { spotCheckRoundWorkflow } from '../../workflows/spot-check/round';
import { actorOf } from '../intake';
import { assertCoversCounty, assertRecordReach } from '../plugins/auth';
import { badRequest, forbidden, notFound, problemResponses } from '../problem';
import { yearMonth } from '../schemas/applications';
import { spotCheckRoundSchema, spotCheckViewSchema } from '../schemas/spot-checks';

const ROLES = ['county_staff', 'supervisor'] as const;

// R-O2: the county's spot checks of township decisions. Reads come from the rounds and checks the
// workflows record; a round for a past month is started here (the schedule starts last month's),
// and a finding is an Update of the check's own workflow, keyed by the Idempotency-Key.
export const spotCheckRoutes: FastifyPluginAsyncZod = async (app) => {
  const { spotChecks } = app.repos;

  app.get(
    '/oversight/spot-checks',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['oversight'],
        summary: "The county's spot-check rounds: seed, population, draw, check tasks and findings (R-O2)",
        querystring: z.object({
          county: countyCodeSchema.optional(),
          month: yearMonth.optional(),
          limit: z.coerce.number().int().min(1).max(120).default(24),
        }),
        response: { 200: z.object({ rounds: z.array(spotCheckRoundSchema) }), ...problemResponses },
      },
    },
    async (req) => {
      const { county, month, limit } = req.query;
      if (!isRegionCode(req.user.region)) throw forbidden("the caller's region reaches nothing");
      if (county) assertCoversCounty(req.user, county);
      const rounds = await spotChecks.rounds({ region: req.user.region, county, month, limit });
      return { rounds: rounds.map((r) => ({ ...r, recordedAt: (r.recordedAt as Date).toISOString() })) };
    },
  );

  app.post(
    '/oversight/spot-checks',
    {
      config: { roles: ROLES },
      preHandler: [app.idempotency],
      schema: {
        tags: ['oversight'],
        summary: "Draw a county's spot checks for a past month (the schedule draws last month's) (R-O2)",
        description: 'One round per county and month: starting it again answers with the same round.',
        body: z.object({ countyCode: countyCodeSchema, month: yearMonth }),
        response: {
          202: z.object({ roundId: z.string(), workflowId: z.string(), started: z.boolean() }),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const { countyCode, month } = req.body;
      assertCoversCounty(req.user, countyCode);
      // A month still running has decisions to come: its draw would leave them out.
      if (month >= monthOf(civilDateOf(new Date()))) throw badRequest('month must be a past month');
      const workflowId = spotCheckRoundWorkflowId(countyCode, month);
      let started = true;
      try {
        await app.temporalCall(() =>
          app.temporal.workflow.start<typeof spotCheckRoundWorkflow>('spotCheckRoundWorkflow', {
            taskQueue: app.config.TEMPORAL_TASK_QUEUE,
            workflowId,
            args: [{ countyCode, month, startedBy: req.user.sub }],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        started = false;
      }
      return reply.code(202).send({ roundId: spotCheckRoundId(countyCode, month), workflowId, started });
    },
  );

  app.post(
    '/oversight/spot-checks/:id/finding',
    {
      config: { roles: ROLES },
      preHandler: [app.idempotency],
      schema: {
        tags: ['oversight'],
        summary: 'The finding of a spot check: confirmed, corrected (new monthly amount) or reversed (R-O2)',
        description:
          'A corrected amount changes the case from its start month (back-pay or recovery); a reversed ' +
          'approval stops the case with a written notice; a reversed rejection is left to the township ' +
          'to restart with a new receipt. A check that already has its finding answers 409.',
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z
          .object({
            outcome: z.enum(SPOT_CHECK_OUTCOMES),
            reasons: z.string().trim().min(1).max(2000),
            monthlyAmount: moneySchema.optional(),
          })
          .refine((b) => (b.outcome === 'corrected') === (b.monthlyAmount !== undefined), {
            path: ['monthlyAmount'],
            message: 'monthlyAmount is required for a correction, and only for one',
          }),
        response: { 200: spotCheckViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const row = await spotChecks.check(id);
      if (!row) throw notFound(`no spot check ${id}`);
      assertRecordReach(req.user, row.villageCode, `no spot check ${id}`);
      const handle = app.temporal.workflow.getHandle(spotCheckItemWorkflowId(id));
      return app.runUpdate(req, id, row.outcome ? 'found' : 'open', (updateId) =>
        handle.executeUpdate(spotCheckFindingUpdate, {
          args: [{ actor: actorOf(req.user), ...req.body }],
          updateId,
        }),
      );
    },
  );
};
