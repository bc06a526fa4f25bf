import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LedgerFilter, LedgerKey } from '../../db/repositories/complaint-ledger';
import type { LedgerRow } from '../../db/repositories/complaints';
import { maskPhone } from '../../domain/complaints';
import { isRegionCode } from '../../domain/region';
import { decodeLedgerCursor, encodeLedgerCursor } from '../ledger-cursor';
import type { Caller } from '../plugins/auth';
import { forbidden, problemResponses } from '../problem';
import {
  ledgerCountsQuery,
  ledgerCountsSchema,
  type ledgerLine,
  ledgerQuery,
  ledgerSchema,
} from '../schemas/complaints';
import { maskName } from './publicity';

// API.md "Oversight": the complaints ledger (台账, R-O4) of a region, newest first. JSON a page at a
// time after an opaque cursor (keyset over an index range: db/repositories/complaint-ledger.ts), no
// count per page; the counts (all lines, and those that are not repeats) are a request of their
// own. The CSV is the whole ledger of the filters, streamed page by page. Complainants masked (R-O7).

const STAFF = ['township_staff', 'county_staff', 'supervisor'] as const;
/** Lines per statement when the CSV streams the whole ledger. */
const CSV_PAGE = 1000;
type Line = z.infer<typeof ledgerLine>;

const CSV_COLUMNS: (keyof Line)[] = [
  'complaintId',
  'source',
  'complainant',
  'subjectKind',
  'subjectId',
  'villageCode',
  'receivedOn',
  'repeatOf',
  'stage',
  'handler',
  'deadline',
  'extended',
  'atRisk',
  'overdue',
  'finding',
  'dataCheckCaseId',
  'spotCheckRequested',
  'answeredOn',
  'answeredLate',
  'closedOn',
];

/** R-O7: a list shows 匿名 or the masked name and phone, never the person. */
function lineOf({ complainantName, complainantPhone, ...r }: LedgerRow): Line {
  return {
    ...r,
    complainant: r.anonymous
      ? '匿名'
      : `${maskName(complainantName ?? '')} ${maskPhone(complainantPhone ?? '')}`,
    finding: r.finding as Line['finding'],
    source: r.source as Line['source'],
    subjectKind: r.subjectKind as Line['subjectKind'],
  };
}

/** The filters of a request, within the caller's region (another region is 403). */
function filterOf(
  caller: Caller,
  q: { region?: string; stage?: LedgerFilter['stage']; overdue?: 'true' | 'false' },
): LedgerFilter {
  const region = q.region ?? caller.region;
  if (!isRegionCode(caller.region) || !region.startsWith(caller.region))
    throw forbidden("the caller's region does not reach this region");
  return {
    region,
    ...(q.stage ? { stage: q.stage } : {}),
    ...(q.overdue === undefined ? {} : { overdue: q.overdue === 'true' }),
  };
}

export const complaintLedgerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { complaints } = app.repos;

  app.get(
    '/complaints',
    {
      config: { roles: STAFF },
      schema: {
        tags: ['oversight'],
        summary: 'The complaints ledger (台账) of a region, JSON a page at a time or the whole as CSV (R-O4)',
        description:
          'Filterable by region (within the caller’s), stage (or open) and overdue; newest first. JSON: ' +
          '`limit` lines, then `nextCursor` passed back as `cursor`. CSV (`format=csv` or Accept: text/csv): ' +
          'every line of the filters. Complainants are masked (R-O7). The counts: GET /v1/complaints/counts.',
        querystring: ledgerQuery,
        response: {
          200: {
            description: 'The ledger, as JSON or as CSV (one line per complaint)',
            content: {
              'application/json': { schema: ledgerSchema },
              'text/csv': { schema: z.string() },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const filter = filterOf(req.user, q);
      const wantsCsv = q.format ? q.format === 'csv' : /\btext\/csv\b/.test(req.headers.accept ?? '');
      if (wantsCsv) {
        // The first page before the answer starts: a database away is still a 503 problem.
        const first = await complaints.ledger({ ...filter, limit: CSV_PAGE });
        async function* lines() {
          let page: { rows: LedgerRow[]; next?: LedgerKey } = first;
          for (;;) {
            for (const r of page.rows) yield lineOf(r);
            if (!page.next) return;
            page = await complaints.ledger({ ...filter, limit: CSV_PAGE, after: page.next });
          }
        }
        const csv = stringify({
          header: true,
          columns: CSV_COLUMNS as string[],
          cast: { boolean: (b) => (b ? 'true' : 'false') },
        });
        pipeline(Readable.from(lines()), csv).catch((err) =>
          req.log.error({ err }, 'complaints ledger CSV stopped'),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="complaints-${filter.region}.csv"`)
          .send(csv as unknown as string); // a stream: the typed reply knows only the schema's string
      }
      const page = await complaints.ledger({
        ...filter,
        limit: q.limit,
        ...(q.cursor ? { after: decodeLedgerCursor(q.cursor) } : {}),
      });
      return reply.type('application/json; charset=utf-8').send({
        region: filter.region,
        limit: q.limit,
        items: page.rows.map(lineOf),
        nextCursor: page.next ? encodeLedgerCursor(page.next) : null,
      });
    },
  );

  app.get(
    '/complaints/counts',
    {
      config: { roles: STAFF },
      schema: {
        tags: ['oversight'],
        summary: 'How many ledger lines the filters match, and how many are not repeats (R-O4)',
        querystring: ledgerCountsQuery,
        response: { 200: ledgerCountsSchema, ...problemResponses },
      },
    },
    async (req) => {
      const filter = filterOf(req.user, req.query);
      return { region: filter.region, ...(await complaints.ledgerCounts(filter)) };
    },
  );
};
