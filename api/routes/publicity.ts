import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicityCsv, publicityXlsx } from '../../documents/publicity-export';
import { fullRegionName, regionName } from '../../documents/region-names';
import { civilDateOf } from '../../domain/dates';
import { villageCodeSchema } from '../../domain/region-schema';
import { problemResponses } from '../problem';

/** Privacy (R-A9): the surname stays, the given name is masked; ID numbers are never shown. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

const publicityItem = z.object({
  applicationId: z.string(),
  applicant: z.string().describe('Masked: the surname and one * per further character'),
  householdSize: z.number(),
  category: z.string(),
  proposedMonthlyAmount: z.string().nullable(),
  postedOn: z.string(),
  lastDay: z.string().describe('Objections may be raised until the end of this day (R-A4)'),
  round: z.number(),
});
// R-A9: after approval the village sees the applicant's name, the household size and the amount —
// nothing else (no other member's name, no ID number, income, health or disability detail).
const publishedItem = z.object({
  applicant: z.string().describe("The applicant's name in full (R-A9)"),
  householdSize: z.number().describe('Persons the case supports (a one-person enrolment is one, R-E4)'),
  category: z.string().describe('The programme the list is part of (dibao, extreme poverty)'),
  monthlyAmount: z.string(),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// API.md "GET /v1/publicity?village=": what the village notice board shows — applications in their
// 7-day publicity (R-A4, names masked) and the cases in benefit after approval (R-A9: the applicant's
// name, the household size and the amount).
// Anyone with a token may read it: the notice board is public in the village.
export const publicityRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/publicity',
    {
      config: { roles: ['township_staff', 'county_staff', 'supervisor', 'integration', 'admin'] },
      schema: {
        tags: ['supervision'],
        summary: "A village's current publicity (names masked, R-A4) and publication list (R-A9)",
        querystring: z.object({
          village: villageCodeSchema,
          format: z
            .enum(['json', 'csv', 'xlsx'])
            .optional()
            .describe(
              'Default JSON; CSV (both lists in one table) or XLSX (one sheet per list), masked alike',
            ),
        }),
        response: {
          200: {
            description: 'The notice board as JSON, CSV or XLSX',
            content: {
              'application/json': {
                schema: z
                  .object({
                    villageCode: z.string(),
                    villageName: z
                      .string()
                      .nullable()
                      .describe(
                        'The village (村/居委会) name; null for a code the division data does not know',
                      ),
                    asOf: z.string(),
                    publicity: z.array(publicityItem),
                    published: z.array(publishedItem),
                  })
                  .meta({ id: 'VillagePublicity' }),
              },
              'text/csv': { schema: z.string() },
              [XLSX]: { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const village = req.query.village;
      const today = civilDateOf(new Date());
      const applicantOf = (members: { name: string; relation: string }[]) =>
        (members.find((m) => m.relation === 'applicant') ?? members[0])?.name ?? '';
      const [inPublicity, published] = await Promise.all([
        app.repos.publicity.inPublicity(village),
        app.repos.publicity.published(village),
      ]);
      const board = {
        villageCode: village,
        villageName: (await regionName(village)) ?? null,
        asOf: today,
        publicity: inPublicity.map(({ members, ...r }) => ({
          ...r,
          applicant: maskName(applicantOf(members)),
          householdSize: members.length,
        })),
        published: published.map((c) => ({
          applicant: applicantOf(c.members),
          householdSize: c.householdSize,
          category: c.category,
          monthlyAmount: c.monthlyAmount,
        })),
      };
      const file = `publicity-${village}-${today}`;
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}.csv"`)
          .send(publicityCsv(board));
      }
      if (req.query.format === 'xlsx') {
        // The sheet titles name the village in full (省市县乡村) for the printed board.
        const xlsx = await publicityXlsx({ ...board, villageName: await fullRegionName(village) });
        return reply
          .type(XLSX)
          .header('content-disposition', `attachment; filename="${file}.xlsx"`)
          .send(xlsx as unknown as string); // bytes: the typed reply knows only the schema's string
      }
      return reply.type('application/json; charset=utf-8').send(board);
    },
  );
};
