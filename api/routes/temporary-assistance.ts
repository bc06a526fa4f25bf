import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { temporaryAssistanceId } from '../../clients/temporary-assistance';
import { countyOf } from '../../domain/region';
import type { Role } from '../../domain/roles';
import {
  type TemporaryAssistanceInput,
  type TemporaryAssistanceView,
  temporaryAssistanceWorkflowId,
  temporaryDecisionUpdate,
  temporaryDocumentationUpdate,
  temporaryPaymentResultUpdate,
} from '../../workflows/contracts';
import { actorOf } from '../intake';
import { assertReach, assertRecordReach } from '../plugins/auth';
import { notFound, problemResponses } from '../problem';
import {
  assistanceBody,
  assistanceIdParams,
  assistanceViewSchema,
  decisionBody,
  documentationBody,
  paymentResultBody,
} from '../schemas/temporary-assistance';
import { receiveAssistance } from '../temporary-assistance-receipt';

// API.md "Temporary assistance" (R-A10). Each request is its own workflow `temporary-assistance:<id>`,
// the one writer of its row; the receipt is an update-with-start named by the Idempotency-Key (a
// retry is the same request), every step an Update whose validator refuses a wrong stage (409),
// role, region or amount above the township's limits (403) or inconsistent data (422).

const DECIDERS = ['township_staff', 'county_staff'] as const;

export const temporaryAssistanceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { temporaryAssistance, temporaryAssistanceLimits, calendar } = app.repos;
  const handle = (id: string) => app.temporal.workflow.getHandle(temporaryAssistanceWorkflowId(id));

  app.post(
    '/temporary-assistance',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['temporary-assistance'],
        summary: 'Receive a request for temporary assistance where the hardship happened (R-A10)',
        description:
          'Anyone in sudden hardship, members of households in dibao or extreme-poverty support included ' +
          '(no enrolment is held); the township where it happened acts, whatever the registration. No publicity.',
        body: assistanceBody,
        response: { 201: assistanceViewSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      assertReach(req.user, b.villageCode);
      const countyCode = countyOf(b.villageCode);
      const token = req.idempotency?.token ?? randomBytes(16).toString('hex');
      const input: TemporaryAssistanceInput = {
        assistanceId: temporaryAssistanceId(countyCode, b.receivedOn, token),
        villageCode: b.villageCode,
        residence: b.residence,
        members: [{ ...b.person, relation: 'applicant' }, ...b.household],
        hardshipKind: b.hardshipKind,
        hardship: b.hardship,
        occurredOn: b.occurredOn,
        ...(b.unemployment ? { unemployment: b.unemployment } : {}),
        amountAsked: b.amountAsked,
        receivedOn: b.receivedOn,
        receivedBy: actorOf(req.user),
        source: { kind: 'staff' },
        limits: await temporaryAssistanceLimits.inForce(countyCode, b.receivedOn),
        runtimeYears: await calendar.runtimeYears(),
      };
      return reply.code(201).send(await receiveAssistance(app, input, token));
    },
  );

  app.get(
    '/temporary-assistance/:id',
    {
      config: {
        roles: [...DECIDERS, 'supervisor'],
        auditRead: { subject: 'temporary_assistance', what: 'temporary_assistance' },
      },
      schema: {
        tags: ['temporary-assistance'],
        summary: 'A request for temporary assistance: decision, payment, documentation, history (R-A10)',
        params: assistanceIdParams,
        response: { 200: assistanceViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const row = await temporaryAssistance.find(req.params.id);
      if (!row) throw notFound(`no temporary assistance ${req.params.id}`);
      assertRecordReach(req.user, row.villageCode, `no temporary assistance ${req.params.id}`);
      return row.view;
    },
  );

  const step = <B extends z.ZodType>(
    path: string,
    summary: string,
    roles: readonly Role[],
    body: B,
    send: (
      id: string,
      b: z.output<B>,
      updateId: string | undefined,
      actor: ReturnType<typeof actorOf>,
    ) => Promise<TemporaryAssistanceView>,
  ) =>
    app.post(
      `/temporary-assistance/:id/${path}`,
      {
        config: { roles },
        preHandler: [app.idempotency],
        schema: {
          tags: ['temporary-assistance'],
          summary,
          params: assistanceIdParams,
          body,
          response: { 200: assistanceViewSchema, ...problemResponses },
        },
      },
      async (req) => {
        const { id } = req.params;
        const row = await temporaryAssistance.find(id);
        if (!row) throw notFound(`no temporary assistance ${id}`);
        assertRecordReach(req.user, row.villageCode, `no temporary assistance ${id}`);
        return app.runUpdate(req, id, row.stage, (updateId) =>
          send(id, req.body as z.output<B>, updateId, actorOf(req.user)),
        );
      },
    );

  step(
    'decision',
    'Grant (amount) or refuse: the township within its reserve-fund limits, the county above them (R-A10)',
    DECIDERS,
    decisionBody,
    (id, b, updateId, actor) =>
      handle(id).executeUpdate(temporaryDecisionUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'documentation',
    'The documentation of a grant the township paid first, due within its deadline (R-A10, R-O3)',
    ['township_staff'],
    documentationBody,
    (id, b, updateId, actor) =>
      handle(id).executeUpdate(temporaryDocumentationUpdate, { args: [{ ...b, actor }], updateId }),
  );
  step(
    'payment-result',
    "The bank's result for the grant's line, applied once (R-A10, R-M1)",
    DECIDERS,
    paymentResultBody,
    (id, b, updateId, actor) =>
      handle(id).executeUpdate(temporaryPaymentResultUpdate, { args: [{ ...b, actor }], updateId }),
  );
};
