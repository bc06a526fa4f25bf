import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FilingRow } from '../../db/repositories/oversight';
import {
  CLOSE_RELATIONS,
  type CloseRelation,
  RELATED_POSITIONS,
  type RelatedPosition,
} from '../../domain/close-relatives';
import { compareDates } from '../../domain/dates';
import { isRegionCode } from '../../domain/region';
import { regionCodeSchema } from '../../domain/region-schema';
import type { Caller } from '../plugins/auth';
import { badRequest, forbidden, problemResponses } from '../problem';
import { civilDate } from '../schemas/applications';
import { maskName } from './publicity';

/** A region the caller names must lie within its own (API.md "Identity and reach"): else 403. */
export function regionWithin(caller: Caller, asked: string | undefined): string {
  const region = asked ?? caller.region;
  if (!isRegionCode(caller.region) || !region.startsWith(caller.region))
    throw forbidden("the caller's region does not reach this region");
  return region;
}

const relatedTo = z.object({
  name: z.string(),
  position: z.enum(RELATED_POSITIONS),
  post: z.string().optional(),
});

const filingItem = z
  .object({
    applicationId: z.string().nullable().describe('Null for a case brought in by a caseload import'),
    caseId: z.string().nullable(),
    villageCode: z.string(),
    townshipCode: z.string(),
    member: z.string().nullable().describe('Masked: the surname and one * per further character (R-O7)'),
    relatedTo: relatedTo
      .nullable()
      .describe('The staff member or village cadre; null for a filing made before this was recorded'),
    relation: z.enum(CLOSE_RELATIONS).nullable(),
    relations: z
      .array(
        z.object({
          member: z.string().describe('Masked (R-O7)'),
          relatedTo,
          relation: z.enum(CLOSE_RELATIONS),
          source: z.enum(['clerk', 'roster']).describe("The receipt's box, or the close-relative roster"),
        }),
      )
      .describe('Every member found related to a staff member or cadre, by the clerk or by the roster'),
    filings: z.array(
      z.object({
        subjectKind: z.enum(['application', 'case']),
        occasion: z
          .string()
          .describe(
            'receipt, investigation:<n>, change:<id> (a change of members), re_review:<date> (R-M4) or import:<id>',
          ),
        filedOn: z.string(),
        filedBy: z.string(),
        source: z
          .enum(['clerk', 'roster', 'case'])
          .describe("The receipt's box, a match on the roster, or the close-relative case filed again"),
        relatedTo: z.array(z.string()).describe('The staff members or cadres the roster named'),
      }),
    ),
  })
  .meta({ id: 'CloseRelativeFiling' });

type FilingItem = z.infer<typeof filingItem>;

/** R-O1: the register's items, one per application (or imported case), from its filings in order. */
function registerItems(rows: FilingRow[]): FilingItem[] {
  const items = new Map<string, FilingItem>();
  const seen = new Set<string>();
  const relate = (item: FilingItem, r: FilingItem['relations'][number], key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    item.relations.push(r);
  };
  for (const r of rows) {
    const key = r.applicationId ?? `case:${r.caseId}`;
    let item = items.get(key);
    if (!item) {
      const d = r.receiptDetails ?? {};
      item = {
        applicationId: r.applicationId,
        caseId: r.caseId,
        villageCode: r.villageCode,
        townshipCode: r.villageCode.slice(0, 9),
        member: d.member ? maskName(d.member.name) : null,
        relatedTo: (d.relatedTo as FilingItem['relatedTo']) ?? null,
        relation: (d.relation as FilingItem['relation']) ?? null,
        relations: [],
        filings: [],
      };
      items.set(key, item);
      if (d.member && d.relatedTo && d.relation)
        relate(
          item,
          {
            member: maskName(d.member.name),
            relatedTo: item.relatedTo!,
            relation: item.relation!,
            source: 'clerk',
          },
          `${key}|clerk|${d.member.idNumber}|${d.relatedTo.name}`,
        );
    }
    if (r.caseId) item.caseId = r.caseId;
    for (const m of r.details.matches ?? []) {
      const match = {
        member: maskName(m.member.name),
        relatedTo: {
          name: m.relatedTo.name,
          position: m.relatedTo.position as RelatedPosition,
          ...(m.relatedTo.post ? { post: m.relatedTo.post } : {}),
        },
        relation: m.relation as CloseRelation,
        source: 'roster' as const,
      };
      relate(item, match, `${key}|roster|${m.member.idNumber}|${m.relatedTo.ref}`);
      // The first relation found stands for the item where the clerk named none.
      if (!item.relatedTo)
        Object.assign(item, { member: match.member, relatedTo: match.relatedTo, relation: match.relation });
    }
    item.filings.push({
      subjectKind: r.subjectKind as 'application' | 'case',
      occasion: r.occasion,
      filedOn: r.filedOn,
      filedBy: r.filedBy,
      source: r.source,
      relatedTo: [...new Set((r.details.matches ?? []).map((m) => m.relatedTo.name))],
    });
  }
  return [...items.values()];
}

