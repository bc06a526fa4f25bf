import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { civilDateOf } from '../domain/dates';
import { reaches } from '../domain/region';
import { caseWorkflowId, type DeathNotice, deathNoticeSignal } from '../workflows/contracts';
import { closedCaseInput } from './case-restart';
import { actorOf, eachLimited, type LineResult } from './intake';
import type { Caller } from './plugins/auth';
import type { deathNoticeItem } from './schemas/intake';

// R-M2: where each death notice of an integration batch goes. The case holding the person gets it as
// a signal and records what it made of it. A person no case holds is kept (`unmatched_death_notices`)
// and waits: for the pending application holding them (answered `pending`; approved, the new case
// applies it), or for any case that later holds them (an approval, an import). A person whose case
// has closed goes to that case, run again from its saved state when its workflow has completed
// (signal-with-start): a death dated inside paid months raises a repayment demand (R-M10).

type Line = { result: LineResult; item: z.output<ReturnType<typeof deathNoticeItem>> };
type Kept = Line & { applicationId?: string };

export async function takeDeathNotices(app: FastifyInstance, user: Caller, lines: Line[]): Promise<void> {
  const { cases, deathNotices } = app.repos;
  const receivedOn = civilDateOf(new Date());
  const reportedBy = actorOf(user);
  const notice = (l: Line): DeathNotice => ({ ...l.item, receivedOn, reportedBy });
  const handle = (caseId: string) => app.temporal.workflow.getHandle(caseWorkflowId(caseId));
  const ids = lines.map((l) => l.item.idNumber);
  const [holders, received] = await Promise.all([
    cases.holdersOf(ids),
    deathNotices.received(lines.map((l) => l.item.noticeId)),
  ]);
  const free = ids.filter((id) => !holders.has(id));
  const [pending, closed] = await Promise.all([
    deathNotices.pendingApplicationsOf(free),
    deathNotices.closedCasesOf(free),
  ]);

  const send: (Line & { caseId: string; closed: boolean })[] = [];
  const keep: Kept[] = [];
  for (const line of lines) {
    const id = line.item.idNumber;
    const c = holders.get(id);
    const p = c ? undefined : pending.get(id);
    const f = c || p ? undefined : closed.get(id);
    const village = c?.villageCode ?? p?.villageCode ?? f?.villageCode;
    if (village && !reaches(user.region, village)) line.result.outcome = 'forbidden';
    else if (received.has(line.item.noticeId))
      continue; // a case recorded it, or it is kept
    // A closed case that already recorded this death takes no more signals: one event (R-M2).
    else if (c?.deceased && c.status === 'closed') continue;
    else if (c || f) {
      const caseId = (c ?? f)!.caseId;
      Object.assign(line.result, { outcome: 'matched', caseId });
      send.push({ ...line, caseId, closed: !c });
    } else keep.push({ ...line, applicationId: p?.applicationId });
  }

  // Delivery is the signal's: nothing is written for a matched line, the case records the notice,
  // and a retry of a batch whose signal failed finds no record and sends it again.
  await eachLimited(send, 16, async (l) => {
    try {
      const view = l.closed ? (await cases.find(l.caseId))?.view : undefined;
      if (view)
        await app.temporal.workflow.signalWithStart('caseWorkflow', {
          workflowId: caseWorkflowId(l.caseId),
          taskQueue: app.config.TEMPORAL_TASK_QUEUE,
          args: [await closedCaseInput(app, view)],
          signal: deathNoticeSignal,
          signalArgs: [notice(l)],
        });
      else await handle(l.caseId).signal(deathNoticeSignal, notice(l));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // Temporal away: nothing recorded, the retry resends
      l.result.caseId = undefined;
      keep.push(l);
    }
  });

  const kept = await deathNotices.recordUnmatched(
    keep.map((k) => ({ ...k.item, reportedBy, applicationId: k.applicationId })),
  );
  for (const k of keep) {
    k.result.outcome = !kept.has(k.item.noticeId) ? 'duplicate' : k.applicationId ? 'pending' : 'unknown';
    if (k.result.outcome === 'pending') k.result.applicationId = k.applicationId;
  }
  // A case may have come to hold a kept person between the lookup and the keeping (an approval, an
  // import): it read its waiting notices before this one was kept, so it is signalled now (a case
  // counts a notice id once).
  const late = keep.filter((k) => kept.has(k.item.noticeId));
  const now = await cases.holdersOf(late.map((k) => k.item.idNumber));
  await eachLimited(late, 16, async (k) => {
    const c = now.get(k.item.idNumber);
    if (!c || c.deceased || !reaches(user.region, c.villageCode)) return;
    try {
      await handle(c.caseId).signal(deathNoticeSignal, notice(k));
      Object.assign(k.result, { outcome: 'matched', caseId: c.caseId, applicationId: undefined });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // not started yet: its start reads the notice
    }
  });
}
