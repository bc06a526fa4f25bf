import { z } from 'zod';
import type { LedgerKey } from '../db/repositories/complaint-ledger';
import { isCivilDate } from '../domain/dates';
import { badRequest } from './problem';

// R-O4: the complaints ledger's opaque cursor — the last line's sort key (received on, complaint
// id), base64url JSON; the client only hands it back (as api/supervision-scope.ts does for R-O3).

const keySchema = z.object({
  d: z.string().refine(isCivilDate),
  c: z.string().regex(/^[\w:-]{1,64}$/),
});

export function encodeLedgerCursor(key: LedgerKey): string {
  return Buffer.from(JSON.stringify({ d: key.receivedOn, c: key.complaintId })).toString('base64url');
}

/** The key a cursor names; a cursor the API did not issue is a 400. */
export function decodeLedgerCursor(cursor: string): LedgerKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const r = keySchema.safeParse(parsed);
  if (!r.success)
    throw badRequest('cursor: not a cursor of this list', [{ path: 'cursor', message: 'unknown cursor' }]);
  return { receivedOn: r.data.d, complaintId: r.data.c };
}
