import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseHolder } from '../../db/repositories/enrolments';
import { civilDateOf } from '../../domain/dates';
import {
  type CaseView,
  caseStateQuery,
  caseWorkflowId,
  changeReportUpdate,
  deathReportUpdate,
  type MemberChange,
  reviewResultUpdate,
} from '../../workflows/contracts';
import { takeDeathNotices } from '../death-intake';
import { actorOf, type LineResult } from '../intake';
import { assertRecordReach, type Caller } from '../plugins/auth';
import { badRequest, notFound, problemResponses } from '../problem';
import {
  caseIdParams,
  casePaymentsSchema,
  caseViewSchema,
  changeBody,
  reviewBody,
  reviewParams,
  staffDeathBody,
} from '../schemas/cases';
import { enrolmentConflict } from '../temporal-call';

const STAFF_READERS = ['township_staff', 'county_staff', 'supervisor'] as const;
const RECENT_HISTORY = 20;

/** What a caller sees of the workflow's state: open tasks and the recent history only. */
function present(v: CaseView, source: 'workflow' | 'read_model') {
  const tasks = v.tasks
    .filter((t) => !t.result && !t.closedOn)
    .map((t) => ({ ...t, simplified: t.simplified ?? false }));
  return { ...v, tasks, history: v.history.slice(-RECENT_HISTORY), source };
}

