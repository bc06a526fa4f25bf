import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, dayInMonth } from '../../domain/dates';
import {
  type CaseInput,
  type CaseView,
  caseWorkflowId,
  comparisonHitSignal,
  type DeathNotice,
  deathNoticeSignal,
  demandIdOf,
  demandStepUpdate,
  reviewResultUpdate,
} from '../../workflows/contracts';
import { caseKit } from '../helpers/case-kit';
import { actor, COUNTY, policy } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// R-M2 deaths beyond the ordinary one in the case workflow (time-skipping server): notices that
// waited for a case to hold their person, extreme-poverty support per person (R-E6), and a death
// the case learns of after it closed (R-M10), also once its workflow has completed.
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const { today, sleepUntil, startCase, view, monthsOf } = caseKit(() => h);
const county = actor('county_staff', COUNTY, 'county-clerk-4');
/** Extreme-poverty support paid monthly (R-E6, from Oct 2024). */
const MONTHLY = policy('2024-10-01');

const notice = async (idNumber: string, diedOn: string, noticeId: string): Promise<DeathNotice> => ({
  noticeId,
  idNumber,
  diedOn,
  source: 'health',
  receivedOn: await today(),
  reportedBy: actor('integration', COUNTY, 'health-bureau'),
});

/** Closes the case by a data check's stop from `fromMonth` (county staff), as staff would. */
async function stopByCheck(
  handle: Awaited<ReturnType<typeof startCase>>['handle'],
  idNumber: string,
  fromMonth: string,
) {
  await handle.signal(comparisonHitSignal, {
    hitId: 'h-1',
    kind: 'police_deregistration',
    idNumber,
    detectedOn: await today(),
    source: 'police',
    details: 'moved away',
  });
  await handle.executeUpdate(reviewResultUpdate, {
    args: [
      { actor: county, taskId: 'check-h-1', outcome: 'stop', fromMonth, reasons: 'moved out of the county' },
    ],
  });
}

