import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { reaches } from '../../domain/region';
import {
  type ComparisonHit,
  caseWorkflowId,
  comparisonHitSignal,
  type DeathNotice,
  deathNoticeSignal,
} from '../../workflows/messages';
import type { Caller } from '../plugins/auth';
import { problemResponses } from '../problem';
import {
  comparisonHitBatch,
  comparisonHitItem,
  comparisonHitReport,
  deathNoticeBatch,
  deathNoticeItem,
  deathNoticeReport,
  INTAKE_OUTCOMES,
  type IntakeOutcome,
} from '../schemas/cases';

// API.md "Integrations": batches of death notices (R-M2) and data-comparison hits (R-M6). The API
// only forwards a line to the case that holds the person (a Signal, deduplicated by the sender's id);
// the workflow opens the review or check, and a hit never removes anyone by itself (R-A11).

export interface PersonCase {
  caseId: string;
  villageCode: string;
  status: string;
  /** The person's enrolment was released because the case already recorded the death. */
  deceased: boolean;
}

/**
 * The case holding each person: the active enrolment (R-A1), or else the case that already recorded
 * the person's death, so that the same death reported again is still one event of that case (R-M2).
 */
export async function casesOfPersons(
  db: pg.Pool | pg.PoolClient,
  idNumbers: string[],
): Promise<Map<string, PersonCase>> {
  const { rows } = await db.query(
    `SELECT DISTINCT ON (pe.id_number) pe.id_number, c.case_id, c.village_code, c.status,
            pe.released_at IS NOT NULL AS deceased
     FROM person_enrolments pe JOIN cases c ON c.case_id = pe.holder_id
     WHERE pe.holder_kind = 'case' AND pe.id_number = ANY($1::text[])
       AND (pe.released_at IS NULL
            OR c.view->'deaths' @> jsonb_build_array(jsonb_build_object('idNumber', pe.id_number)))
     ORDER BY pe.id_number, (pe.released_at IS NULL) DESC, pe.held_at DESC`,
    [idNumbers],
  );
  return new Map(
    rows.map((r) => [
      r.id_number,
      { caseId: r.case_id, villageCode: r.village_code, status: r.status, deceased: r.deceased },
    ]),
  );
}

/** Inserts death notices; returns the ids actually inserted (a conflict means already received). */
export async function insertDeathNotices(
  db: pg.Pool | pg.PoolClient,
  rows: { notice: Omit<DeathNotice, 'receivedOn'>; caseId: string | null; outcome: string }[],
  reportedBy: string,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: inserted } = await db.query(
    `INSERT INTO death_notices (notice_id, id_number, died_on, source, case_id, outcome, reported_by)
     SELECT n, i, d, s, c, o, $7 FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[])
       AS t(n, i, d, s, c, o)
     ON CONFLICT (notice_id) DO NOTHING RETURNING notice_id`,
    [
      rows.map((r) => r.notice.noticeId),
      rows.map((r) => r.notice.idNumber),
      rows.map((r) => r.notice.diedOn),
      rows.map((r) => r.notice.source),
      rows.map((r) => r.caseId),
      rows.map((r) => r.outcome),
      reportedBy,
    ],
  );
  return new Set(inserted.map((r) => r.notice_id as string));
}

/** Runs `fn` over `items`, at most `limit` at a time (a batch may hold 5000 lines). */
export async function eachLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

type Result = {
  index: number;
  id?: string;
  outcome: IntakeOutcome;
  caseId?: string;
  problems?: { path: string; message: string }[];
};

interface Intake<T> {
  schema: z.ZodType<T>;
  idOf: (item: T) => string;
  /** Deaths also match the case that already recorded the death (R-M2). */
  deaths: boolean;
  table: 'death_notices' | 'comparison_hits';
  idColumn: 'notice_id' | 'hit_id';
  insert: (rows: { item: T; caseId: string | null; outcome: string }[]) => Promise<Set<string>>;
  signal: (caseId: string, item: T) => Promise<void>;
}

