import { randomBytes } from 'node:crypto';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { applicationActivities } from '../../activities/applications';
import { inTransaction } from '../../db/pool';
import { civilDateOf } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';
import type { Actor } from '../../domain/roles';
import { ApplicationState } from '../../workflows/application-state';
import {
  type ApplicationInput,
  applicationStateQuery,
  applicationWorkflowId,
  decisionUpdate,
  economicCheckUpdate,
  initialOpinionUpdate,
  investigationUpdate,
  objectionUpdate,
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
import { runUpdate } from '../temporal-errors';

const STAFF_READERS = ['township_staff', 'county_staff', 'supervisor'] as const;

// API.md "Applications": receipt (R-A1) and every staff step, each an Update on the workflow.
export const applicationRoutes: FastifyPluginAsyncZod = async (app) => {
  const acts = applicationActivities({ pool: app.pg });
  const actorOf = (u: { sub: string; role: Actor['role']; region: string }): Actor => ({
    sub: u.sub,
    role: u.role,
    region: u.region,
  });

  async function loadRow(id: string) {
    const { rows } = await app.pg.query(
      'SELECT village_code, stage, view FROM applications WHERE application_id = $1',
      [id],
    );
    if (!rows[0]) throw notFound(`no application ${id}`);
    return rows[0] as { village_code: string; stage: string; view: unknown };
  }

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
      const now = new Date();
      if (body.acceptedOn > civilDateOf(now)) {
        throw badRequest('acceptedOn is in the future', [
          { path: 'body.acceptedOn', message: 'must not be after today' },
        ]);
      }
      const countyCode = countyOf(body.villageCode);
      let context: ApplicationInput['context'];
      try {
        context = await acts.loadApplicationContext({ countyCode, onDate: body.acceptedOn });
      } catch {
        throw new ProblemError(
          422,
          'no-policy',
          'No policy parameters',
          `county ${countyCode} has no standard in force on ${body.acceptedOn} (PUT /v1/admin/standards)`,
        );
      }
      const applicationId = `A${countyCode}${body.acceptedOn.replaceAll('-', '')}${randomBytes(4).toString('hex').toUpperCase()}`;
      const input: ApplicationInput = { ...body, applicationId, receivedBy: actorOf(req.user), context };
      const preview = new ApplicationState(input, context, now).snapshot();

      await inTransaction(app.pg, async (c) => {
        await c.query(
          `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
             delegated, extended, close_relative, stage, policy_version, overall_deadline, deadline_provisional, received_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'received',$10,$11,$12,$13)`,
          [
            applicationId,
            body.category,
            body.villageCode,
            townshipOf(body.villageCode),
            countyCode,
            body.acceptedOn,
            body.delegated,
            preview.extended,
            body.closeRelative,
            context.policy.version,
            preview.deadlines[0]?.date,
            preview.deadlines[0]?.provisional ?? false,
            req.user.sub,
          ],
        );
        for (const m of body.household.members) {
          await c.query(
            'INSERT INTO application_members (application_id, id_number, name, relation) VALUES ($1,$2,$3,$4)',
            [applicationId, m.idNumber, m.name, m.relation],
          );
          // R-A1: no double enrolment; the partial unique index makes this race-free.
          const held = await c.query(
            `SELECT holder_kind, holder_id FROM person_enrolments WHERE id_number = $1 AND released_at IS NULL`,
            [m.idNumber],
          );
          if (held.rows[0]) {
            const h = held.rows[0];
            throw conflict(
              'already-enrolled',
              `member ${m.name} is already in ${h.holder_kind} ${h.holder_id}`,
              {
                idNumber: m.idNumber,
                holderKind: h.holder_kind,
                holderId: h.holder_id,
              },
            );
          }
          await c.query(
            `INSERT INTO person_enrolments (id_number, holder_kind, holder_id) VALUES ($1, 'application', $2)`,
            [m.idNumber, applicationId],
          );
        }
        if (body.closeRelative) {
          // R-O1: filed at receipt.
          await c.query(
            `INSERT INTO close_relative_filings (subject_kind, subject_id, occasion, filed_on, filed_by, details)
             VALUES ('application', $1, 'receipt', $2, $3, $4) ON CONFLICT DO NOTHING`,
            [
              applicationId,
              civilDateOf(now),
              req.user.sub,
              JSON.stringify({ villageCode: body.villageCode }),
            ],
          );
        }
        // Started inside the transaction: if the start fails nothing is kept; if the commit fails
        // the workflow's first save writes the row again.
        await app.temporal.workflow.start('applicationWorkflow', {
          taskQueue: app.config.TEMPORAL_TASK_QUEUE,
          workflowId: applicationWorkflowId(applicationId),
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          args: [input],
          typedSearchAttributes: new TypedSearchAttributes([
            { key: SA_CASE_KIND, value: 'application' },
            { key: SA_STAGE, value: preview.stage },
            { key: SA_COUNTY, value: countyCode },
            { key: SA_TOWNSHIP, value: townshipOf(body.villageCode) },
            { key: SA_VILLAGE, value: body.villageCode },
          ]),
        });
      }).catch((err: { code?: string; constraint?: string }) => {
        if (err.code === '23505' && err.constraint === 'person_enrolments_one_active') {
          throw conflict(
            'already-enrolled',
            'a member was enrolled by a concurrent request; retry to see which',
          );
        }
        throw err;
      });

      const overall = preview.deadlines.find((d) => d.kind === 'overall')!;
      return reply.code(201).send({
        applicationId,
        stage: preview.stage,
        deadline: { date: overall.date, provisional: overall.provisional },
        deadlines: preview.deadlines,
      });
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
        return await app.temporal.workflow
          .getHandle(applicationWorkflowId(req.params.id))
          .query(applicationStateQuery);
      } catch (err) {
        // The read model serves when the workflow cannot answer (e.g. no worker right now).
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
    send: (id: string, body: z.output<B>, actor: Actor) => Promise<unknown>,
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
        return (await runUpdate(req.params.id, row.stage, () =>
          send(req.params.id, req.body as z.output<B>, actorOf(req.user)),
        )) as never;
      },
    );

  const handle = (id: string) => app.temporal.workflow.getHandle(applicationWorkflowId(id));
  step(
    'investigation',
    'Household investigation result (R-A2)',
    ['township_staff'],
    investigationBody,
    (id, b, actor) => handle(id).executeUpdate(investigationUpdate, { args: [{ ...b, actor }] }),
  );
  step(
    'economic-check',
    'Information-check result (R-A2)',
    ['integration', 'township_staff'],
    economicCheckBody,
    (id, b, actor) => handle(id).executeUpdate(economicCheckUpdate, { args: [{ ...b, actor }] }),
  );
  step(
    'initial-opinion',
    'Initial opinion; starts the 7-day publicity (R-A3, R-A4)',
    ['township_staff'],
    initialOpinionBody,
    (id, b, actor) => handle(id).executeUpdate(initialOpinionUpdate, { args: [{ ...b, actor }] }),
  );
  step(
    'objections',
    'Objection during publicity (R-A4, R-A6)',
    ['township_staff'],
    objectionBody,
    (id, b, actor) => handle(id).executeUpdate(objectionUpdate, { args: [{ ...b, actor }] }),
  );
  step(
    'decision',
    'Approve with amount or reject with reasons (R-A5, R-A7)',
    ['county_staff', 'township_staff'],
    decisionBody,
    (id, b, actor) => handle(id).executeUpdate(decisionUpdate, { args: [{ ...b, actor }] }),
  );
  step('withdrawal', 'The applicant withdraws', ['township_staff'], withdrawalBody, (id, b, actor) =>
    handle(id).executeUpdate(withdrawalUpdate, { args: [{ ...b, actor }] }),
  );
  step(
    'temporary-assistance',
    'One-off grant while pending (R-A10)',
    ['township_staff'],
    temporaryGrantBody,
    (id, b, actor) => handle(id).executeUpdate(temporaryGrantUpdate, { args: [{ ...b, actor }] }),
  );
};
