import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { countyCodeSchema } from '../../domain/region-schema';
import { type PayrollView, payrollId, payrollStateQuery, payrollWorkflowId } from '../../workflows/contracts';
import type { payrollWorkflow } from '../../workflows/payroll/workflow';
import { assertCoversCounty } from '../plugins/auth';
import { notFound, problemResponses } from '../problem';
import { yearMonth } from '../schemas/applications';

const params = z.object({ countyCode: countyCodeSchema, month: yearMonth });

const payrollSchema = z
  .object({
    payrollId: z.string(),
    countyCode: z.string(),
    month: z.string(),
    stage: z.string(),
    rosterDate: z.string(),
    paymentDate: z.string(),
    datesProvisional: z
      .boolean()
      .optional()
      .describe('R-T2: a date falls in a year whose calendar is not published yet (recomputed when it is)'),
    casesDone: z.number().optional(),
    rowsWritten: z.number().optional(),
    retried: z.number().optional(),
    escalated: z.number().optional(),
    missingCases: z.number().optional().describe('Open cases that handed no month to this roster'),
    file: z
      .object({ fileName: z.string(), sha256: z.string(), lines: z.number(), amount: z.string() })
      .optional(),
    lines: z.record(z.string(), z.number()).describe('Bank lines by status'),
    overdue: z.boolean(),
    source: z.enum(['workflow', 'read_model']),
  })
  .meta({ id: 'Payroll' });

/**
 * How long a view waits for the workflow's Query: with no worker on the queue the server holds a
 * Query until its own timeout (~30 s); past this the read model answers instead.
 */
const QUERY_DEADLINE_MS = 3000;

// R-M1: the monthly payroll per county, started by the schedule or by hand. The bank's results
// are in payment-results.ts.
export const payrollRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/payrolls',
    {
      config: { roles: ['admin', 'county_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['payroll'],
        summary: "Start a county's payroll for a month by hand (the schedule does it monthly)",
        description: 'One payroll per county and month: starting it again answers with the same payroll.',
        body: params,
        response: {
          202: z.object({ payrollId: z.string(), workflowId: z.string(), started: z.boolean() }),
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const { countyCode, month } = req.body;
      assertCoversCounty(req.user, countyCode);
      const workflowId = payrollWorkflowId(countyCode, month);
      let started = true;
      try {
        await app.temporalCall(() =>
          app.temporal.workflow.start<typeof payrollWorkflow>('payrollWorkflow', {
            taskQueue: app.config.TEMPORAL_TASK_QUEUE,
            workflowId,
            args: [{ countyCode, month }],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        started = false;
      }
      return reply.code(202).send({ payrollId: payrollId(countyCode, month), workflowId, started });
    },
  );

  app.get(
    '/payrolls/:countyCode/:month',
    {
      config: { roles: ['admin', 'county_staff', 'supervisor'] },
      schema: {
        tags: ['payroll'],
        summary: 'A payroll: stage, roster and payment dates, progress (cases, rows), bank lines by status',
        params,
        response: { 200: payrollSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { countyCode, month } = req.params;
      assertCoversCounty(req.user, countyCode);
      const id = payrollId(countyCode, month);
      try {
        const v: PayrollView = await app.temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
          app.temporal.workflow.getHandle(payrollWorkflowId(countyCode, month)).query(payrollStateQuery),
        );
        return {
          ...v,
          rosterDate: v.rosterDate.date,
          paymentDate: v.paymentDate.date,
          datesProvisional: v.rosterDate.provisional || v.paymentDate.provisional,
          source: 'workflow' as const,
        };
      } catch (err) {
        // Not found, closed past retention, no worker, Temporal away: the read model answers.
        req.log.info({ err, payrollId: id }, 'payroll view from the read model');
      }
      const p = await app.repos.payroll.find(id);
      if (!p) throw notFound(`no payroll for ${countyCode} ${month}`);
      return {
        payrollId: p.payrollId,
        countyCode: p.countyCode,
        month: p.month,
        stage: p.status,
        rosterDate: p.rosterDate,
        paymentDate: p.paymentDate,
        rowsWritten: p.linesDone,
        lines: p.lines,
        overdue: p.status === 'overdue',
        source: 'read_model' as const,
      };
    },
  );

  app.get(
    '/payrolls/:countyCode/:month/file',
    {
      config: { roles: ['admin', 'county_staff'] },
      schema: {
        tags: ['payroll'],
        summary: 'The bank file (CSV: line_id, card_number, name, amount, months)',
        params,
        response: {
          200: { content: { 'text/csv': { schema: z.string() } } },
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const { countyCode, month } = req.params;
      assertCoversCounty(req.user, countyCode);
      const p = await app.repos.payroll.find(payrollId(countyCode, month));
      if (!p?.fileName) throw notFound(`no bank file for ${countyCode} ${month} yet`);
      const csv = await readFile(join(app.config.PAYMENT_FILES_DIR, p.fileName), 'utf8');
      return reply
        .type('text/csv; charset=utf-8')
        .header('x-content-sha256', p.fileSha256 ?? '')
        .header('content-disposition', `attachment; filename="payroll-${countyCode}-${month}.csv"`)
        .send(csv);
    },
  );
};
