import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { toMoney } from '../../domain/money';
import { temporaryAssistanceLimitsSchema } from '../../domain/policy';
import { countyCodeSchema } from '../../domain/region-schema';
import { assertCoversCounty } from '../plugins/auth';
import { problemResponses } from '../problem';

// API.md "Temporary assistance": a county's limits of the township's reserve fund (per grant, per
// household and calendar year) and the documentation deadline (R-A10), effective-dated like every
// county parameter. A request uses the version in force on its receipt date (carried in its input).

const limitsVersion = z
  .object({
    countyCode: z.string(),
    version: z.string(),
    effectiveFrom: z.string(),
    perGrant: z.string(),
    perHouseholdYear: z.string(),
    documentationWorkingDays: z.int(),
    documentationAtRiskWorkingDays: z.int(),
  })
  .meta({ id: 'TemporaryAssistanceLimitsVersion' });

export const temporaryLimitsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { temporaryAssistanceLimits } = app.repos;

  app.put(
    '/admin/temporary-assistance-limits',
    {
      config: { roles: ['admin'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['admin'],
        summary: "A county's temporary-assistance limits and documentation deadline, effective-dated (R-A10)",
        body: temporaryAssistanceLimitsSchema.meta({ id: 'TemporaryAssistanceLimits' }),
        response: {
          200: z.object({
            countyCode: z.string(),
            version: z.string(),
            effectiveFrom: z.string(),
            unchanged: z.boolean().describe('The same limits were already in force from that date'),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const b = req.body;
      assertCoversCounty(req.user, b.countyCode);
      const saved = await temporaryAssistanceLimits.saveVersion(
        { ...b, perGrant: toMoney(b.perGrant), perHouseholdYear: toMoney(b.perHouseholdYear) },
        req.user.sub,
      );
      return { countyCode: b.countyCode, effectiveFrom: b.effectiveFrom, ...saved };
    },
  );

  app.get(
    '/admin/temporary-assistance-limits/:countyCode',
    {
      config: { roles: ['admin', 'supervisor', 'county_staff'] },
      schema: {
        tags: ['admin'],
        summary: "A county's temporary-assistance limits: every version, and the one in force today (R-A10)",
        params: z.object({ countyCode: countyCodeSchema }),
        response: {
          200: z.object({
            countyCode: z.string(),
            inForce: limitsVersion.describe(
              "Today's limits (version `default` when the county has set none)",
            ),
            versions: z.array(limitsVersion).describe('Newest effective date first'),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { countyCode } = req.params;
      assertCoversCounty(req.user, countyCode);
      const [inForce, versions] = await Promise.all([
        temporaryAssistanceLimits.inForce(countyCode, civilDateOf(new Date())),
        temporaryAssistanceLimits.versions(countyCode),
      ]);
      return { countyCode, inForce, versions: versions.reverse() };
    },
  );
};
