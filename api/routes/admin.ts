import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validateYearCalendar } from '../../domain/calendar';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { moneySchema } from '../../domain/money';
import { defaultPolicy } from '../../domain/policy';
import { countyCodeSchema } from '../../domain/region';
import { applicationWorkflowId, calendarUpdatedSignal } from '../../workflows/messages';
import { badRequest, problemResponses } from '../problem';
import { civilDate } from '../schemas/applications';

const deadlineOverrides = z
  .object(
    Object.fromEntries(Object.keys(DEFAULT_DEADLINE_PARAMETERS).map((k) => [k, z.int().min(0).max(400)])),
  )
  .partial()
  .describe('Per-county deadline parameters (working days unless named otherwise)');

const standardsBody = z
  .object({
    countyCode: countyCodeSchema,
    effectiveFrom: civilDate,
    standardUrban: moneySchema,
    standardRural: moneySchema,
    marginalFactor: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional(),
    taperPayments: z.int().min(0).max(24).optional(),
    paymentStartOffsetMonths: z.int().min(0).max(3).optional(),
    extremePoverty: z
      .object({
        paymentFrequency: z.enum(['monthly', 'quarterly']),
        basicSupportUrban: moneySchema,
        basicSupportRural: moneySchema,
      })
      .optional(),
    deadlines: deadlineOverrides.optional(),
  })
  .meta({ id: 'CountyStandard' });

const calendarBody = z.object({
  holidays: z.array(z.string()).describe('Statutory holiday dates of the year'),
  makeUpWorkdays: z.array(z.string()).describe('Weekend days that are working days (调休)'),
});

// API.md "Supervision, publicity, reports, policy": administrators set policy and the calendar.
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/admin/standards',
    {
      preHandler: [app.requireRole('admin'), app.idempotency],
      schema: {
        tags: ['admin'],
        summary: "A county's standard and parameters, effective-dated (R-E1, R-M8)",
        body: standardsBody,
        response: {
          200: z.object({ countyCode: z.string(), version: z.string(), effectiveFrom: z.string() }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { deadlines, ...policyInput } = req.body;
      if (!req.user.region.startsWith(policyInput.countyCode.slice(0, req.user.region.length))) {
        throw badRequest(`region ${req.user.region} does not cover county ${policyInput.countyCode}`);
      }
      const { rows } = await app.pg.query(
        'SELECT count(*)::int AS n FROM policy_versions WHERE county_code = $1 AND effective_from = $2',
        [policyInput.countyCode, policyInput.effectiveFrom],
      );
      const version = `${policyInput.countyCode}-${policyInput.effectiveFrom}-v${rows[0].n + 1}`;
      const policy = defaultPolicy({ ...policyInput, version });
      await app.pg.query(
        `INSERT INTO policy_versions (county_code, version, effective_from, parameters, created_by)
         VALUES ($1, $2, $3, $4, $5)`,
        [
          policy.countyCode,
          version,
          policy.effectiveFrom,
          JSON.stringify({ ...policy, deadlines: deadlines ?? {} }),
          req.user.sub,
        ],
      );
      return { countyCode: policy.countyCode, version, effectiveFrom: policy.effectiveFrom };
    },
  );

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
          200: z.object({ year: z.number(), applicationsSignalled: z.number() }),
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
      return { year: y.year, applicationsSignalled: rows.length };
    },
  );
};
