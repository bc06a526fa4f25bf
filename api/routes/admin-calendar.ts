import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validateYearCalendar } from '../../domain/calendar';
import { applicationWorkflowId, calendarUpdatedSignal, caseWorkflowId } from '../../workflows/messages';
import { badRequest, problemResponses } from '../problem';

const calendarBody = z.object({
  holidays: z.array(z.string()).describe('Statutory holiday dates of the year'),
  makeUpWorkdays: z.array(z.string()).describe('Weekend days that are working days (调休)'),
});

// R-T2: a year's holidays and make-up working days, published at run time; every open application
// and case whose deadlines were provisional is told and recomputes them.
export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/admin/calendar/:year',
    {
      preHandler: [app.requireRole('admin'), app.idempotency],
      schema: {
        tags: ['admin'],
        summary: "A year's holidays and make-up working days (R-T2); open deadlines are recomputed",
        params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        body: calendarBody,
        response: {
          200: z.object({ year: z.number(), applicationsSignalled: z.number(), casesSignalled: z.number() }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const checked = validateYearCalendar({ year: req.params.year, ...req.body, source: 'runtime' });
      if (!checked.ok) {
        throw badRequest(
          `calendar ${req.params.year} is not valid`,
          checked.problems.map((p) => ({ path: `body.${p.field}`, message: p.message })),
        );
      }
      const y = checked.value;
      await app.pg.query(
        `INSERT INTO calendar_years (year, holidays, make_up_workdays, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, make_up_workdays = EXCLUDED.make_up_workdays,
           updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [y.year, y.holidays, y.makeUpWorkdays, req.user.sub],
      );
      // R-T2: every open application whose deadlines were provisional is told; each recomputes.
      const { rows } = await app.pg.query(
        `SELECT application_id FROM applications
         WHERE stage NOT IN ('approved', 'rejected', 'withdrawn') AND deadline_provisional`,
      );
      for (let i = 0; i < rows.length; i += 50) {
        await Promise.all(
          rows.slice(i, i + 50).map((r) =>
            app.temporal.workflow
              .getHandle(applicationWorkflowId(r.application_id))
              .signal(calendarUpdatedSignal, y)
              .catch((err: Error) => req.log.warn({ err, id: r.application_id }, 'calendar signal failed')),
          ),
        );
      }
      const cases = await app.pg.query(
        'SELECT DISTINCT case_id FROM case_tasks WHERE closed_on IS NULL AND due_provisional',
      );
      for (let i = 0; i < cases.rows.length; i += 50) {
        await Promise.all(
          cases.rows.slice(i, i + 50).map((r) =>
            app.temporal.workflow
              .getHandle(caseWorkflowId(r.case_id))
              .signal(calendarUpdatedSignal, y)
              .catch((err: Error) => req.log.warn({ err, id: r.case_id }, 'calendar signal failed')),
          ),
        );
      }
      return { year: y.year, applicationsSignalled: rows.length, casesSignalled: cases.rows.length };
    },
  );
};
