import { WithStartWorkflowOperation } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  PAYMENT_RESULTS_PER_UPDATE,
  type PaymentResultInput,
  type PaymentResultOutcome,
  paymentResultsUpdate,
  payrollId,
  payrollOfLine,
  payrollWorkflowId,
} from '../../workflows/contracts';
import type { payrollWorkflow } from '../../workflows/payroll/workflow';
import { ProblemError, problemResponses } from '../problem';

const resultItem = z.object({
  resultId: z.string().min(1).max(200),
  lineId: z.string().min(1).max(300),
  outcome: z.enum(['paid', 'failed', 'returned']),
  reason: z.string().max(1000).optional(),
  reportedAt: z.iso.datetime({ offset: true }),
});

type Outcome = PaymentResultOutcome | 'invalid';

/** How long the API waits for a payroll to apply one Update before it answers 503. */
const UPDATE_DEADLINE_MS = 10_000;

// R-M1: the bank's per-line results. The API never writes the payroll's tables: each payroll
// applies the results for its own lines through its Update (validator + activity) and answers
// one outcome per result. A payroll whose run has completed gets a short run of its own for a late
// result (update with start, results only), so a return of paid money is never lost.
export const paymentResultRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/integrations/payment-results',
    {
      config: { roles: ['integration'] },
      preHandler: [app.idempotency],
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
    async (req, reply) => {
      const results: {
        index: number;
        resultId?: string;
        outcome: Outcome;
        problems?: { path: string; message: string }[];
      }[] = [];
      // Valid results by the payroll of their line; anything else is answered here.
      const byPayroll = new Map<string, { index: number; item: PaymentResultInput }[]>();
      const region = req.user.region;
      req.body.results.forEach((raw, index) => {
        const parsed = resultItem.safeParse(raw);
        if (!parsed.success) {
          results.push({
            index,
            outcome: 'invalid',
            problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          });
          return;
        }
        const item = parsed.data;
        const of = payrollOfLine(item.lineId);
        // Lines outside the caller's region are not theirs to report on.
        const mine = item.lineId.startsWith(region.slice(0, 6)) || region.length < 6;
        if (!of || !mine) {
          results.push({ index, resultId: item.resultId, outcome: 'unknown_line' });
          return;
        }
        const id = payrollId(of.countyCode, of.month);
        byPayroll.set(id, [...(byPayroll.get(id) ?? []), { index, item }]);
      });

      for (const [id, items] of byPayroll) {
        // No payroll of that county and month in the read model: none of its lines exist, and
        // no payroll is started by a bank message.
        const known = await app.repos.payroll.find(id);
        const outcomes: Outcome[] = [];
        for (let i = 0; known && i < items.length; i += PAYMENT_RESULTS_PER_UPDATE) {
          const chunk = items.slice(i, i + PAYMENT_RESULTS_PER_UPDATE).map((x) => x.item);
          outcomes.push(...(await applyOnPayroll(known.countyCode, known.month, chunk)));
        }
        for (const [i, x] of items.entries())
          results.push({ index: x.index, resultId: x.item.resultId, outcome: outcomes[i] ?? 'unknown_line' });
      }
      results.sort((a, b) => a.index - b.index);
      const counts: Record<string, number> = {};
      for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
      return { results, counts };

      async function applyOnPayroll(countyCode: string, month: string, chunk: PaymentResultInput[]) {
        const workflowId = payrollWorkflowId(countyCode, month);
        try {
          return await app.temporal.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
            app.temporal.workflow.executeUpdateWithStart(paymentResultsUpdate, {
              args: [{ results: chunk }],
              startWorkflowOperation: new WithStartWorkflowOperation<typeof payrollWorkflow>(
                'payrollWorkflow',
                {
                  workflowId,
                  taskQueue: app.config.TEMPORAL_TASK_QUEUE,
                  args: [{ countyCode, month, resultsOnly: true }],
                  // The running payroll takes the Update; a completed one gets a results-only run.
                  workflowIdConflictPolicy: 'USE_EXISTING',
                  workflowIdReusePolicy: 'ALLOW_DUPLICATE',
                },
              ),
            }),
          );
        } catch (err) {
          req.log.warn({ err, workflowId }, 'payment results not applied');
          // No answer in time: the bank sends the batch again. Results are applied once by their id,
          // so a result the payroll applied after this answer is reported 'duplicate' then.
          reply.header('retry-after', '30');
          throw new ProblemError(
            503,
            'payroll-unavailable',
            'Service unavailable',
            `the payroll ${workflowId} did not answer; send the batch again later`,
          );
        }
      }
    },
  );
};
