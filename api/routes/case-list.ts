import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { derivationSecretOf } from '../../config/env';
import type { CaseFilters, CaseListItem, RosterCase } from '../../db/repositories/case-list';
import type { ListScope } from '../../db/repositories/list-sql';
import { rosterCsv, rosterXlsx } from '../../documents/case-roster';
import { divisionName, fullRegionName } from '../../documents/region-names';
import { civilDateOf } from '../../domain/dates';
import { ListCursors, type ListKey } from '../list-cursor';
import { CASE_ID, readerOf, type Search, scopeOf, searchOf } from '../list-scope';
import { ProblemError, problemResponses } from '../problem';
import { caseListQuery, caseListSchema } from '../schemas/lists';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A roster file holds at most this many cases: a county's; a province narrows by township first. */
const ROSTER_MAX = 50_000;
const ROSTER_PAGE = 1000;

const tooLarge = () =>
  new ProblemError(
    422,
    'roster-too-large',
    'Roster too large',
    `more than ${ROSTER_MAX} cases: narrow the roster by township or village`,
  );

const withPlace = (i: CaseListItem) => ({ ...i, townshipName: divisionName(i.townshipCode) ?? null });

// API.md "Cases in benefit": GET /v1/cases — the caller's cases, filtered by village (or township),
// status and category, or found by a member's name prefix or the case id, a page at a time by an
// opaque cursor (keyset; no count); format=csv|xlsx is the roster (花名册) of the same filters.
export const caseListRoutes: FastifyPluginAsyncZod = async (app) => {
  const cursors = new ListCursors(derivationSecretOf(app.config));
  const { caseList } = app.repos;

  async function roster(scope: ListScope, f: CaseFilters): Promise<RosterCase[]> {
    const all: RosterCase[] = [];
    let after: { village: string; id: string } | undefined;
    for (;;) {
      const page = await caseList.rosterPage(scope, f, ROSTER_PAGE, after);
      all.push(...page);
      if (all.length > ROSTER_MAX) throw tooLarge();
      const last = page.at(-1);
      if (page.length < ROSTER_PAGE || !last) return all;
      after = { village: last.villageCode, id: last.caseId };
    }
  }

  /** The ids a search finds, in its order (a name search's whole result, up to the roster's size). */
  async function searched(scope: ListScope, f: CaseFilters, search: Search): Promise<string[]> {
    if ('id' in search) return (await caseList.byId(scope, f, search.id)) ? [search.id] : [];
    const found = await caseList.byName(scope, f, search.name, ROSTER_MAX + 1);
    if (found.length > ROSTER_MAX) throw tooLarge();
    return [...new Set(found.map((c) => c.caseId))];
  }

  app.get(
    '/cases',
    {
      config: { roles: ['township_staff', 'county_staff', 'supervisor'] },
      schema: {
        tags: ['cases'],
        summary:
          'The caller’s cases: by village, status, category, name prefix or id; paged; the roster (花名册)',
        description:
          'Cases in the caller’s region, by village and case id, a page at a time: pass `nextCursor` back as ' +
          '`cursor` with the same filters. `q` finds a name prefix of any member a case has held (in name ' +
          'order) or a case id. An ID number is never a query parameter: POST /v1/people/lookup. ' +
          '`format=csv|xlsx` answers the whole roster of the filters (ID numbers masked).',
        querystring: caseListQuery,
        response: {
          200: {
            description: 'A page of cases (JSON) or the roster (CSV, XLSX)',
            content: {
              'application/json': { schema: caseListSchema },
              'text/csv': { schema: z.string() },
              [XLSX]: { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const { village, township, q, limit, cursor, status, category, format } = req.query;
      const { region, scope } = scopeOf(req.user, { village, township });
      const filters: CaseFilters = { ...(status ? { status } : {}), ...(category ? { category } : {}) };
      const search = searchOf(q, (s) => CASE_ID.test(s));

      if (format !== 'json') {
        const cases = search
          ? await caseList.rosterOf(await searched(scope, filters, search))
          : await roster(scope, filters);
        // R-O7: a roster shows every case's persons: each case's read is audited.
        await app.repos.audit.recordReads({
          ...readerOf(req.user),
          subjectKind: 'case',
          subjectIds: cases.map((c) => c.caseId),
          what: 'roster',
        });
        const file = `roster-${region}-${civilDateOf(new Date())}`;
        if (format === 'csv')
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${file}.csv"`)
            .send(await rosterCsv(cases));
        const title = `${await fullRegionName(region)}社会救助对象花名册（${civilDateOf(new Date())}）`;
        return reply
          .type(XLSX)
          .header('content-disposition', `attachment; filename="${file}.xlsx"`)
          .send((await rosterXlsx(cases, title)) as unknown as string);
      }

      const bound = { region, village, township, status, category, q };
      const key = cursor ? cursors.open('cases', bound, cursor) : undefined;
      let items: CaseListItem[];
      let nextKey: ((last: CaseListItem) => ListKey) | undefined;
      if (search && 'id' in search) {
        const one = key ? undefined : await caseList.byId(scope, filters, search.id);
        items = one ? [one] : [];
      } else if (search) {
        const after = key && 'name' in key ? key : undefined;
        items = await caseList.byName(scope, filters, search.name, limit + 1, after);
        nextKey = (last) => ({ name: last.matchedName ?? '', id: last.caseId });
      } else {
        const after = key && 'village' in key ? key : undefined;
        items = await caseList.page(scope, filters, limit + 1, after);
        nextKey = (last) => ({ village: last.villageCode, id: last.caseId });
      }
      const page = items.slice(0, limit);
      const last = page.at(-1);
      const nextCursor =
        nextKey && items.length > limit && last ? cursors.seal('cases', bound, nextKey(last)) : null;
      // R-O7: every case the page shows is a read of its persons' record.
      await app.repos.audit.recordReads({
        ...readerOf(req.user),
        subjectKind: 'case',
        subjectIds: page.map((c) => c.caseId),
        what: 'case_list',
      });
      return reply
        .type('application/json; charset=utf-8')
        .send({ region, items: page.map(withPlace), nextCursor });
    },
  );
};
