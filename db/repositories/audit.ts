import { randomUUID } from 'node:crypto';
import type pg from 'pg';

// R-O7: access to a person's record is itself audited. `audit_events` is append-only (trigger,
// R-O6); the codec server writes one row per decode request, naming who read how many payloads.
export interface CodecDecodeEvent {
  actorSub: string;
  actorRole: string;
  namespace: string;
  payloadCount: number;
}

export function auditRepository(pool: pg.Pool) {
  return {
    /** One row per decode; the event key is random, so a repeated request is a second access. */
    recordCodecDecode: async (e: CodecDecodeEvent): Promise<void> => {
      await pool.query(
        `INSERT INTO audit_events (event_key, subject_kind, subject_id, action, actor_sub, actor_role,
           occurred_at, payload)
         VALUES ($1, 'temporal_namespace', $2, 'codec_decode', $3, $4, now(), $5)`,
        [
          `codec_decode:${randomUUID()}`,
          e.namespace,
          e.actorSub,
          e.actorRole,
          JSON.stringify({ namespace: e.namespace, payloadCount: e.payloadCount }),
        ],
      );
    },
    /** The codec decodes recorded for an actor, newest first (tests and supervision). */
    codecDecodesBy: async (actorSub: string) => {
      const { rows } = await pool.query<{
        action: string;
        actorSub: string;
        actorRole: string;
        namespace: string;
        payloadCount: number;
      }>(
        `SELECT action, actor_sub AS "actorSub", actor_role AS "actorRole", subject_id AS namespace,
                (payload->>'payloadCount')::int AS "payloadCount"
         FROM audit_events WHERE action = 'codec_decode' AND actor_sub = $1 ORDER BY id DESC`,
        [actorSub],
      );
      return rows;
    },
  };
}
