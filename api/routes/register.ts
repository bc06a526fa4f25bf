import { randomBytes } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { registerEntryFor } from '../../clients/register-entry';
import { reaches } from '../../domain/region';
import {
  type RegisterView,
  referralAnswerUpdate,
  referralUpdate,
  registerFindingUpdate,
  registerVisitUpdate,
  registerWorkflowId,
} from '../../workflows/contracts';
import type { registerWorkflow } from '../../workflows/register/workflow';
import { actorOf } from '../intake';
import { assertReach, assertRecordReach } from '../plugins/auth';
import { conflict, forbidden, notFound, problemResponses } from '../problem';
import { referralAnswerSchema, referralAssistance } from '../register-referral';
import {
  householdParams,
  newHouseholdBody,
  referralAnswerBody,
  referralBody,
  referralParams,
  registerPage,
  registerQuery,
  registerViewSchema,
  visitBody,
} from '../schemas/register';

// API.md "Low-income register" (R-L1 … R-L3). Reads come from the read model (register_households);
// every write is an Update on the household's entry `register:<county>:<key>`, its one writer.

const READERS = ['county_staff', 'township_staff', 'supervisor'] as const;

/** The register's view as the API shows it: open warnings apart, internal bookkeeping left out. */
export function registerAnswer(v: RegisterView) {
  const { householdKey, seen: _seen, revision: _r, historySeq: _h, ...rest } = v;
  return { householdId: householdKey, ...rest, openWarnings: v.tasks.filter((t) => !t.closedOn) };
}

export const registerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { register } = app.repos;
  const handle = (countyCode: string, key: string) =>
    app.temporal.workflow.getHandle(registerWorkflowId(countyCode, key));
  async function load(id: string) {
    const row = await register.find(id);
    if (!row) throw notFound(`no register household ${id}`);
    return row;
  }

  app.get(
    '/register',
    {
      config: { roles: READERS },
      schema: {
        tags: ['register'],
        summary: 'The low-income register of a region: groups, source, open warnings (R-L1, R-L2)',
        querystring: registerQuery,
        response: { 200: registerPage, ...problemResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const region = q.region ?? req.user.region;
      // A region outside the caller's is refused, a region inside it narrows the list.
      if (!region.startsWith(req.user.region))
        throw forbidden("the caller's region does not reach this region");
      const rows = await register.list({
        region,
        group: q.group,
        flag: q.flag,
        after: q.after,
        limit: q.limit,
      });
      const items = rows.map(registerAnswer);
      return { items, next: rows.length === q.limit ? items.at(-1)?.householdId : undefined };
    },
  );

  app.get(
    '/register/households/:id',
    {
      config: { roles: READERS, auditRead: { subject: 'register', what: 'household' } },
      schema: {
        tags: ['register'],
        summary: 'One registered household (R-L1 … R-L3)',
        params: householdParams,
        response: { 200: registerViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const row = await load(req.params.id);
      assertRecordReach(req.user, row.villageCode, `no register household ${req.params.id}`);
      return registerAnswer(row.view);
    },
  );

  // R-L1: a household found by a visit, a self-declaration or a village report. Update-with-start:
  // the entry is started if new, and the finding is its Update (named by the Idempotency-Key).
  app.post(
    '/register/households',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['register'],
        summary: 'Register a household found by a visit, declaration or village report (R-L1)',
        body: newHouseholdBody,
        response: { 201: registerViewSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      assertReach(req.user, b.villageCode);
      const { workflowId, input } = await registerEntryFor(app.repos, app.idKeys, b.villageCode, b.members);
      const existing = await register.find(input.householdKey);
      // Someone of the household is registered where the caller does not reach: say no more (R-O7).
      if (existing && !reaches(req.user.region, existing.villageCode))
        throw conflict('already-registered', 'a member is already registered in another region');
      const token = req.idempotency?.token ?? randomBytes(16).toString('hex');
      const start = new WithStartWorkflowOperation<typeof registerWorkflow>('registerWorkflow', {
        taskQueue: app.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        args: [input],
      });
      const view = await app.runUpdate(req, input.householdKey, 'registered', () =>
        app.temporal.workflow.executeUpdateWithStart(registerFindingUpdate, {
          updateId: `finding:${token}`,
          startWorkflowOperation: start,
          args: [
            {
              findingId: `staff:${token}`,
              source: b.source,
              villageCode: b.villageCode,
              members: b.members,
              add: b.groups,
              countyGroup: b.countyGroup,
              note: b.note,
              on: b.foundOn,
              by: actorOf(req.user),
            },
          ],
        }),
      );
      return reply.code(201).send(registerAnswer(view));
    },
  );

  // Staff steps on a registered household: reach as 404, the workflow's validator decides.
  app.post(
    '/register/households/:id/visits',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['register'],
        summary: 'A visit result: closes the open warnings; may open an application (R-L2, R-A1)',
        params: householdParams,
        body: visitBody,
        response: { 200: registerViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const row = await load(req.params.id);
      assertRecordReach(req.user, row.villageCode, `no register household ${req.params.id}`);
      const view = await app.runUpdate(req, row.householdKey, 'registered', (updateId) =>
        handle(row.countyCode, row.householdKey).executeUpdate(registerVisitUpdate, {
          args: [{ ...req.body, actor: actorOf(req.user) }],
          updateId,
        }),
      );
      return registerAnswer(view);
    },
  );

  app.post(
    '/register/households/:id/referrals',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['register'],
        summary:
          'A need referred to another department (R-L3); to temporary assistance it opens the request (R-A10)',
        params: householdParams,
        body: referralBody,
        response: { 200: referralAnswerSchema, ...problemResponses },
      },
    },
    async (req) => {
      const row = await load(req.params.id);
      assertRecordReach(req.user, row.villageCode, `no register household ${req.params.id}`);
      const { temporaryAssistance: asked, ...referral } = req.body;
      // R-L3 → R-A10: checked before the referral is recorded, opened once it is.
      const open = asked && (await referralAssistance(app, row, referral, asked, actorOf(req.user)));
      const view = await app.runUpdate(req, row.householdKey, 'registered', (updateId) =>
        handle(row.countyCode, row.householdKey).executeUpdate(referralUpdate, {
          args: [{ ...referral, actor: actorOf(req.user) }],
          updateId,
        }),
      );
      if (!open) return registerAnswer(view);
      const opened = await open();
      return { ...registerAnswer(view), temporaryAssistanceId: opened.assistanceId };
    },
  );

  app.post(
    '/register/households/:id/referrals/:referralId/answer',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['register'],
        summary: "The department's answer to a referral (R-L3)",
        params: referralParams,
        body: referralAnswerBody,
        response: { 200: registerViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const row = await load(req.params.id);
      assertRecordReach(req.user, row.villageCode, `no register household ${req.params.id}`);
      const view = await app.runUpdate(req, row.householdKey, 'registered', (updateId) =>
        handle(row.countyCode, row.householdKey).executeUpdate(referralAnswerUpdate, {
          args: [{ ...req.body, referralId: req.params.referralId, actor: actorOf(req.user) }],
          updateId,
        }),
      );
      return registerAnswer(view);
    },
  );
};