describe('deaths the case learns of late or per person (time-skipping)', () => {
  it('R-M2: notices that waited for their persons apply when the case starts — a death before the approval closes a one-person case from its first month, a larger household gets a county check', async () => {
    /** A notice kept for the given member before the case existed (dated before its approval). */
    const waiting = (i: number, days: number, noticeId: string) => async (input: CaseInput) => {
      const id = input.members[i]!.idNumber;
      h.calls.waitingNotices.set(id, [await notice(id, addDays(input.approvedOn, days), noticeId)]);
    };
    const one = await startCase({ size: 1 }, waiting(0, -3, 'kept-1'));
    await sleepUntil(addDays(await today(), 1));
    const v: CaseView = await view(one.handle);
    expect(v).toMatchObject({
      status: 'closed',
      closed: { reason: 'death', fromMonth: one.input.startMonth },
    });
    expect(v.history.map((e) => e.action)).toContain('death_before_admission');
    expect(v.history.find((e) => e.action === 'death_recorded')?.by).toMatchObject({ sub: 'health-bureau' });
    expect(h.calls.deathNotices).toEqual([
      expect.objectContaining({
        caseId: one.input.caseId,
        outcome: 'applied',
        notice: expect.objectContaining({ noticeId: 'kept-1' }),
      }),
    ]);
    expect(monthsOf(one.input.caseId)).toEqual([]); // nothing was paid for a household that did not exist

    const three = await startCase({ size: 3 }, waiting(2, -1, 'kept-2'));
    await sleepUntil(addDays(await today(), 1));
    const w = await view(three.handle);
    expect(w.status).toBe('active');
    expect(w.tasks.map((t) => [t.kind, t.taskId])).toEqual([
      ['data_check', `admission-${three.input.members[2]!.idNumber}`],
    ]);
  });

  it('R-E6 R-M2: an extreme-poverty person dies — their support ends from the next month with a reduction notice; the other person is still paid; no review', async () => {
    const { input, handle, m } = await startCase({ size: 2, category: 'extreme_poverty', policy: MONTHLY });
    await sleepUntil(dayInMonth(m(3), 20)); // months 1, 2, 3 rostered at 1000.00
    await handle.signal(
      deathNoticeSignal,
      await notice(input.members[1]!.idNumber, dayInMonth(m(1), 15), 'h-9'),
    );
    await sleepUntil(dayInMonth(m(4), 20));
    const v = await view(handle);
    expect(v.tasks.filter((t) => t.kind === 'death_review')).toEqual([]);
    expect(v).toMatchObject({ status: 'active', monthlyAmount: '500.00', persons: 1 });
    expect(h.calls.adjustments.map((a) => a.adjustment)).toEqual([
      expect.objectContaining({ kind: 'recovery', amount: '1000.00', months: [m(2), m(3)] }),
    ]);
    expect(h.calls.notices.map((n) => n.kind)).toEqual(['reduction']);
    expect(monthsOf(input.caseId).at(-1)?.month).toMatchObject({ month: m(4), amount: '500.00', persons: 1 });
  });

  it('R-M2 R-M10: a death reported after the case closed and its workflow completed — started again with its saved state, the case demands the months paid after the death', async () => {
    const { input, handle, m } = await startCase({ size: 1 });
    await sleepUntil(dayInMonth(m(3), 20)); // months 1, 2, 3 rostered
    await stopByCheck(handle, input.members[0]!.idNumber, m(4));
    await expect(handle.result()).resolves.toMatchObject({ status: 'closed' }); // nothing owed: done
    expect(h.calls.demands).toEqual([]);
    const registered = h.calls.registerFindings.length;

    // What the intake does for a closed case: signal-with-start, the saved view carried.
    const saved = h.calls.caseSaves.at(-1)!.view;
    const late = await notice(input.members[0]!.idNumber, dayInMonth(m(1), 15), 'late-1');
    const restarted = await h.env.client.workflow.signalWithStart('caseWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: caseWorkflowId(input.caseId),
      args: [{ ...input, carried: saved }],
      signal: deathNoticeSignal,
      signalArgs: [late],
    });
    await sleepUntil(addDays(await today(), 1));
    const demandId = demandIdOf(input.caseId, 1);
    const v = await view(restarted);
    expect(v.demands).toEqual([
      expect.objectContaining({ demandId, amount: '2000.00', months: [m(2), m(3)], status: 'open' }),
    ]);
    expect(h.calls.notices.map((n) => n.kind)).toEqual(['stop', 'repayment_demand']);
    expect(h.calls.deathNotices.map((d) => [d.notice.noticeId, d.outcome])).toEqual([['late-1', 'applied']]);
    expect(h.calls.registerFindings).toHaveLength(registered); // the closure's register step ran once
    expect(h.calls.caseSaves.at(-1)!.view.revision).toBeGreaterThan(saved.revision);
    await restarted.executeUpdate(demandStepUpdate, {
      args: [
        {
          actor: county,
          demandId,
          stepId: 'w-1',
          kind: 'write_off',
          decidedOn: await today(),
          decisionRef: '县民政局〔2027〕3号',
          reasons: 'no estate',
        },
      ],
    });
    await expect(restarted.result()).resolves.toMatchObject({ status: 'closed' });
  });

  it('R-E6 R-M10: a late death while a closed case tracks its first demand becomes a second demand for the person’s share', async () => {
    const { input, handle, m } = await startCase({ size: 2, category: 'extreme_poverty', policy: MONTHLY });
    await sleepUntil(dayInMonth(m(3), 20));
    // Stopped from a month already paid: that month is recovered and demanded at once.
    await stopByCheck(handle, input.members[0]!.idNumber, m(3));
    await sleepUntil(addDays(await today(), 1));
    expect((await view(handle)).demands?.map((d) => [d.amount, d.months])).toEqual([['1000.00', [m(3)]]]);
    await handle.signal(
      deathNoticeSignal,
      await notice(input.members[1]!.idNumber, dayInMonth(m(1), 2), 'late-2'),
    );
    await sleepUntil(addDays(await today(), 1));
    const v = await view(handle);
    expect(v.demands?.map((d) => [d.demandId, d.amount, d.months, d.status])).toEqual([
      [demandIdOf(input.caseId, 1), '1000.00', [m(3)], 'open'],
      [demandIdOf(input.caseId, 2), '500.00', [m(2)], 'open'],
    ]);
    expect(h.calls.notices.map((n) => n.kind)).toEqual(['stop', 'repayment_demand', 'repayment_demand']);
  });
});
