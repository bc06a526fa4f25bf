import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import type { Actor } from '../../domain/roles';
import {
  type CaseView,
  caseStateQuery,
  caseWorkflowId,
  changeReportUpdate,
  deathNoticeSignal,
  reviewResultUpdate,
} from '../../workflows/messages';
import { assertReach } from '../plugins/auth';
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
import { runUpdate } from '../temporal-errors';
import { insertDeathNotices } from './integrations';

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
  const actorOf = (u: Actor): Actor => ({ sub: u.sub, role: u.role, region: u.region });

  async function loadRow(id: string) {
    const { rows } = await app.pg.query('SELECT village_code, status, view FROM cases WHERE case_id = $1', [
      id,
    ]);
    return rows[0] as { village_code: string; status: string; view: CaseView | null } | undefined;
  }
  async function reachableRow(id: string, caller: Actor) {
    const row = await loadRow(id);
    if (!row) throw notFound(`no case ${id}`);
    assertReach(caller, row.village_code);
    return row;
  }

  app.get(
    '/cases/:id',
    {
      preHandler: [app.requireRole(...STAFF_READERS)],
      schema: {
        tags: ['cases'],
        summary: 'Status, members, amount, taper and review dates, open checks of a case',
        params: caseIdParams,
        response: { 200: caseViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const row = await loadRow(id);
      if (row) assertReach(req.user, row.village_code);
      // A closed case's workflow has saved its last state: the read model is final.
      if (row?.status === 'closed' && row.view) return present(row.view, 'read_model');
      try {
        const view = await handle(id).query(caseStateQuery);
        assertReach(req.user, view.villageCode);
        return present(view, 'workflow');
      } catch (err) {
        if (row?.view) return present(row.view, 'read_model');
        if (err instanceof WorkflowNotFoundError) throw notFound(`no case ${id}`);
        throw err;
      }
    },
  );

  app.get(
    '/cases/:id/payments',
    {
      preHandler: [app.requireRole(...STAFF_READERS)],
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
      const months = await app.pg.query(
        `SELECT month, amount, persons, status, rostered_on FROM case_months WHERE case_id = $1 ORDER BY month`,
        [id],
      );
      const adjustments = await app.pg.query(
        `SELECT adjustment_key, kind, amount, months, reason, decided_on, settled_amount
         FROM case_adjustments WHERE case_id = $1 ORDER BY decided_on, recorded_at`,
        [id],
      );
      const ledger = await app.pg.query(
        `SELECT payroll_id, month, kind, amount, status, attempts, payment_line_id FROM ledger WHERE case_id = $1
         ORDER BY month, kind`,
        [id],
      );
      return {
        caseId: id,
        ledger: ledger.rows.map((l) => ({
          payrollId: l.payroll_id,
          month: l.month,
          kind: l.kind,
          amount: l.amount,
          status: l.status,
          attempts: l.attempts,
          paymentLineId: l.payment_line_id,
        })),
        months: months.rows.map((m) => ({
          month: m.month,
          amount: m.amount,
          persons: m.persons,
          status: m.status,
          rosteredOn: m.rostered_on,
        })),
        adjustments: adjustments.rows.map((a) => ({
          key: a.adjustment_key,
          kind: a.kind,
          amount: a.amount,
          months: a.months,
          reason: a.reason,
          decidedOn: a.decided_on,
          settledAmount: a.settled_amount,
        })),
      };
    },
  );

  app.post(
    '/cases/:id/changes',
    {
      preHandler: [app.requireRole('township_staff'), app.idempotency],
      schema: {
        tags: ['cases'],
        summary: 'Household change report (R-M5); employment above the standard starts the taper (R-M3)',
        params: caseIdParams,
        body: changeBody,
        response: { 200: caseViewSchema, 422: problemResponses[400], ...problemResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const row = await reachableRow(id, req.user);
      const view = await runUpdate(id, row.status, () =>
        handle(id).executeUpdate(changeReportUpdate, { args: [{ ...req.body, actor: actorOf(req.user) }] }),
      );
      return present(view, 'workflow');
    },
  );

  app.post(
    '/cases/:id/deaths',
    {
      preHandler: [app.requireRole('township_staff'), app.idempotency],
      schema: {
        tags: ['cases'],
        summary: 'A death reported by staff (R-M2): the same handling as an integration notice',
        description:
          'Recorded in the death-notice register with source staff and sent to the case, which counts ' +
          'the same death (by notice id or by person) once.',
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
      const members = row.view?.members ?? [];
      if (row.view && !members.some((m) => m.idNumber === req.body.idNumber))
        throw badRequest(`${req.body.idNumber} is not a member of case ${id}`, [
          { path: 'body.idNumber', message: 'not a member of this case' },
        ]);
      const notice = {
        noticeId: req.body.noticeId,
        idNumber: req.body.idNumber,
        diedOn: req.body.diedOn,
        source: 'staff' as const,
      };
      const fresh = await insertDeathNotices(
        app.pg,
        [{ notice, caseId: id, outcome: 'matched' }],
        req.user.sub,
      );
      // A resent notice id is signalled again: the workflow ignores ids it has seen (a lost signal is not lost).
      await handle(id).signal(deathNoticeSignal, { ...notice, receivedOn: civilDateOf(new Date()) });
      return reply
        .code(202)
        .send({ noticeId: notice.noticeId, outcome: fresh.size ? 'matched' : 'duplicate', caseId: id });
    },
  );

  app.post(
    '/cases/:id/reviews/:reviewId',
    {
      preHandler: [app.requireRole('township_staff', 'county_staff'), app.idempotency],
      schema: {
        tags: ['cases'],
        summary: 'Result of a death review, re-review, data check or change review (R-M2, R-M4, R-M6)',
        description:
          'reviewId is the taskId of an open task in GET /v1/cases/{id}. Only a staff result changes ' +
          'the entitlement (R-A11).',
        params: reviewParams,
        body: reviewBody,
        response: { 200: caseViewSchema, 422: problemResponses[400], ...problemResponses },
      },
    },
    async (req) => {
      const { id, reviewId } = req.params;
      const row = await reachableRow(id, req.user);
      const view = await runUpdate(id, row.status, () =>
        handle(id).executeUpdate(reviewResultUpdate, {
          args: [{ ...req.body, taskId: reviewId, actor: actorOf(req.user) }],
        }),
      );
      return present(view, 'workflow');
    },
  );
};