const auditItem = z
  .object({
    id: z.number(),
    subjectKind: z.string(),
    subjectId: z.string(),
    villageCode: z.string().nullable(),
    action: z.string(),
    actorSub: z.string(),
    actorRole: z.string().nullable(),
    occurredAt: z.string(),
    reason: z.string().nullable(),
    parameterVersion: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

// API.md "Oversight": the close-relative register (R-O1) and the audit of one staff member (R-O6).
export const oversightRoutes: FastifyPluginAsyncZod = async (app) => {
  const { oversight } = app.repos;

  app.get(
    '/oversight/close-relatives',
    {
      config: { roles: ['supervisor', 'county_staff'] },
      schema: {
        tags: ['oversight'],
        summary: 'The close-relative filing register of a county or township (R-O1)',
        description:
          'Each filed application or case: the members found related (masked) to a staff member or village ' +
          "cadre, by the receipt's box or by the county's close-relative roster, and every filing: at " +
          'receipt, at each investigation and change of members the roster named, and at each re-review.',
        querystring: z.object({
          region: regionCodeSchema.optional().describe("A county or township within the caller's region"),
          limit: z.coerce.number().int().min(1).max(2000).default(500),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: {
          200: z.object({ region: z.string(), items: z.array(filingItem) }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const region = regionWithin(req.user, req.query.region);
      const rows = await oversight.closeRelativeFilings(region, req.query.limit, req.query.offset);
      return { region, items: registerItems(rows) };
    },
  );

  app.get(
    '/audit',
    {
      config: { roles: ['supervisor'] },
      schema: {
        tags: ['oversight'],
        summary: 'Every decision and step one staff member took, in a period (R-O6)',
        description:
          'Across applications, cases and complaints, from the append-only audit trail, oldest first; ' +
          "only subjects in the caller's region (events without one, such as codec decodes, for a province " +
          'or above). Page with `after` = the last id seen.',
        querystring: z.object({
          actor: z
            .string()
            .min(1)
            .max(200)
            .refine((s) => !s.includes('\u0000'), 'no NUL characters')
            .describe('The staff member (token subject)'),
          from: civilDate.optional(),
          to: civilDate.optional(),
          region: regionCodeSchema.optional().describe("Within the caller's region; default the caller's"),
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
        response: {
          200: z.object({
            actor: z.string(),
            region: z.string(),
            items: z.array(auditItem),
            next: z.number().nullable().describe('`after` for the next page; null on the last'),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const region = regionWithin(req.user, q.region);
      if (q.from && q.to && compareDates(q.from, q.to) > 0)
        throw badRequest('from is after to', [{ path: 'querystring.from', message: 'on or before to' }]);
      const items = await oversight.auditByActor({
        actor: q.actor,
        from: q.from,
        to: q.to,
        region,
        withoutVillage: region.length <= 2,
        after: q.after,
        limit: q.limit,
      });
      const next = items.length === q.limit ? items.at(-1)!.id : null;
      return { actor: q.actor, region, items, next };
    },
  );
};