// API.md "Cases in benefit": reads by Query (read model when the workflow cannot answer), staff
// steps as Updates whose validators refuse a wrong status (409), role (403) or inconsistency (422).
export const caseRoutes: FastifyPluginAsyncZod = async (app) => {
  const handle = (id: string) => app.temporal.workflow.getHandle(caseWorkflowId(id));
  const { cases, caseEntitlements } = app.repos;
  async function reachableRow(id: string, caller: Caller) {
    const row = await cases.find(id);
    if (!row) throw notFound(`no case ${id}`);
    assertRecordReach(caller, row.villageCode, `no case ${id}`);
    return row;
  }

  app.get(
    '/cases/:id',
    {
      config: { roles: STAFF_READERS, auditRead: { subject: 'case', what: 'case' } },
      schema: {
        tags: ['cases'],
        summary: 'Status, members, amount, taper and review dates, open checks of a case',
        params: caseIdParams,
        response: { 200: caseViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      // The case row is written before its workflow starts (recordCase, the import): no row, no case,
      // and nothing to ask Temporal.
      const row = await cases.find(id);
      if (!row) throw notFound(`no case ${id}`);
      assertRecordReach(req.user, row.villageCode, `no case ${id}`);
      // A closed case's workflow saves every change it still makes (a late death's demand, R-M10).
      if (row.status === 'closed' && row.view) return present(row.view, 'read_model');
      try {
        const view = await app.temporalCall(
          () => handle(id).query(caseStateQuery),
          app.config.TEMPORAL_QUERY_TIMEOUT,
        );
        assertRecordReach(req.user, view.villageCode, `no case ${id}`);
        return present(view, 'workflow');
      } catch (err) {
        if (row.view) return present(row.view, 'read_model');
        if (err instanceof WorkflowNotFoundError) throw notFound(`no case ${id}`);
        throw err;
      }
    },
  );

  app.get(
    '/cases/:id/payments',
    {
      config: { roles: STAFF_READERS, auditRead: { subject: 'case', what: 'payments' } },
      schema: {
        tags: ['cases'],
        summary: "The case's payment ledger",
        description:
          'The months handed to the payroll at their roster cut-off (R-M1) with the amount and persons ' +
          'then due, and the back-pay and recoveries decided for months already rostered (R-M2, R-M5, ' +
          'R-M8) with what has been settled, and the payroll ledger rows with their payment status.',
        params: caseIdParams,
        response: { 200: casePaymentsSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      await reachableRow(id, req.user);
      const [payments, demands] = await Promise.all([
        caseEntitlements.payments(id),
        app.repos.repaymentDemands.byCase(id),
      ]);
      return { caseId: id, ...payments, demands };
    },
  );

  // R-A1: a newcomer held by another application or case is refused before the step enters the
  // case's history; the case holds its persons itself when it applies the change (races).
  const guardNewcomers = async (caseId: string, m: MemberChange | undefined) => {
    const added = (m?.added ?? []).map((a) => a.idNumber);
    const held = await app.repos.enrolments.heldElsewhere(caseHolder(caseId), {
      idNumbers: added,
      alone: false,
    });
    if (held) throw enrolmentConflict(held);
  };

  app.post(
    '/cases/:id/changes',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['cases'],
        summary: 'Household change report (R-M5); employment above the standard starts the taper (R-M3)',
        params: caseIdParams,
        body: changeBody,
        response: { 200: caseViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const row = await reachableRow(id, req.user);
      await guardNewcomers(id, req.body.members);
      const view = await app.runUpdate(req, id, row.status, (updateId) =>
        handle(id).executeUpdate(changeReportUpdate, {
          args: [{ ...req.body, actor: actorOf(req.user) }],
          updateId,
        }),
      );
      return present(view, 'workflow');
    },
  );

  app.post(
    '/cases/:id/deaths',
    {
      config: { roles: ['township_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['cases'],
        summary: 'A death reported by staff (R-M2): the same handling as an integration notice',
        description:
          'Sent to the case, which counts the same death (by notice id or by person) once and records it ' +
          'in its death-notice register with source staff and the reporter (R-O6). A closed case takes ' +
          'the death like a late notice (its workflow run again if it has completed; R-M10); an open ' +
          'case whose workflow is gone answers 409 and records nothing.',
        params: caseIdParams,
        body: staffDeathBody,
        response: {
          202: z.object({
            noticeId: z.string(),
            outcome: z.enum(['matched', 'duplicate']),
            caseId: z.string(),
          }),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const row = await reachableRow(id, req.user);
      if (!row.memberIds.includes(req.body.idNumber))
        throw badRequest(`${req.body.idNumber} is not a member of case ${id}`, [
          { path: 'body.idNumber', message: 'not a member of this case' },
        ]);
      // R-M2 R-M10: a death on a closed case — whose workflow may have completed — goes the way an
      // integration's late notice goes: to the case, run again from its saved state if need be.
      if (row.status === 'closed') {
        const line = {
          result: { index: 0, outcome: 'unknown' } as LineResult,
          item: { ...req.body, source: 'staff' as const },
        };
        await takeDeathNotices(app, req.user, [line]);
        return reply.code(202).send({
          noticeId: req.body.noticeId,
          outcome: line.result.outcome === 'matched' ? 'matched' : 'duplicate',
          caseId: line.result.caseId ?? id,
        });
      }
      const notice = { ...req.body, source: 'staff' as const, receivedOn: civilDateOf(new Date()) };
      // An Update: the case records the notice before it answers, and a case whose workflow is gone
      // refuses (409) with nothing recorded. The same notice id or person again is one event (R-M2).
      const outcome = await app.runUpdate(req, id, row.status, (updateId) =>
        handle(id).executeUpdate(deathReportUpdate, {
          args: [{ ...notice, reportedBy: actorOf(req.user) }],
          updateId,
        }),
      );
      return reply.code(202).send({
        noticeId: notice.noticeId,
        outcome: outcome === 'applied' ? 'matched' : 'duplicate',
        caseId: id,
      });
    },
  );

  app.post(
    '/cases/:id/reviews/:reviewId',
    {
      config: { roles: ['township_staff', 'county_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['cases'],
        summary: 'Result of a death review, re-review, data check or change review (R-M2, R-M4, R-M6)',
        description:
          'reviewId is the taskId of an open task in GET /v1/cases/{id}. Only a staff result changes ' +
          'the entitlement (R-A11).',
        params: reviewParams,
        body: reviewBody,
        response: { 200: caseViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { id, reviewId } = req.params;
      const row = await reachableRow(id, req.user);
      await guardNewcomers(id, req.body.members);
      const view = await app.runUpdate(req, id, row.status, (updateId) =>
        handle(id).executeUpdate(reviewResultUpdate, {
          args: [{ ...req.body, taskId: reviewId, actor: actorOf(req.user) }],
          updateId,
        }),
      );
      return present(view, 'workflow');
    },
  );
};
