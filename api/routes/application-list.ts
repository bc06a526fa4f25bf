import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { derivationSecretOf } from '../../config/env';
import type { ApplicationFilters, ApplicationListItem } from '../../db/repositories/application-list';
import { divisionName } from '../../documents/region-names';
import { ListCursors, type ListKey } from '../list-cursor';
import { APPLICATION_ID, readerOf, scopeOf, searchOf } from '../list-scope';
import { problemResponses } from '../problem';
import { applicationListQuery, applicationListSchema } from '../schemas/lists';

const withPlace = (i: ApplicationListItem) => ({ ...i, townshipName: divisionName(i.townshipCode) ?? null });

// API.md "Applications": GET /v1/applications — the caller's applications, filtered by village (or
// township), stage (or every open stage) and overdue, or found by a member's name prefix or the
// application id, a page at a time by an opaque cursor (keyset; no count).
export const applicationListRoutes: FastifyPluginAsyncZod = async (app) => {
  const cursors = new ListCursors(derivationSecretOf(app.config));
  const { applicationList } = app.repos;

  app.get(
    '/applications',
    {
      config: { roles: ['township_staff', 'county_staff', 'supervisor'] },
      schema: {
        tags: ['applications'],
        summary: 'The caller’s applications: by village, stage, overdue, name prefix or id; paged by cursor',
        description:
          'Applications in the caller’s region, by village and application id (within a village, in the ' +
          'order received), a page at a time: pass `nextCursor` back as `cursor` with the same filters. ' +
          '`q` finds a name prefix of any member (in name order) or an application id. An ID number is ' +
          'never a query parameter: POST /v1/people/lookup.',
        querystring: applicationListQuery,
        response: { 200: applicationListSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { village, township, q, limit, cursor, stage, overdue } = req.query;
      const { region, scope } = scopeOf(req.user, { village, township });
      const filters: ApplicationFilters = {
        ...(stage ? { stage } : {}),
        ...(overdue !== undefined ? { overdue } : {}),
      };
      const search = searchOf(q, (s) => APPLICATION_ID.test(s));
      const bound = { region, village, township, stage, overdue, q };
      const key = cursor ? cursors.open('applications', bound, cursor) : undefined;
      let items: ApplicationListItem[];
      let nextKey: ((last: ApplicationListItem) => ListKey) | undefined;
      if (search && 'id' in search) {
        const one = key ? undefined : await applicationList.byId(scope, filters, search.id);
        items = one ? [one] : [];
      } else if (search) {
        const after = key && 'name' in key ? key : undefined;
        items = await applicationList.byName(scope, filters, search.name, limit + 1, after);
        nextKey = (last) => ({ name: last.matchedName ?? '', id: last.applicationId });
      } else {
        const after = key && 'village' in key ? key : undefined;
        items = await applicationList.page(scope, filters, limit + 1, after);
        nextKey = (last) => ({ village: last.villageCode, id: last.applicationId });
      }
      const page = items.slice(0, limit);
      const last = page.at(-1);
      const nextCursor =
        nextKey && items.length > limit && last ? cursors.seal('applications', bound, nextKey(last)) : null;
      // R-O7: every application the page shows is a read of its persons' record.
      await app.repos.audit.recordReads({
        ...readerOf(req.user),
        subjectKind: 'application',
        subjectIds: page.map((a) => a.applicationId),
        what: 'application_list',
      });
      return { region, items: page.map(withPlace), nextCursor };
    },
  );
};
