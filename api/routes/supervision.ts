import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isRegionCode } from '../../domain/region';
import { forbidden, problemResponses } from '../problem';

const KINDS = ['application', 'death_review', 're_review', 'data_check', 'change_review', 'payroll'] as const;

const item = z
  .object({
    kind: z.enum(KINDS),
    subjectId: z.string().describe('Application id, case id or payroll id'),
    taskId: z.string().nullable().describe('The case task, for case work'),
    stage: z.string().describe('Application stage, task kind or payroll status'),
    countyCode: z.string(),
    townshipCode: z.string().nullable(),
    villageCode: z.string().nullable(),
    dueOn: z.string(),
    provisional: z
      .boolean()
      .describe('The due date lies in a year whose calendar is not yet published (R-T2)'),
    atRisk: z.boolean(),
    overdue: z.boolean(),
  })
  .meta({ id: 'SupervisedWork' });

// R-O3: supervisors see, per county and township, the applications, case checks and payrolls
// that are overdue or at risk, at any time. The list comes from the Postgres read model the
// workflows keep (STYLE.md: queries for one, the read model for lists); the same flags are search
// attributes (AtRisk, Overdue) for ad-hoc visibility queries.
export const supervisionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/supervision/overdue',
    {
      preHandler: [app.requireRole('supervisor', 'county_staff', 'admin')],
      schema: {
        tags: ['supervision'],
        summary: 'Overdue and at-risk work in the caller’s region (R-O3, R-A6)',
        querystring: z.object({
          kind: z.enum(KINDS).optional(),
          township: z
            .string()
            .regex(/^\d{9}$/, 'a 9-digit township code')
            .optional(),
          flag: z.enum(['overdue', 'at_risk', 'any']).default('any'),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
        response: {
          200: z.object({
            region: z.string(),
            items: z.array(item),
            counts: z.record(z.string(), z.number()),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const region = req.user.region;
      const { kind, township, flag, limit } = req.query;
      if (!isRegionCode(region)) throw forbidden(`region ${region} reaches nothing`);
      if (township && !township.startsWith(region) && !region.startsWith(township))
        throw forbidden(`region ${region} does not reach township ${township}`);
      const { rows } = await app.pg.query(
        `SELECT * FROM (
           SELECT 'application' AS kind, application_id AS subject_id, NULL AS task_id, stage, county_code,
                  township_code, village_code, overall_deadline AS due_on, deadline_provisional AS provisional,
                  at_risk, overdue
           FROM applications
           WHERE stage NOT IN ('approved', 'rejected', 'withdrawn') AND (at_risk OR overdue)
           UNION ALL
           SELECT kind, case_id, task_id, kind, county_code, township_code, village_code, due_on, due_provisional,
                  at_risk, overdue
           FROM case_tasks WHERE closed_on IS NULL AND (at_risk OR overdue)
           UNION ALL
           SELECT 'payroll', payroll_id, NULL, status, county_code, NULL, NULL, payment_date, false, false, true
           FROM payrolls WHERE status = 'overdue'
         ) w
         WHERE (w.village_code LIKE $1 || '%' OR (w.village_code IS NULL AND w.county_code LIKE $1 || '%'))
           AND ($2::text IS NULL OR w.kind = $2)
           AND ($3::text IS NULL OR w.township_code = $3)
           AND ($4 = 'any' OR ($4 = 'overdue' AND w.overdue) OR ($4 = 'at_risk' AND w.at_risk AND NOT w.overdue))
         ORDER BY w.overdue DESC, w.due_on, w.subject_id
         LIMIT $5`,
        [region, kind ?? null, township ?? null, flag, limit],
      );
      const items = rows.map((r) => ({
        kind: r.kind,
        subjectId: r.subject_id,
        taskId: r.task_id,
        stage: r.stage,
        countyCode: r.county_code,
        townshipCode: r.township_code,
        villageCode: r.village_code,
        dueOn: r.due_on,
        provisional: r.provisional,
        atRisk: r.at_risk,
        overdue: r.overdue,
      }));
      const counts: Record<string, number> = {};
      for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
      return { region, items, counts };
    },
  );
};
