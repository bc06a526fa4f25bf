import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, civilDateOf } from '../../domain/dates';
import { type CaseInput, caseWorkflowId, type DeathNotice } from '../../workflows/contracts';
import { actor, COUNTY, caseInput } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// An imported case's first workflow task (time-skipping server, in-memory activities): what it
// reads before its first month — its input, newer standards (R-M8), death notices waiting for its
// members (R-M2) — is one local activity, and what it read still applies.
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

/** The local activities of a history, in order, from their markers. */
function localActivities(events: { markerRecordedEventAttributes?: unknown }[]): string[] {
  return events.flatMap((e) => {
    const m = e.markerRecordedEventAttributes as
      | { markerName?: string; details?: Record<string, { payloads?: { data?: Uint8Array }[] }> }
      | undefined;
    const data = m?.markerName === 'core_local_activity' ? m.details?.data?.payloads?.[0]?.data : undefined;
    return data ? [JSON.parse(Buffer.from(data).toString('utf8')).activity_type as string] : [];
  });
}

describe('an imported case starts (time-skipping)', () => {
  it('R-M1 R-M2: its reads are one local activity in its first task, and a death notice waiting for a member applies', async () => {
    const on = civilDateOf(new Date(await h.env.currentTimeMs()));
    const caseId = 'CIMP-reads';
    const input: CaseInput = {
      ...caseInput({ approvedOn: addDays(on, -400), startMonth: '2024-03', caseId }),
      applicationId: '',
      imported: { importId: 'I-7', importedBy: 'admin-7', nextReviewOn: addDays(on, 300) },
    };
    h.calls.imported.set(caseId, input);
    const member = input.members[1]!.idNumber;
    const kept: DeathNotice = {
      noticeId: 'kept-imp',
      idNumber: member,
      diedOn: addDays(on, -20),
      source: 'health',
      receivedOn: addDays(on, -10),
      reportedBy: actor('integration', COUNTY, 'health-bureau'),
    };
    h.calls.waitingNotices.set(member, [kept]);
    const handle = await h.env.client.workflow.start('caseWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: caseWorkflowId(caseId),
      args: [{ importRef: { importId: 'I-7', seq: 1, caseId } }],
    });
    let events = (await handle.fetchHistory()).events ?? [];
    for (let i = 0; i < 100 && !events.some((e) => e.workflowTaskCompletedEventAttributes); i++) {
      await new Promise((r) => setTimeout(r, 50));
      events = (await handle.fetchHistory()).events ?? [];
    }
    // The first task's events: up to the second workflow task scheduled.
    const second = events.findIndex((e, k) => k > 1 && e.workflowTaskScheduledEventAttributes);
    const reads = localActivities(second > 0 ? events.slice(0, second) : events);
    expect(reads[0]).toBe('importedCaseStart');
    for (const one of ['importedCaseInput', 'newerPolicies', 'waitingDeathNotices'])
      expect(reads).not.toContain(one);
    expect(reads).toContain('saveCase');
    // R-M2: the waiting notice reached the case and was recorded by it.
    expect(h.calls.deathNotices.map((d) => [d.caseId, d.notice.noticeId])).toEqual([[caseId, 'kept-imp']]);
  }, 60_000);
});
