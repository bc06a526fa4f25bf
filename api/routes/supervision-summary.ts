import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SUPERVISED_KINDS as KINDS } from '../../db/repositories/supervision';
import { placeNames } from '../../documents/region-names';
import { addMonthsToYearMonth, civilDateOf, firstDayOfMonth, monthOf } from '../../domain/dates';
import { isRegionCode } from '../../domain/region';
import { forbidden, problemResponses } from '../problem';
import { assertSupervisedRegion } from '../supervision-scope';

// The supervisor's page (GET /dashboard) reads these: R-O3 the overdue and at-risk counts by
// township and kind, R-A6 the share of applications decided within their legal deadline by month.
// The counts come from the counters the writers keep (migration 100), the share from the read
// model through the indexes of the overdue list.

const countRow = z
  .object({
    countyCode: z.string(),
    townshipCode: z.string().nullable().describe("Null for a county's payroll"),
    countyName: z.string().nullable().describe('GB/T 2260 name; null for a code the division data lacks'),
    townshipName: z.string().nullable(),
    kind: z.enum(KINDS),
    overdue: z.number().int(),
    atRisk: z.number().int().describe('At risk and not yet overdue'),
  })
  .meta({ id: 'SupervisedCount' });

const slaMonth = z
  .object({
    month: z.string(),
    decided: z.number().int().describe('Applications approved or rejected in the month'),
    onTime: z.number().int().describe('Of those, decided on or before their overall deadline (R-A6)'),
    share: z.number().nullable().describe('onTime ÷ decided; null for a month without decisions'),
  })
  .meta({ id: 'SlaMonth' });

export const supervisionSummaryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { overdue } = app.repos;

  app.get(
    '/supervision/summary',
    {
      config: { roles: ['supervisor', 'county_staff', 'admin'] },
      schema: {
        tags: ['supervision'],
        summary: 'Overdue and at-risk work by township and kind in the caller’s region (R-O3)',
        querystring: z.object({
          kind: z.enum(KINDS).optional(),
          township: z
            .string()
            .regex(/^\d{9}$/, 'a 9-digit township code')
            .optional(),
        }),
        response: {
          200: z.object({
            region: z.string(),
            rows: z.array(countRow),
            totals: z.object({ overdue: z.number().int(), atRisk: z.number().int() }),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const region = req.user.region;
      const { kind, township } = req.query;
      assertSupervisedRegion(req.user, township);
      const rows = (await overdue.summary({ region, kind, township, flag: 'any' })).map((r) => ({
        ...r,
        ...placeNames(r.countyCode, r.townshipCode),
      }));
      const totals = { overdue: 0, atRisk: 0 };
      for (const r of rows) {
        totals.overdue += r.overdue;
        totals.atRisk += r.atRisk;
      }
      return { region, rows, totals };
    },
  );

  app.get(
    '/supervision/sla',
    {
      config: { roles: ['supervisor', 'county_staff', 'admin'] },
      schema: {
        tags: ['supervision'],
        summary: 'Share of applications decided within their legal deadline, by month (R-A6, R-O3)',
        description:
          'Per month of decision (Asia/Shanghai), the last `months` months up to the current one: ' +
          'applications approved or rejected, and how many on or before their overall deadline ' +
          '(30, 20 when delegated, 45 working days when lawfully extended).',
        querystring: z.object({
          region: z
            .string()
            .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'a division code')
            .optional()
            .describe("Within the caller's region; the caller's region by default"),
          months: z.coerce.number().int().min(1).max(36).default(12),
        }),
        response: {
          200: z.object({ region: z.string(), months: z.array(slaMonth) }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const region = req.query.region ?? req.user.region;
      if (!isRegionCode(req.user.region) || !region.startsWith(req.user.region))
        throw forbidden("the caller's region does not reach this region");
      const current = monthOf(civilDateOf(new Date()));
      const first = addMonthsToYearMonth(current, 1 - req.query.months);
      const found = await overdue.slaByMonth(
        region,
        firstDayOfMonth(first),
        firstDayOfMonth(addMonthsToYearMonth(current, 1)),
      );
      const byMonth = new Map(found.map((m) => [m.month, m]));
      const months = Array.from({ length: req.query.months }, (_, i) => {
        const month = addMonthsToYearMonth(first, i);
        const m = byMonth.get(month);
        const decided = m?.decided ?? 0;
        const onTime = m?.onTime ?? 0;
        return { month, decided, onTime, share: decided ? onTime / decided : null };
      });
      return { region, months };
    },
  );
};
