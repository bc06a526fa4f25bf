import type pg from 'pg';
import { inTransaction } from '../pool';
import { appendAudit, purgeEvent, type RetentionPurge } from './audit';

// API.md: Idempotency-Key answers (API-owned; no workflow writes this table). A key holds the hash
// of its first request and, once decided, the answer to replay. It never blocks a retry for long:
// a key whose request has run past the timeout without an answer is claimed again and re-run —
// safe, because the request's workflow id and Update id derive from the key, so Temporal itself
// returns the first result.

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'reused' }
  | { kind: 'in_progress'; retryAfterSeconds: number }
  | { kind: 'answered'; statusCode: number; response: unknown };

export function idempotencyRepository(pool: pg.Pool) {
  return {
    async claim(args: {
      caller: string;
      key: string;
      method: string;
      path: string;
      hash: string;
      timeoutMs: number;
    }): Promise<Claim> {
      const { rows } = await pool.query(
        `WITH fresh AS (
           INSERT INTO idempotency_keys (caller, key, method, path, request_hash)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 'claimed'::text AS kind
         ), stale AS (
           UPDATE idempotency_keys SET claimed_at = now()
           WHERE caller = $1 AND key = $2 AND request_hash = $5 AND status_code IS NULL
             AND claimed_at < now() - make_interval(secs => $6::float8 / 1000)
             AND NOT EXISTS (SELECT 1 FROM fresh)
           RETURNING 'claimed'::text AS kind
         )
         SELECT kind, NULL::text AS request_hash, NULL::int AS status_code, NULL::jsonb AS response,
                0::float8 AS age_ms FROM fresh
         UNION ALL SELECT kind, NULL, NULL, NULL, 0 FROM stale
         UNION ALL SELECT 'existing', request_hash, status_code, response,
                extract(epoch FROM now() - claimed_at) * 1000
           FROM idempotency_keys
           WHERE caller = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM fresh) AND NOT EXISTS (SELECT 1 FROM stale)`,
        [args.caller, args.key, args.method, args.path, args.hash, args.timeoutMs],
      );
      const row = rows[0];
      // No row at all: a concurrent request with the key committed after this statement began.
      if (!row) return { kind: 'in_progress', retryAfterSeconds: 1 };
      if (row.kind === 'claimed') return { kind: 'claimed' };
      if (row.request_hash !== args.hash) return { kind: 'reused' };
      if (row.status_code === null) {
        const left = Math.max(1, Math.ceil((args.timeoutMs - Number(row.age_ms)) / 1000));
        return { kind: 'in_progress', retryAfterSeconds: left };
      }
      return { kind: 'answered', statusCode: row.status_code, response: row.response };
    },

    /** The decided answer, replayed to every later request with the key. */
    async answer(caller: string, key: string, statusCode: number, response: unknown) {
      await pool.query(
        `UPDATE idempotency_keys SET status_code = $3, response = $4, completed_at = now()
         WHERE caller = $1 AND key = $2`,
        [caller, key, statusCode, JSON.stringify(response)],
      );
    },

    /**
     * R-O7: keys older than `olderThanDays` go, with their answers (a retry that late is a new
     * request); one audit event says how many, in the same transaction.
     */
    async purgeOlderThan(p: RetentionPurge): Promise<number> {
      return inTransaction(pool, async (c) => {
        const { rowCount } = await c.query(
          `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => $1)`,
          [p.olderThanDays],
        );
        await appendAudit(c, [purgeEvent(p, 'idempotency_keys', rowCount ?? 0)]);
        return rowCount ?? 0;
      });
    },

    /** No answer was decided (5xx, or a refusal that changed nothing): the next request runs at once. */
    async release(caller: string, key: string) {
      await pool.query(
        `UPDATE idempotency_keys SET claimed_at = '-infinity' WHERE caller = $1 AND key = $2 AND status_code IS NULL`,
        [caller, key],
      );
    },
  };
}