/** One batch: each line parsed on its own, deduplicated race-free by the insert, then forwarded. */
async function intake<T extends { idNumber: string }>(
  app: FastifyInstance,
  caller: Caller,
  raw: unknown[],
  spec: Intake<T>,
): Promise<{ results: Result[]; counts: Record<IntakeOutcome, number> }> {
  const results: Result[] = [];
  const valid: { result: Result; item: T }[] = [];
  const seen = new Set<string>();
  raw.forEach((line, index) => {
    const parsed = spec.schema.safeParse(line);
    if (!parsed.success) {
      const id = (line as Record<string, unknown> | null)?.[
        spec.idColumn === 'notice_id' ? 'noticeId' : 'hitId'
      ];
      const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      results.push({ index, id: typeof id === 'string' ? id : undefined, outcome: 'invalid', problems });
      return;
    }
    const id = spec.idOf(parsed.data);
    const result: Result = { index, id, outcome: 'duplicate' };
    results.push(result);
    if (seen.has(id)) return; // repeated within the batch: the first line counts
    seen.add(id);
    valid.push({ result, item: parsed.data });
  });

  const cases = await casesOfPersons(
    app.pg,
    valid.map((v) => v.item.idNumber),
  );
  const toInsert: { result: Result; item: T; caseId: string | null; outcome: string }[] = [];
  for (const v of valid) {
    let c = cases.get(v.item.idNumber);
    if (c?.deceased && !spec.deaths) c = undefined;
    if (c && !reaches(caller.region, c.villageCode)) {
      v.result.outcome = 'forbidden';
      continue;
    }
    // A closed case that already recorded this death takes no more signals: one event (R-M2).
    const outcome = !c ? 'unknown' : c.deceased && c.status === 'closed' ? 'duplicate' : 'matched';
    toInsert.push({ ...v, caseId: c?.caseId ?? null, outcome });
  }
  const inserted = await spec.insert(toInsert);

  // An id already received is a duplicate; if its case never confirmed it (the signal may have
  // failed after the insert), it is sent again: the workflow deduplicates by the id.
  const again = toInsert.filter((t) => !inserted.has(spec.idOf(t.item)) && t.outcome === 'matched');
  const unconfirmed = new Set<string>();
  if (again.length > 0) {
    const { rows } = await app.pg.query(
      `SELECT ${spec.idColumn} AS id FROM ${spec.table}
       WHERE ${spec.idColumn} = ANY($1::text[]) AND outcome = 'matched' AND case_id IS NOT NULL`,
      [again.map((t) => spec.idOf(t.item))],
    );
    for (const r of rows) unconfirmed.add(r.id);
  }
  const send = toInsert.filter((t) => {
    const id = spec.idOf(t.item);
    if (inserted.has(id)) {
      t.result.outcome = t.outcome as IntakeOutcome;
      if (t.caseId) t.result.caseId = t.caseId;
      return t.outcome === 'matched';
    }
    return unconfirmed.has(id);
  });
  await eachLimited(send, 16, async (t) => {
    try {
      await spec.signal(t.caseId!, t.item);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // Temporal down: 500, the retry resends
      // The case's workflow is gone: nothing holds the person any more.
      await app.pg.query(`UPDATE ${spec.table} SET outcome = 'unknown' WHERE ${spec.idColumn} = $1`, [
        spec.idOf(t.item),
      ]);
      if (t.result.outcome === 'matched') t.result.outcome = 'unknown';
    }
  });

  const counts = Object.fromEntries(INTAKE_OUTCOMES.map((o) => [o, 0])) as Record<IntakeOutcome, number>;
  for (const r of results) counts[r.outcome]++;
  return { results, counts };
}

export const integrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const handle = (caseId: string) => app.temporal.workflow.getHandle(caseWorkflowId(caseId));
  // A batch may hold 5000 lines: more than Fastify's 1 MiB default body.
  const write = { preHandler: [app.requireRole('integration'), app.idempotency], bodyLimit: 8 * 1024 * 1024 };

  app.post(
    '/integrations/death-notices',
    {
      ...write,
      schema: {
        tags: ['integrations'],
        summary: 'A batch of death notices (R-M2)',
        description:
          'Each line is checked on its own. A notice id already received is a duplicate; the same death ' +
          'from another source still reaches the case, which counts it once. Unknown persons are recorded.',
        body: deathNoticeBatch,
        response: { 202: deathNoticeReport, ...problemResponses },
      },
    },
    async (req, reply) => {
      const receivedOn = civilDateOf(new Date());
      type Item = z.output<ReturnType<typeof deathNoticeItem>>;
      const { results, counts } = await intake<Item>(app, req.user, req.body.notices, {
        schema: deathNoticeItem(),
        idOf: (n) => n.noticeId,
        deaths: true,
        table: 'death_notices',
        idColumn: 'notice_id',
        insert: (rows) =>
          insertDeathNotices(
            app.pg,
            rows.map((r) => ({ notice: r.item, caseId: r.caseId, outcome: r.outcome })),
            req.user.sub,
          ),
        signal: (caseId, n) => handle(caseId).signal(deathNoticeSignal, { ...n, receivedOn }),
      });
      return reply.code(202).send({
        results: results.map(({ id, ...r }) => ({ ...r, noticeId: id })),
        counts,
      });
    },
  );

  app.post(
    '/integrations/comparison-hits',
    {
      ...write,
      schema: {
        tags: ['integrations'],
        summary: 'A batch of data-comparison hits (R-M6)',
        description:
          'Each hit held by a case opens a check there, due in 2 weeks; a hit never removes anyone by ' +
          'itself (R-A11). Lines are checked on their own; a hit id already received is a duplicate.',
        body: comparisonHitBatch,
        response: { 202: comparisonHitReport, ...problemResponses },
      },
    },
    async (req, reply) => {
      type Item = z.output<ReturnType<typeof comparisonHitItem>>;
      const { results, counts } = await intake<Item>(app, req.user, req.body.hits, {
        schema: comparisonHitItem(),
        idOf: (h) => h.hitId,
        deaths: false,
        table: 'comparison_hits',
        idColumn: 'hit_id',
        insert: async (rows) => {
          if (rows.length === 0) return new Set();
          const { rows: ins } = await app.pg.query(
            `INSERT INTO comparison_hits (hit_id, kind, id_number, detected_on, source, details, case_id, outcome)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[],
               $7::text[], $8::text[])
             ON CONFLICT (hit_id) DO NOTHING RETURNING hit_id`,
            [
              rows.map((r) => r.item.hitId),
              rows.map((r) => r.item.kind),
              rows.map((r) => r.item.idNumber),
              rows.map((r) => r.item.detectedOn),
              rows.map((r) => r.item.source),
              rows.map((r) => r.item.details),
              rows.map((r) => r.caseId),
              rows.map((r) => r.outcome),
            ],
          );
          return new Set(ins.map((r) => r.hit_id as string));
        },
        signal: (caseId, h) => handle(caseId).signal(comparisonHitSignal, h satisfies ComparisonHit),
      });
      return reply.code(202).send({
        results: results.map(({ id, ...r }) => ({ ...r, hitId: id })),
        counts,
      });
    },
  );
};
