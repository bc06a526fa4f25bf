import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { addDays, dayInMonth, lastDayOfMonth, monthOf } from '../../domain/dates';
import { deathReviewDue } from '../../domain/deadlines';
import { deathNoticeSignal, deathReportUpdate, reviewResultUpdate } from '../../workflows/contracts';
import { caseKit } from '../helpers/case-kit';
import { actor, COUNTY, idNumber } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// R-M2 deaths in the case workflow on the time-skipping server: notices by signal (integrations,
// visit reports) and by Update (staff), the case recording each notice itself. One server per test.
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const cal = WorkingCalendar.builtin();
const { today, sleepUntil, startCase, view, monthsOf } = caseKit(() => h);

describe('deaths in a case in benefit (time-skipping)', () => {
  it('R-M2: death in a one-person case, notified late — paid for the month of death, two later months recovered', async () => {
    const { input, handle, m } = await startCase({ size: 1 });
    await sleepUntil(dayInMonth(m(3), 20)); // months 1, 2, 3 rostered
    expect(monthsOf(input.caseId)).toHaveLength(3);
    const diedOn = dayInMonth(m(1), 15);
    await handle.signal(deathNoticeSignal, {
      noticeId: 'health-1',
      idNumber: input.members[0]!.idNumber,
      diedOn,
      source: 'integration',
      receivedOn: await today(),
    });
    await sleepUntil(addDays(await today(), 1));
    // Closed; the case stays open only to track the repayment demand (R-M10, case-demands.test.ts).
    expect(await view(handle)).toMatchObject({
      status: 'closed',
      closed: { reason: 'death', fromMonth: m(2) },
    });
    const adj = h.calls.adjustments.map((a) => a.adjustment);
    expect(adj).toEqual([
      expect.objectContaining({ kind: 'recovery', amount: '2000.00', months: [m(2), m(3)] }),
    ]);
    expect(h.calls.notices.map((n) => n.kind)).toEqual(['stop', 'repayment_demand']);
    expect(h.calls.rates.at(-1)?.entry).toMatchObject({ fromMonth: m(2), monthlyAmount: '0.00' });
  });

  it('R-M2 R-T1: death in a three-person household — review due 3 months after the death, clamped at month end; its result settles from the month after death', async () => {
    const { input, handle, m } = await startCase({ size: 3 });
    // The first month-end whose date does not exist three months later (31 Jan → 30 Apr, 30 Nov → 28 Feb …).
    let k = 1;
    while (Number(lastDayOfMonth(m(k)).slice(8)) <= Number(lastDayOfMonth(m(k + 3)).slice(8))) k++;
    const diedOn = lastDayOfMonth(m(k));
    const due = deathReviewDue(cal, diedOn);
    expect(due.date.slice(0, 7) >= m(k + 3)).toBe(true);
    await sleepUntil(addDays(diedOn, 3));
    const person = input.members[2]!;
    await handle.signal(deathNoticeSignal, {
      noticeId: 'police-7',
      idNumber: person.idNumber,
      diedOn,
      source: 'integration',
      receivedOn: await today(),
    });
    await sleepUntil(addDays(diedOn, 4));
    let v = await view(handle);
    const task = v.tasks.find((t) => t.kind === 'death_review')!;
    expect(task.due).toEqual(due);
    expect(v.status).toBe('active'); // payment goes on until the review
    // Unreviewed past the deadline: flagged overdue, nothing decided by time (R-O3).
    await sleepUntil(addDays(due.date, 1));
    v = await view(handle);
    expect(v.tasks.find((t) => t.taskId === task.taskId)).toMatchObject({ atRisk: true, overdue: true });
    expect(h.calls.alerts.map((a) => a.flag)).toEqual(['at_risk', 'overdue']);
    const paidSinceDeath = monthsOf(input.caseId).filter((x) => x.month.month > monthOf(diedOn));
    expect(paidSinceDeath.every((x) => x.month.amount === '1000.00')).toBe(true);
    // The county reduces the amount from the month after death: the difference is recovered.
    await handle.executeUpdate(reviewResultUpdate, {
      args: [
        {
          actor: actor('county_staff', COUNTY),
          taskId: task.taskId,
          outcome: 'adjust',
          monthlyAmount: '700.00',
          reasons: 'two persons remain',
        },
      ],
    });
    v = await view(handle);
    expect(v.monthlyAmount).toBe('700.00');
    expect(v.persons).toBe(2);
    const recovery = h.calls.adjustments.map((a) => a.adjustment);
    expect(recovery).toEqual([
      expect.objectContaining({
        kind: 'recovery',
        amount: `${300 * paidSinceDeath.length}.00`,
        months: paidSinceDeath.map((x) => x.month.month),
      }),
    ]);
    expect(h.calls.notices.map((n) => n.kind)).toEqual(['reduction']);
  });

  it('R-M2: the same death sent twice and from two sources is one event', async () => {
    const { input, handle, m } = await startCase({ size: 3 });
    await sleepUntil(dayInMonth(m(1), 10));
    const notice = {
      noticeId: 'cremation-1',
      idNumber: input.members[1]!.idNumber,
      diedOn: dayInMonth(m(1), 3),
      source: 'integration' as const,
      receivedOn: await today(),
    };
    await handle.signal(deathNoticeSignal, notice);
    await handle.signal(deathNoticeSignal, notice);
    await handle.signal(deathNoticeSignal, { ...notice, noticeId: 'visit-9', source: 'visit_report' });
    const v = await view(handle);
    expect(v.tasks.filter((t) => t.kind === 'death_review')).toHaveLength(1);
    expect(v.deaths).toEqual([
      {
        idNumber: notice.idNumber,
        diedOn: notice.diedOn,
        noticeIds: ['cremation-1', 'visit-9'],
        sources: ['integration', 'visit_report'],
      },
    ]);
    await sleepUntil(dayInMonth(m(1), 11)); // let the effects flush
    // The resent notice id changes nothing at all; the second source is recorded as a duplicate
    // (the case records its notices itself: recordDeathNotice).
    expect(h.calls.deathNotices.map((o) => o.outcome)).toEqual(['applied', 'duplicate']);
    expect(h.calls.deathNotices.map((o) => o.notice.noticeId)).toEqual(['cremation-1', 'visit-9']);
    // A third source with another date of death: still one death, but staff must check the date.
    await handle.signal(deathNoticeSignal, { ...notice, noticeId: 'police-3', diedOn: dayInMonth(m(1), 4) });
    const after = await view(handle);
    expect(after.deaths[0]?.diedOn).toBe(notice.diedOn);
    expect(after.tasks.filter((t) => t.kind === 'death_review')).toHaveLength(1);
    expect(after.tasks.find((t) => t.taskId === 'death-date-police-3')).toMatchObject({
      kind: 'data_check',
      subject: { diedOn: notice.diedOn },
    });
  });

  it('R-M2 R-O6: a death reported by staff is an Update that answers once recorded; the same report again is a duplicate; a non-member is refused', async () => {
    const { input, handle, m } = await startCase({ size: 3 });
    await sleepUntil(dayInMonth(m(1), 10));
    const clerk = actor('township_staff', undefined, 'clerk-9');
    const report = {
      noticeId: 'staff-1',
      idNumber: input.members[2]!.idNumber,
      diedOn: dayInMonth(m(1), 8),
      source: 'staff' as const,
      receivedOn: await today(),
      reportedBy: clerk,
    };
    expect(await handle.executeUpdate(deathReportUpdate, { args: [report] })).toBe('applied');
    // Answered after the case recorded the notice, with its reporter.
    expect(h.calls.deathNotices).toEqual([{ caseId: input.caseId, notice: report, outcome: 'applied' }]);
    expect(await handle.executeUpdate(deathReportUpdate, { args: [report] })).toBe('duplicate');
    const v = await view(handle);
    expect(v.tasks.filter((t) => t.kind === 'death_review')).toHaveLength(1);
    expect(v.history.find((e) => e.action === 'death_recorded')?.by).toEqual(clerk);
    const stranger = handle.executeUpdate(deathReportUpdate, {
      args: [{ ...report, noticeId: 'staff-2', idNumber: idNumber() }],
    });
    await expect(stranger).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const refused = await stranger.catch((e: WorkflowUpdateFailedError) => e);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'InvalidStep' });
    const outsider = await handle
      .executeUpdate(deathReportUpdate, {
        args: [{ ...report, noticeId: 'staff-3', reportedBy: actor('township_staff', '140802102') }],
      })
      .catch((e: WorkflowUpdateFailedError) => e);
    expect((outsider as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'WrongRole' });
    expect(h.calls.deathNotices).toHaveLength(1); // refused reports record nothing
  });
});
