import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { reaches } from '../../domain/region';
import { caseWorkflowId, comparisonHitSignal } from '../../workflows/contracts';
import { takeDeathNotices } from '../death-intake';
import { actorOf, countOutcomes, eachLimited, type LineResult, parseLines } from '../intake';
import { problemResponses } from '../problem';
import {
  comparisonHitBatch,
  comparisonHitItem,
  comparisonHitReport,
  deathNoticeBatch,
  deathNoticeItem,
  deathNoticeReport,
} from '../schemas/intake';

// API.md "Integrations": batches of death notices (R-M2, routed by api/death-intake.ts) and
// data-comparison hits (R-M6). The API finds the case holding each person (a repository read),
// answers each line, and forwards it to the case as a Signal (deduplicated there by the sender's
// id); the workflow opens the review or check and records what it made of a death notice. A hit
// never removes anyone by itself (R-A11).

type HitItem = z.output<ReturnType<typeof comparisonHitItem>>;

export const integrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const handle = (caseId: string) => app.temporal.workflow.getHandle(caseWorkflowId(caseId));
  const { cases, comparisonHits } = app.repos;
  // A batch may hold 5000 lines: more than Fastify's 1 MiB default body.
  const write = {
    config: { roles: ['integration'] as const },
    preHandler: [app.idempotency],
    bodyLimit: 8 * 1024 * 1024,
  };
  /** Signals each line's case; a case whose workflow is gone holds nobody any more (`gone`). */
  const forward = async <L>(
    lines: L[],
    signal: (line: L) => Promise<void>,
    gone: (line: L) => void | Promise<void>,
  ) =>
    eachLimited(lines, 16, async (line) => {
      try {
        await signal(line);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err; // Temporal away: nothing recorded, the retry resends
        await gone(line);
      }
    });

  app.post(
    '/integrations/death-notices',
    {
      ...write,
      schema: {
        tags: ['integrations'],
        summary: 'A batch of death notices (R-M2)',
        description:
          'Each line is checked on its own. A notice id already received is a duplicate; the same death ' +
          'from another source still reaches the case, which counts it once. A closed case gets it too ' +
          '(a death inside paid months is recovered). A person of a pending application, or of no ' +
          'case, is kept: the case that comes to hold them applies it.',
        body: deathNoticeBatch,
        response: { 202: deathNoticeReport, ...problemResponses },
      },
    },
    async (req, reply) => {
      const { results, valid } = parseLines(
        req.body.notices,
        deathNoticeItem(),
        (n) => n.noticeId,
        'noticeId',
      );
      await takeDeathNotices(app, req.user, valid);
      return reply.code(202).send({
        results: results.map(({ id, ...r }) => ({ ...r, noticeId: id })),
        counts: countOutcomes(results),
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
      const reportedBy = actorOf(req.user); // R-O6: the case records the hit and its check as this sender
      const { results, valid } = parseLines(req.body.hits, comparisonHitItem(), (h) => h.hitId, 'hitId');
      const holders = await cases.holdersOf(valid.map((v) => v.item.idNumber));
      const lines = valid.flatMap((line) => {
        const c = holders.get(line.item.idNumber);
        if (c?.deceased) return [{ line, caseId: null }]; // a hit is for the living: no case holds them
        if (c && !reaches(req.user.region, c.villageCode)) {
          line.result.outcome = 'forbidden';
          return [];
        }
        return [{ line, caseId: c?.caseId ?? null }];
      });
      const rows = lines.map(({ line, caseId }) => ({
        hit: line.item,
        caseId,
        outcome: caseId ? ('matched' as const) : ('unknown' as const),
      }));
      const inserted = await comparisonHits.record(rows);
      // A hit id already received that reached a case is sent again: the case deduplicates by the id.
      const again = await comparisonHits.forwarded(
        lines.filter((l) => !inserted.has(l.line.item.hitId)).map((l) => l.line.item.hitId),
      );
      const send: { result: LineResult; item: HitItem; caseId: string }[] = [];
      for (const [i, { line, caseId }] of lines.entries()) {
        const id = line.item.hitId;
        if (inserted.has(id)) {
          line.result.outcome = rows[i]!.outcome;
          if (caseId) line.result.caseId = caseId;
        }
        if (caseId && (inserted.has(id) || again.has(id))) send.push({ ...line, caseId });
      }
      await forward(
        send,
        (l) => handle(l.caseId).signal(comparisonHitSignal, { ...l.item, reportedBy }),
        async (l) => {
          await comparisonHits.markUnknown(l.item.hitId);
          if (l.result.outcome === 'matched') l.result.outcome = 'unknown';
        },
      );
      return reply.code(202).send({
        results: results.map(({ id, ...r }) => ({ ...r, hitId: id })),
        counts: countOutcomes(results),
      });
    },
  );
};
