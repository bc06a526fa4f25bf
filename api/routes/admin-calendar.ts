import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validateYearCalendar } from '../../domain/calendar';
import { EDGE_YEARS } from '../../domain/dates';
import {
  applicationWorkflowId,
  calendarUpdatedSignal,
  caseWorkflowId,
  complaintWorkflowId,
  registerWorkflowId,
} from '../../workflows/contracts';
import { coversNation } from '../plugins/auth';
import { badRequest, forbidden, problemResponses } from '../problem';

const calendarBody = z.object({
  holidays: z.array(z.string().max(10)).max(366).describe('Statutory holiday dates of the year'),
  makeUpWorkdays: z.array(z.string().max(10)).max(366).describe('Weekend days that are working days (调休)'),
});

// R-T2: a year's holidays and make-up working days, published at run time; every open application
// and case whose deadlines were provisional is told and recomputes them.
export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/admin/calendar/:year',
    {
      config: { roles: ['admin'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['admin'],
        summary: "A year's holidays and make-up working days (R-T2); open deadlines are recomputed",
        params: z.object({ year: z.coerce.number().int().min(EDGE_YEARS.min).max(EDGE_YEARS.max) }),
        body: calendarBody,
        response: {
          200: z.object({
            year: z.number(),
            applicationsSignalled: z.number(),
            casesSignalled: z.number(),
            payrollsSignalled: z.number(),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      // R-T2: the working-day calendar is national; an administrator of a county or township
      // would change every other region's deadlines, so only a province-level one may set it.
      if (!coversNation(req.user))
        throw forbidden('the national calendar is set by a province-level administrator');
      const checked = validateYearCalendar({ year: req.params.year, ...req.body, source: 'runtime' });
      if (!checked.ok) {
        throw badRequest(
          `calendar ${req.params.year} is not valid`,
          checked.problems.map((p) => ({ path: `body.${p.field}`, message: p.message })),
        );
      }
      const y = checked.value;
      await app.repos.calendar.saveYear(y, req.user.sub);
      // R-T2: every open application and case whose deadlines were provisional, or were counted across
      // this year (a correction of a known year), is told; each recomputes.
      const { applicationIds, caseIds } = await app.repos.calendar.touching(y.year);
      const tell = async (workflowIds: string[]) => {
        for (let i = 0; i < workflowIds.length; i += 50) {
          await Promise.all(
            workflowIds.slice(i, i + 50).map((id) =>
              app.temporal.workflow
                .getHandle(id)
                .signal(calendarUpdatedSignal, y)
                .catch((err: Error) => req.log.warn({ err, id }, 'calendar signal failed')),
            ),
          );
        }
      };
      await tell(applicationIds.map(applicationWorkflowId));
      await tell(caseIds.map(caseWorkflowId));
      // R-L2 R-T2: register visits due on a provisional count likewise.
      const entries = await app.repos.register.provisional();
      await tell(entries.map((e) => registerWorkflowId(e.countyCode, e.householdKey)));
      await tell((await app.repos.complaints.openTouching(y.year)).map(complaintWorkflowId)); // R-O4
      // R-M1 R-T2: running payrolls recompute their roster and payment dates (visibility lists them).
      const payrolls = await app.temporalCall(async () => {
        const ids: string[] = [];
        const query = `WorkflowType = 'payrollWorkflow' AND ExecutionStatus = 'Running'`;
        for await (const w of app.temporal.workflow.list({ query })) ids.push(w.workflowId);
        return ids;
      });
      await tell(payrolls);
      return {
        year: y.year,
        applicationsSignalled: applicationIds.length,
        casesSignalled: caseIds.length,
        payrollsSignalled: payrolls.length,
      };
    },
  );
};
