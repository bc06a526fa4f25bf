import { randomUUID } from 'node:crypto';
import type pg from 'pg';

// R-O6: the one writer of `audit_events`. Every decision records who, when and why, appended in the
// transaction of the write it explains (a workflow's read model, a roster submission) by the
// repository that makes that write; rows are never changed or deleted (trigger). The event key
// names the fact, so a retried activity appends nothing the second time.

type Q = pg.Pool | pg.PoolClient;

export interface AuditEvent {
  /** Unique per fact (`<subject kind>:<subject id>:<seq>`, …): the same fact again writes nothing. */
  eventKey: string;
  subjectKind:
    | 'application'
    | 'case'
    | 'complaint'
    | 'person'
    | 'register'
    | 'roster'
    | 'spot_check'
    | 'temporary_assistance'
    | 'temporal_namespace'
    | 'temporal_workflow'
    | 'retention';
  subjectId: string;
  action: string;
  actorSub: string;
  actorRole: string;
  /** When it happened; the database's clock when absent. */
  occurredAt?: string;
  reason?: string | null;
  parameterVersion?: string | null;
  payload?: Record<string, unknown>;
}

/** A workflow's history entry as its read model keeps it (application, case, complaint, register). */
export interface HistoryEntryLike {
  seq: number;
  at: string;
  action: string;
  by: { sub: string; role: string };
  reason?: string;
}

/** The audit event of a workflow's history entry: one per subject and seq (R-O6). */
export const historyEvent = (
  subjectKind: AuditEvent['subjectKind'],
  subjectId: string,
  e: HistoryEntryLike,
  payload: Record<string, unknown>,
  parameterVersion?: string,
): AuditEvent => ({
  eventKey: `${subjectKind}:${subjectId}:${e.seq}`,
  subjectKind,
  subjectId,
  action: e.action,
  actorSub: e.by.sub,
  actorRole: e.by.role,
  occurredAt: e.at,
  reason: e.reason ?? null,
  parameterVersion: parameterVersion ?? null,
  payload,
});

