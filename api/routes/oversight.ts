import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CLOSE_RELATIONS, RELATED_POSITIONS } from '../../domain/close-relatives';
import { compareDates } from '../../domain/dates';
import { isRegionCode } from '../../domain/region';
import { regionCodeSchema } from '../../domain/region-schema';
import type { Caller } from '../plugins/auth';
import { badRequest, forbidden, problemResponses } from '../problem';
import { civilDate } from '../schemas/applications';
import { maskName } from './publicity';

/** A region the caller names must lie within its own (API.md "Identity and reach"): else 403. */
function regionWithin(caller: Caller, asked: string | undefined): string {
  const region = asked ?? caller.region;
  if (!isRegionCode(caller.region) || !region.startsWith(caller.region))
    throw forbidden("the caller's region does not reach this region");
  return region;
}

const filingItem = z
  .object({
    applicationId: z.string(),
    caseId: z.string().nullable(),
    villageCode: z.string(),
    townshipCode: z.string(),
    member: z.string().nullable().describe('Masked: the surname and one * per further character (R-O7)'),
    relatedTo: z
      .object({ name: z.string(), position: z.enum(RELATED_POSITIONS), post: z.string().optional() })
      .nullable()
      .describe('The staff member or village cadre; null for a filing made before this was recorded'),
    relation: z.enum(CLOSE_RELATIONS).nullable(),
    filings: z.array(
      z.object({
        subjectKind: z.enum(['application', 'case']),
        occasion: z.string().describe('receipt, or re_review:<date> at each re-review (R-M4)'),
        filedOn: z.string(),
        filedBy: z.string(),
      }),
    ),
  })
  .meta({ id: 'CloseRelativeFiling' });

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
          'Each filed application or case: the member (masked), the staff member or village cadre, the ' +
          'relation, and every filing: at receipt and again at each re-review.',
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
      const byApplication = new Map<string, z.infer<typeof filingItem>>();
      for (const r of rows) {
        let item = byApplication.get(r.applicationId);
        if (!item) {
          const d = r.details ?? {};
          item = {
            applicationId: r.applicationId,
            caseId: r.caseId,
            villageCode: r.villageCode,
            townshipCode: r.villageCode.slice(0, 9),
            member: d.member ? maskName(d.member.name) : null,
            relatedTo: (d.relatedTo as z.infer<typeof filingItem>['relatedTo']) ?? null,
            relation: (d.relation as z.infer<typeof filingItem>['relation']) ?? null,
            filings: [],
          };
          byApplication.set(r.applicationId, item);
        }
        if (r.caseId) item.caseId = r.caseId;
        item.filings.push({
          subjectKind: r.subjectKind as 'application' | 'case',
          occasion: r.occasion,
          filedOn: r.filedOn,
          filedBy: r.filedBy,
        });
      }
      return { region, items: [...byApplication.values()] };
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
