import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applyPaymentResults, type PaymentResultInput } from '../../activities/payroll';
import { countyCodeSchema } from '../../domain/region';
import {
  type PayrollView,
  paymentResultsSignal,
  payrollId,
  payrollStateQuery,
  payrollWorkflowId,
} from '../../workflows/messages';
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

const resultItem = z.object({
  resultId: z.string().min(1).max(200),
  lineId: z.string().min(1).max(300),
  outcome: z.enum(['paid', 'failed', 'returned']),
  reason: z.string().max(1000).optional(),
  reportedAt: z.iso.datetime({ offset: true }),
});

// R-M1: the monthly payroll per county, started by the schedule or by hand, and the bank's results.
export const payrollRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/payrolls',
    {
      preHandler: [app.requireRole('admin', 'county_staff'), app.idempotency],
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
        await app.temporal.workflow.start('payrollWorkflow', {
          taskQueue: app.config.TEMPORAL_TASK_QUEUE,
          workflowId,
          args: [{ countyCode, month }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
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
      preHandler: [app.requireRole('admin', 'county_staff', 'supervisor')],
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
      try {
        const v: PayrollView = await app.temporal.workflow
          .getHandle(payrollWorkflowId(countyCode, month))
          .query(payrollStateQuery);
        return {
          ...v,
          rosterDate: v.rosterDate.date,
          paymentDate: v.paymentDate.date,
          source: 'workflow' as const,
        };
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) && !/completed|closed/i.test((err as Error).message))
          throw err;
      }
      const { rows } = await app.pg.query('SELECT * FROM payrolls WHERE payroll_id = $1', [
        payrollId(countyCode, month),
      ]);
      const p = rows[0];
      if (!p) throw notFound(`no payroll for ${countyCode} ${month}`);
      const lines = await app.pg.query(
        'SELECT status, count(*)::int AS n FROM payment_lines WHERE payroll_id = $1 GROUP BY status',
        [p.payroll_id],
      );
      return {
        payrollId: p.payroll_id,
        countyCode: p.county_code,
        month: p.month,
        stage: p.status,
        rosterDate: p.roster_date,
        paymentDate: p.payment_date,
        rowsWritten: p.lines_done,
        lines: Object.fromEntries(lines.rows.map((r) => [r.status, r.n])),
        overdue: p.status === 'overdue',
        source: 'read_model' as const,
      };
    },
  );

  app.get(
    '/payrolls/:countyCode/:month/file',
    {
      preHandler: [app.requireRole('admin', 'county_staff')],
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
      const { rows } = await app.pg.query(
        'SELECT file_name, file_sha256 FROM payrolls WHERE payroll_id = $1',
        [payrollId(countyCode, month)],
      );
      if (!rows[0]?.file_name) throw notFound(`no bank file for ${countyCode} ${month} yet`);
      const csv = await readFile(join(app.config.PAYMENT_FILES_DIR, rows[0].file_name), 'utf8');
      return reply
        .type('text/csv; charset=utf-8')
        .header('x-content-sha256', rows[0].file_sha256)
        .header('content-disposition', `attachment; filename="payroll-${countyCode}-${month}.csv"`)
        .send(csv);
    },
  );

  app.post(
    '/integrations/payment-results',
    {
      preHandler: [app.requireRole('integration'), app.idempotency],
      schema: {
        tags: ['integrations'],
        summary: "The bank's per-line results (R-M1), applied once each and in the bank's order",
        description:
          'Each result is checked on its own: applied, duplicate (the same result id again, or the same outcome), ' +
          'stale (reported before the result already applied), unknown_line (reported back), invalid.',
        body: z
          .object({ results: z.array(z.unknown()).min(1).max(20_000) })
          .meta({ id: 'PaymentResultBatch' }),
        response: {
          200: z.object({
            results: z.array(
              z.object({
                index: z.number(),
                resultId: z.string().optional(),
                outcome: z.enum(['applied', 'duplicate', 'stale', 'unknown_line', 'invalid']),
                problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
              }),
            ),
            counts: z.record(z.string(), z.number()),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const valid: { index: number; item: PaymentResultInput }[] = [];
      const results: {
        index: number;
        resultId?: string;
        outcome: 'applied' | 'duplicate' | 'stale' | 'unknown_line' | 'invalid';
        problems?: { path: string; message: string }[];
      }[] = [];
      req.body.results.forEach((raw, index) => {
        const parsed = resultItem.safeParse(raw);
        if (parsed.success) valid.push({ index, item: parsed.data });
        else
          results.push({
            index,
            outcome: 'invalid',
            problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          });
      });
      // Lines outside the caller's region are not theirs to report on.
      const region = req.user.region;
      const mine = valid.filter((v) => v.item.lineId.startsWith(region.slice(0, 6)) || region.length < 6);
      const applied = await applyPaymentResults(
        app.pg,
        mine.map((v) => v.item),
      );
      mine.forEach((v, i) => {
        results.push({ index: v.index, resultId: v.item.resultId, outcome: applied.outcomes[i]! });
      });
      for (const v of valid.filter((x) => !mine.includes(x)))
        results.push({ index: v.index, resultId: v.item.resultId, outcome: 'unknown_line' });
      // The payrolls look at their lines again (a lost signal is caught by their daily check).
      await Promise.all(
        applied.payrolls.map((id) => {
          const [county, month] = id.split(':') as [string, string];
          return app.temporal.workflow
            .getHandle(payrollWorkflowId(county, month))
            .signal(paymentResultsSignal, { received: mine.length })
            .catch((err: Error) => req.log.warn({ err, id }, 'payroll signal failed'));
        }),
      );
      results.sort((a, b) => a.index - b.index);
      const counts: Record<string, number> = {};
      for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
      return { results, counts };
    },
  );
};
