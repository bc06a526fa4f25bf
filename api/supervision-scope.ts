import { z } from 'zod';
import type { OverdueKey } from '../db/repositories/overdue';
import { SUPERVISED_KINDS } from '../db/repositories/supervision';
import { isCivilDate } from '../domain/dates';
import { isRegionCode } from '../domain/region';
import type { Caller } from './plugins/auth';
import { badRequest, forbidden } from './problem';

// R-O3: what the supervision routes share: the caller's reach over a township (or region) it
// names, and the overdue list's opaque cursor (the last item's sort key, base64url JSON; the
// client only hands it back).

/** The caller's region must be a region, and reach the township (or region) asked for. */
export function assertSupervisedRegion(caller: Caller, asked?: string): void {
  const region = caller.region;
  if (!isRegionCode(region)) throw forbidden("the caller's region reaches nothing");
  if (asked && !asked.startsWith(region) && !region.startsWith(asked))
    throw forbidden("the caller's region does not reach this township");
}

const keySchema = z.object({
  o: z.boolean(),
  d: z.string().refine(isCivilDate),
  k: z.enum(SUPERVISED_KINDS),
  s: z.string().min(1).max(200),
  t: z.string().max(200).nullable(),
});

export function encodeCursor(key: OverdueKey): string {
  const raw = { o: key.overdue, d: key.dueOn, k: key.kind, s: key.subjectId, t: key.taskId };
  return Buffer.from(JSON.stringify(raw)).toString('base64url');
}

/** The key a cursor names; a cursor the API did not issue is a 400. */
export function decodeCursor(cursor: string): OverdueKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor: not a cursor of this list', [{ path: 'cursor', message: 'unknown cursor' }]);
  }
  const r = keySchema.safeParse(parsed);
  if (!r.success)
    throw badRequest('cursor: not a cursor of this list', [{ path: 'cursor', message: 'unknown cursor' }]);
  return { overdue: r.data.o, dueOn: r.data.d, kind: r.data.k, subjectId: r.data.s, taskId: r.data.t };
}
