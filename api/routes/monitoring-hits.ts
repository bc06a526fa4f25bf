import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { sendFinding } from '../../clients/register-entry';
import { civilDateOf } from '../../domain/dates';
import { countyOf, reaches } from '../../domain/region';
import { monitoringHitSignal, registerWorkflowId } from '../../workflows/contracts';
import { actorOf, eachLimited, parseLines } from '../intake';
import { problemResponses } from '../problem';
import {
  MONITORING_OUTCOMES,
  monitoringHitBatch,
  monitoringHitItem,
  monitoringHitReport,
} from '../schemas/register';

// API.md "Low-income register": quarterly screening hits and warning indicators (R-L2). Each line is
// checked on its own and recorded once by hit id (monitoring_hits, this intake its one writer); a
// person in the register gets the hit on the household's entry as a Signal (deduplicated there), which
// opens a visit due in 15 working days. A person not yet registered, with a village, is registered
// as found by data comparison (R-L1). A hit never changes anyone's benefit by itself (R-A11).

type Item = z.output<ReturnType<typeof monitoringHitItem>>;
type Outcome = (typeof MONITORING_OUTCOMES)[number];

export const monitoringHitRoutes: FastifyPluginAsyncZod = async (app) => {
  const { register } = app.repos;
  app.post(
    '/integrations/monitoring-hits',
    {
      config: { roles: ['integration'] },
      preHandler: [app.idempotency],
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['integrations'],
        summary: 'Quarterly screening hits and warning indicators for the low-income register (R-L2)',
        body: monitoringHitBatch,
        response: { 202: monitoringHitReport, ...problemResponses },
      },
    },
    async (req, reply) => {
      const by = actorOf(req.user);
      const { results, valid } = parseLines(req.body.hits, monitoringHitItem(), (h) => h.hitId, 'hitId');
      const out = results.map((r) => ({
        index: r.index,
        hitId: r.id,
        outcome: r.outcome as Outcome,
        householdId: undefined as string | undefined,
        problems: r.problems,
      }));
      const holders = await register.holdersOf(valid.map((v) => v.item.idNumber));
      type Line = {
        at: number;
        item: Item;
        key: string | null;
        outcome: 'matched' | 'registered' | 'unknown';
      };
      const lines: Line[] = [];
      for (const { result, item } of valid) {
        const at = results.indexOf(result);
        const h = holders.get(item.idNumber);
        const village = h?.villageCode ?? item.villageCode;
        if (village && !reaches(req.user.region, village)) out[at]!.outcome = 'forbidden';
        else if (h) lines.push({ at, item, key: h.householdKey, outcome: 'matched' });
        else lines.push({ at, item, key: null, outcome: item.villageCode ? 'registered' : 'unknown' });
      }
      // A person not registered yet, with a village: the entry is started with the finding first.
      await eachLimited(
        lines.filter((l) => l.outcome === 'registered'),
        8,
        async (l) => {
          l.key = await sendFinding(app.temporal, app.config.TEMPORAL_TASK_QUEUE, app.repos, app.idKeys, {
            findingId: `hit:${l.item.hitId}`,
            source: 'data_comparison',
            villageCode: l.item.villageCode!,
            members: [{ idNumber: l.item.idNumber, name: '', relation: 'applicant' }],
            add: [],
            note: l.item.kind,
            on: civilDateOf(new Date()),
            by,
          });
        },
      );
      const inserted = await register.recordHits(
        lines.map((l) => ({ hit: l.item, householdKey: l.key, outcome: l.outcome, reportedBy: by.sub })),
      );
      // A hit id already received that reached a household is sent again: the entry dedupes by id.
      const again = await register.forwardedHits(
        lines.filter((l) => !inserted.has(l.item.hitId)).map((l) => l.item.hitId),
      );
      const send: { item: Item; key: string }[] = [];
      for (const l of lines) {
        const id = l.item.hitId;
        if (inserted.has(id)) {
          out[l.at]!.outcome = l.outcome;
          out[l.at]!.householdId = l.key ?? undefined;
        }
        const key = inserted.has(id) ? l.key : again.get(id);
        if (key) send.push({ item: l.item, key });
      }
      await eachLimited(send, 16, async ({ item, key }) => {
        const county = countyOf(item.villageCode ?? holders.get(item.idNumber)!.villageCode);
        try {
          const { villageCode: _v, ...hit } = item;
          // R-O6: the entry records the warning as the integration that sent it.
          await app.temporal.workflow
            .getHandle(registerWorkflowId(county, key))
            .signal(monitoringHitSignal, { ...hit, reportedBy: by });
        } catch (err) {
          // Temporal away: the hit is recorded and the resend signals it again.
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      });
      const counts = Object.fromEntries(MONITORING_OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
      for (const r of out) counts[r.outcome]++;
      return reply.code(202).send({ results: out, counts });
    },
  );
};
