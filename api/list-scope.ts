import { z } from 'zod';
import { type ListScope, listScope } from '../db/repositories/list-sql';
import { isRegionCode } from '../domain/region';
import { townshipCodeSchema, villageCodeSchema } from '../domain/region-schema';
import type { Caller } from './plugins/auth';
import { badRequest, forbidden } from './problem';

// What the window's lists share at the edge: the caller's region narrowed by a township or a
// village it names (API.md "Identity and reach": naming a region the caller does not cover is 403),
// and `q` — a name prefix, or an application or case id. An ID number is never searched in a URL
// (R-O7): it is refused here and looked up with POST /v1/people/lookup.

/** An application id (A, its county, then the day and a hash); a case id is its application's or I…. */
export const APPLICATION_ID = /^A\d{6}[0-9A-F]{8,40}$/;
export const CASE_ID = /^[A-Z]\d{6}[0-9A-F]{8,40}$/;
const LOOKS_LIKE_ID_NUMBER = /^\d{6,17}[\dXx]?$/;

export const listQuery = {
  village: villageCodeSchema.optional().describe('A village (12 digits) within the caller’s region'),
  township: townshipCodeSchema.optional().describe('A township (9 digits) within the caller’s region'),
  q: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .optional()
    .describe('A name prefix (any member, past members included) or an application or case id'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .min(1)
    .max(600)
    .optional()
    .describe('The `nextCursor` of the previous page, with the same filters'),
};

/** The narrowest of the caller's region, the township and the village named, as a range of villages. */
export function scopeOf(
  caller: Caller,
  asked: { village?: string; township?: string },
): { region: string; scope: ListScope } {
  if (!isRegionCode(caller.region)) throw forbidden("the caller's region reaches nothing");
  const { village, township } = asked;
  if (village && township && !village.startsWith(township))
    throw badRequest('village: not a village of the township named', [
      { path: 'village', message: 'not in the township' },
    ]);
  const narrowest = village ?? township;
  if (!narrowest) return { region: caller.region, scope: listScope(caller.region) };
  if (!narrowest.startsWith(caller.region) && !caller.region.startsWith(narrowest))
    throw forbidden("the caller's region does not reach this township or village");
  const region = narrowest.length > caller.region.length ? narrowest : caller.region;
  return { region, scope: listScope(region) };
}

export type Search = { id: string } | { name: string };

/** `q` as an id or a name prefix; an ID number (or any run of digits) is refused. */
export function searchOf(q: string | undefined, isId: (q: string) => boolean): Search | undefined {
  if (q === undefined) return undefined;
  if (LOOKS_LIKE_ID_NUMBER.test(q))
    throw badRequest('q: an ID number is not searched in a URL; use POST /v1/people/lookup', [
      { path: 'q', message: 'a name prefix or an application or case id' },
    ]);
  if (isId(q)) return { id: q };
  // Postgres text refuses NUL, and no name holds a control character.
  if ([...q].some((ch) => ch.charCodeAt(0) < 0x20))
    throw badRequest('q: a name prefix has no control characters', [
      { path: 'q', message: 'control character' },
    ]);
  return { name: q };
}

/** R-O7: who a list's reads are audited as (each record a page or a roster shows, one event). */
export const readerOf = (u: { sub: string; role: string }) => ({ actorSub: u.sub, actorRole: u.role });