/** Appends the events in order (ids ascending as given); `db` is the caller's transaction. */
export async function appendAudit(db: Q, events: AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO audit_events (event_key, subject_kind, subject_id, action, actor_sub, actor_role, occurred_at,
       reason, parameter_version, payload)
     SELECT event_key, subject_kind, subject_id, action, sub, role, coalesce(at, now()), reason, version, payload
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
       $8::text[], $9::text[], $10::jsonb[]) WITH ORDINALITY
       AS t(event_key, subject_kind, subject_id, action, sub, role, at, reason, version, payload, n)
     ORDER BY n
     ON CONFLICT (event_key) DO NOTHING`,
    [
      events.map((e) => e.eventKey),
      events.map((e) => e.subjectKind),
      events.map((e) => e.subjectId),
      events.map((e) => e.action),
      events.map((e) => e.actorSub),
      events.map((e) => e.actorRole),
      events.map((e) => e.occurredAt ?? null),
      events.map((e) => e.reason ?? null),
      events.map((e) => e.parameterVersion ?? null),
      events.map((e) => JSON.stringify(e.payload ?? {})),
    ],
  );
}

// R-O7: access to a person's record is itself audited. The codec server appends one event per
// decode request and workflow whose payloads it was asked for — decoded, or refused because the
// caller's region does not cover them — naming who, which workflow's record, and the kinds of
// personal fields it held (never a value).
export interface CodecAccess {
  /** The record the workflow stands for (application, case, complaint, register…), if any. */
  subject?: { kind: string; id: string };
  workflowId?: string;
  /** The county the payloads belong to (absent: written before regions). */
  region?: string;
  payloadCount: number;
  fieldKinds: string[];
}

export interface CodecAccessEvent {
  actorSub: string;
  actorRole: string;
  actorRegion: string;
  namespace: string;
  outcome: 'decoded' | 'refused';
  accesses: CodecAccess[];
}

/** R-O7: a purge of copies kept for technical reasons, older than the retention (RETENTION_DAYS). */
export interface RetentionPurge {
  olderThanDays: number;
  /** The purge run (the retention workflow's id): its event is written once per table. */
  runKey: string;
  by: { sub: string; role: string };
}

/** The audit event of one table's purge (R-O6: who, when, how many; never what). */
export const purgeEvent = (p: RetentionPurge, table: string, rows: number): AuditEvent => ({
  eventKey: `purge:${table}:${p.runKey}`,
  subjectKind: 'retention',
  subjectId: table,
  action: 'purged',
  actorSub: p.by.sub,
  actorRole: p.by.role,
  reason: `R-O7: older than ${p.olderThanDays} days`,
  payload: { table, rows, olderThanDays: p.olderThanDays },
});

/** R-O7: the records whose reads are audited. */
export type ReadSubject = 'application' | 'case' | 'complaint' | 'register' | 'temporary_assistance';

export interface ReadEvent {
  actorSub: string;
  actorRole: string;
  subjectKind: ReadSubject;
  subjectId: string;
  /** What of the record was shown (`application`, `case`, `payments`, `household`, a list's line…). */
  what: string;
}

/** R-O7: the records a list or an export showed at once, each its own read. */
export interface ReadsEvent extends Omit<ReadEvent, 'subjectId'> {
  subjectIds: readonly string[];
}

export function auditRepository(pool: pg.Pool) {
  return {
    /** R-O7: one row per read of a person's record (a random key: every read is one access). */
    recordRead: async (e: ReadEvent): Promise<void> => {
      await appendAudit(pool, [
        {
          eventKey: `read:${randomUUID()}`,
          subjectKind: e.subjectKind,
          subjectId: e.subjectId,
          action: 'read',
          actorSub: e.actorSub,
          actorRole: e.actorRole,
          payload: { what: e.what },
        },
      ]);
    },
    /** R-O7: one row per record a list or an export showed, in one statement (a page, a township's roster). */
    recordReads: async (e: ReadsEvent): Promise<void> => {
      const read = randomUUID();
      await appendAudit(
        pool,
        e.subjectIds.map((id, i) => ({
          eventKey: `read:${read}:${i}`,
          subjectKind: e.subjectKind,
          subjectId: id,
          action: 'read',
          actorSub: e.actorSub,
          actorRole: e.actorRole,
          payload: { what: e.what },
        })),
      );
    },
    /** One row per request and workflow; the event key is random, so a repeated request is a second access. */
    recordCodecAccess: async (e: CodecAccessEvent): Promise<void> => {
      const request = randomUUID();
      await appendAudit(
        pool,
        e.accesses.map((a, i) => ({
          eventKey: `codec_decode:${request}:${i}`,
          subjectKind: (a.subject?.kind ?? 'temporal_namespace') as AuditEvent['subjectKind'],
          subjectId: a.subject?.id ?? e.namespace,
          action: e.outcome === 'decoded' ? 'codec_decode' : 'codec_decode_refused',
          actorSub: e.actorSub,
          actorRole: e.actorRole,
          payload: {
            namespace: e.namespace,
            callerRegion: e.actorRegion,
            workflowId: a.workflowId ?? null,
            region: a.region ?? null,
            payloadCount: a.payloadCount,
            fieldKinds: a.fieldKinds,
          },
        })),
      );
    },
    /** The codec accesses (decoded or refused) recorded for an actor, newest first (tests and supervision). */
    codecDecodesBy: async (actorSub: string) => {
      const { rows } = await pool.query<{
        action: string;
        actorSub: string;
        actorRole: string;
        subjectKind: string;
        subjectId: string;
        namespace: string;
        workflowId: string | null;
        region: string | null;
        payloadCount: number;
        fieldKinds: string[];
      }>(
        `SELECT action, actor_sub AS "actorSub", actor_role AS "actorRole", subject_kind AS "subjectKind",
                subject_id AS "subjectId", payload->>'namespace' AS namespace, payload->>'workflowId' AS "workflowId",
                payload->>'region' AS region, (payload->>'payloadCount')::int AS "payloadCount",
                ARRAY(SELECT jsonb_array_elements_text(payload->'fieldKinds')) AS "fieldKinds"
         FROM audit_events WHERE action IN ('codec_decode', 'codec_decode_refused') AND actor_sub = $1
         ORDER BY id DESC`,
        [actorSub],
      );
      return rows;
    },
  };
}
