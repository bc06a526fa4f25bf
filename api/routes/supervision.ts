import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SUPERVISED_KINDS as KINDS } from '../../db/repositories/supervision';
import { placeNames } from '../../documents/region-names';
import { type CivilDate, civilDateOf, compareDates, monthOf } from '../../domain/dates';
import { townshipForwardDue, visitReportDue } from '../../domain/deadlines';
import { countyOf } from '../../domain/region';
import { problemResponses } from '../problem';
import { missingVisitReports, supervisionQuery } from '../schemas/visit-reports';
import { assertSupervisedRegion, decodeCursor, encodeCursor } from '../supervision-scope';
import { countyDeadlinesFor, workingCalendar } from '../visit-report-deadlines';

const item = z
  .object({
    kind: z.enum(KINDS),
    subjectId: z.string().describe('Application id, case id or payroll id'),
    taskId: z.string().nullable().describe('The case task, for case work'),
    stage: z.string().describe('Application stage, task kind or payroll status'),
    countyCode: z.string(),
    countyName: z.string().nullable().describe('From the division data; null when it does not know the code'),
    townshipCode: z.string().nullable(),
    townshipName: z.string().nullable(),
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
  const { supervision, overdue } = app.repos;
  const assertRegion = assertSupervisedRegion;

  app.get(
    '/supervision/overdue',
    {
      config: { roles: ['supervisor', 'county_staff', 'admin'] },
      schema: {
        tags: ['supervision'],
        summary: 'Overdue and at-risk work in the caller’s region, most urgent first (R-O3, R-A6)',
        description:
          'Overdue items first, then by due date (kind, subject and task break ties). A page ends with ' +
          '`nextCursor` when more follow: pass it back as `cursor` with the same filters for the next page.',
        querystring: z.object({
          kind: z.enum(KINDS).optional(),
          township: z
            .string()
            .regex(/^\d{9}$/, 'a 9-digit township code')
            .optional(),
          flag: z.enum(['overdue', 'at_risk', 'any']).default('any'),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          cursor: z.string().min(1).max(1000).optional().describe('The `nextCursor` of the previous page'),
        }),
        response: {
          200: z.object({
            region: z.string(),
            items: z.array(item),
            counts: z.record(z.string(), z.number()).describe('Items of this page by kind'),
            nextCursor: z.string().nullable().describe('Null on the last page'),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const region = req.user.region;
      const { kind, township, flag, limit, cursor } = req.query;
      assertRegion(req.user, township);
      const key = cursor ? decodeCursor(cursor) : undefined;
      const rows = await overdue.page({ region, kind, township, flag }, limit + 1, key);
      const items = rows.slice(0, limit).map((i) => ({
        ...i,
        ...placeNames(i.countyCode, i.townshipCode),
      }));
      const last = items.at(-1);
      const counts: Record<string, number> = {};
      for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
      const nextCursor =
        rows.length > limit && last
          ? encodeCursor({
              overdue: last.overdue,
              dueOn: last.dueOn,
              kind: last.kind,
              subjectId: last.subjectId,
              taskId: last.taskId,
            })
          : null;
      return { region, items, counts, nextCursor };
    },
  );

  app.get(
    '/supervision/visit-reports',
    {
      config: { roles: ['supervisor', 'county_staff'] },
      schema: {
        tags: ['supervision'],
        summary: 'Villages and townships that have not reported a month (R-M7, R-O3)',
        description:
          "Within the caller's region: villages with open cases and no visit report for the month, and " +
          'townships with open cases that have not forwarded, each with its due date and whether it is overdue.',
        querystring: supervisionQuery,
        response: { 200: missingVisitReports, ...problemResponses },
      },
    },
    async (req) => {
      const today = civilDateOf(new Date());
      const month = req.query.month ?? monthOf(today);
      const { township } = req.query;
      const region = req.user.region;
      assertRegion(req.user, township);
      const cal = await workingCalendar(app);
      const rows = await supervision.visitReportGaps(region, township, month);
      const overdue = (d: CivilDate) => compareDates(today, d) > 0;
      const townships = [...new Set(rows.filter((r) => !r.forwarded).map((r) => r.townshipCode))];
      // Each county's own deadlines (a region may span several counties, R-M7 parameters).
      const counties = [...new Set(rows.map((r) => countyOf(r.villageCode)))];
      const params = new Map(
        await Promise.all(counties.map(async (c) => [c, await countyDeadlinesFor(app, c, month)] as const)),
      );
      const reportDue = (village: string) => visitReportDue(cal, month, params.get(countyOf(village)));
      const forwardDue = (t: string) => townshipForwardDue(cal, month, params.get(countyOf(t)));
      return {
        month,
        region,
        villages: rows
          .filter((r) => !r.reported)
          .map((r) => {
            const due = reportDue(r.villageCode);
            return { villageCode: r.villageCode, openCases: r.openCases, due, overdue: overdue(due.date) };
          }),
        townships: townships.map((t) => {
          const due = forwardDue(t);
          return { townshipCode: t, due, overdue: overdue(due.date) };
        }),
      };
    },
  );
};
