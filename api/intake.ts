import type { z } from 'zod';
import type { Actor } from '../domain/roles';
import type { Caller } from './plugins/auth';
import { INTAKE_OUTCOMES, type IntakeOutcome } from './schemas/intake';

// Batches of integration messages (R-M2 death notices, R-M6 hits) and visit-report entries: each
// line is parsed on its own so one bad line never fails a batch, and answered on its own.

export type LineResult = {
  index: number;
  id?: string;
  outcome: IntakeOutcome;
  caseId?: string;
  /** R-M2: the pending application a death notice is kept for. */
  applicationId?: string;
  problems?: { path: string; message: string }[];
};

/**
 * Parses each line; a line repeated within the batch (same id) is a duplicate of the first. Every
 * valid first line starts as `duplicate` until the route decides otherwise.
 */
export function parseLines<T>(
  raw: unknown[],
  schema: z.ZodType<T>,
  idOf: (item: T) => string,
  idField: string,
): { results: LineResult[]; valid: { result: LineResult; item: T }[] } {
  const results: LineResult[] = [];
  const valid: { result: LineResult; item: T }[] = [];
  const seen = new Set<string>();
  raw.forEach((line, index) => {
    const parsed = schema.safeParse(line);
    if (!parsed.success) {
      const id = (line as Record<string, unknown> | null)?.[idField];
      const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      results.push({ index, id: typeof id === 'string' ? id : undefined, outcome: 'invalid', problems });
      return;
    }
    const id = idOf(parsed.data);
    const result: LineResult = { index, id, outcome: 'duplicate' };
    results.push(result);
    if (seen.has(id)) return; // repeated within the batch: the first line counts
    seen.add(id);
    valid.push({ result, item: parsed.data });
  });
  return { results, valid };
}

export function countOutcomes(results: LineResult[]): Record<IntakeOutcome, number> {
  const counts = Object.fromEntries(INTAKE_OUTCOMES.map((o) => [o, 0])) as Record<IntakeOutcome, number>;
  for (const r of results) counts[r.outcome]++;
  return counts;
}

/** Runs `fn` over `items`, at most `limit` at a time (a batch may hold 5000 lines). */
export async function eachLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** R-O6: the caller as the actor of what it reported. */
export const actorOf = (u: Caller): Actor => ({ sub: u.sub, role: u.role, region: u.region });
