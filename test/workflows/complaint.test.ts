import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { civilDateOf, endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import {
  answerUpdate,
  assignmentUpdate,
  type ComplaintInput,
  calendarUpdatedSignal,
  complaintReceiptUpdate,
  complaintStateQuery,
  complaintWorkflowId,
  extensionUpdate,
  FAILURE,
  findingUpdate,
} from '../../workflows/contracts';
import { firstWeekdaysOf, unpublishedYear, weekdayOnOrAfter } from '../helpers/calendar';
import { actor, COUNTY, VILLAGE } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// R-O4 on the time-skipping test server: the complaint's deadline flags (R-O3) come from its
// timers, skipped here rather than shortened. One server per test (see application.test.ts).
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const today = async () => civilDateOf(new Date(await h.env.currentTimeMs()));
const county = actor('county_staff', COUNTY, 'county-1');
const clerk = actor('township_staff', undefined, 'clerk-1');

async function start(overrides: Partial<ComplaintInput> = {}) {
  const complaintId = `C${COUNTY}20260101${Math.random().toString(16).slice(2, 14).toUpperCase().padEnd(12, '0')}`;
  const input: ComplaintInput = {
    complaintId,
    source: 'hotline_12345',
    receivedOn: await today(),
    complainant: { anonymous: false, name: '王小明', phone: '13912345678' },
    subject: { kind: 'village', id: VILLAGE },
    villageCode: VILLAGE,
    summary: 'the list was not posted',
    receivedBy: clerk,
    deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
    runtimeYears: [],
    ...overrides,
  };
  const handle = await h.env.client.workflow.start('complaintWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: complaintWorkflowId(complaintId),
    args: [input],
  });
  const view = await handle.executeUpdate(complaintReceiptUpdate);
  return { input, handle, view };
}

async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
}

describe('complaint workflow (R-O4) with time skipping', () => {
  it('R-O4 R-O3: a named complaint is flagged at risk, then overdue after 15 working days; answered late, it closes', async () => {
    const { handle, view, input } = await start();
    const cal = WorkingCalendar.builtin();
    expect(view.deadline.date).toBe(cal.addWorkingDays(input.receivedOn, 15).date);
    expect(view).toMatchObject({ stage: 'received', atRisk: false, overdue: false });
    await handle.executeUpdate(assignmentUpdate, { args: [{ actor: county, handler: 'clerk-1' }] });

    const until = async (instant: Date) => h.env.sleep(instant.getTime() - (await h.env.currentTimeMs()));
    await until(new Date(startOfCivilDay(view.deadline.atRiskOn).getTime() + 3_600_000));
    let now = await handle.query(complaintStateQuery);
    expect(now).toMatchObject({ atRisk: true, overdue: false });
    await until(new Date(endOfCivilDay(view.deadline.date).getTime() + 3_600_000));
    now = await handle.query(complaintStateQuery);
    expect(now).toMatchObject({ overdue: true, stage: 'assigned' });
    expect(h.calls.alerts.map((a) => a.flag)).toEqual(['at_risk', 'overdue']);
    expect(h.calls.alerts[1]).toMatchObject({ subjectKind: 'complaint', deadlineKind: 'complaint_answer' });

    // An extension after the deadline is refused: it must be asked for in time.
    expect(
      (await refusal(handle.executeUpdate(extensionUpdate, { args: [{ actor: county, reason: 'late' }] })))
        .type,
    ).toBe(FAILURE.invalidStep);
    await handle.executeUpdate(findingUpdate, {
      args: [
        { actor: clerk, outcome: 'unsubstantiated', summary: 'posted on time', spotCheckRequested: false },
      ],
    });
    const answered = await handle.executeUpdate(answerUpdate, {
      args: [{ actor: clerk, answeredOn: await today(), channel: 'phone', summary: 'told' }],
    });
    expect(answered).toMatchObject({ stage: 'closed', overdue: true, answer: { late: true } });
    expect(await handle.result()).toEqual({ complaintId: input.complaintId, stage: 'closed' });
    // R-O7: the audit trail never carries the complainant.
    const saved = JSON.stringify(h.calls.complaintSaves.flatMap((s) => s.entries));
    expect(saved).not.toContain('王小明');
    expect(saved).not.toContain('13912345678');
  });

  it('R-O4: an extension once, with a reason, moves the deadline by 15 working days and no flag is raised before it', async () => {
    const { handle, view } = await start();
    const extended = await handle.executeUpdate(extensionUpdate, {
      args: [{ actor: county, reason: 'the household is away' }],
    });
    const cal = WorkingCalendar.builtin();
    expect(extended.deadline.date).toBe(cal.addWorkingDays(view.deadline.date, 15).date);
    expect(extended.extension).toMatchObject({
      reason: 'the household is away',
      previousDate: view.deadline.date,
    });
    const second = await refusal(
      handle.executeUpdate(extensionUpdate, { args: [{ actor: county, reason: 'again' }] }),
    );
    expect(second.type).toBe(FAILURE.wrongStage);
    await h.env.sleep('25 days'); // past the first deadline, before the extended one
    expect(await handle.query(complaintStateQuery)).toMatchObject({ overdue: false });
    expect(h.calls.alerts.filter((a) => a.flag === 'overdue')).toEqual([]);
  });

  it('R-O4 R-T2: a deadline in a year not yet published is provisional and computed again when the year arrives', async () => {
    // Received late in December before a year the shipped calendar does not know: 15 working days run
    // into it. The test server's clock is moved to that day when it still lies ahead.
    const next = unpublishedYear();
    const receivedOn = weekdayOnOrAfter(`${next - 1}-12-21`);
    const noon = new Date(`${receivedOn}T12:00:00+08:00`).getTime();
    const ahead = noon - (await h.env.currentTimeMs());
    if (ahead > 0) await h.env.sleep(ahead);
    const { handle, view } = await start({ receivedOn });
    const builtin = WorkingCalendar.builtin();
    const before = builtin.addWorkingDays(receivedOn, 15);
    expect(before).toMatchObject({ provisional: true });
    expect(view.deadline).toMatchObject(before);
    const published = {
      year: next,
      holidays: firstWeekdaysOf(next, 3),
      makeUpWorkdays: [],
      source: 'runtime' as const,
    };
    await handle.signal(calendarUpdatedSignal, published);
    const after = builtin.withYear(published).addWorkingDays(receivedOn, 15);
    expect(after).toMatchObject({ provisional: false });
    expect(after.date > before.date).toBe(true);
    let now = await handle.query(complaintStateQuery);
    for (let i = 0; i < 50 && now.deadline.provisional; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await handle.query(complaintStateQuery);
    }
    expect(now.deadline).toMatchObject(after);
    expect(now.history.at(-1)).toMatchObject({ action: 'calendar_updated', by: { sub: 'system' } });
  });

  it('R-O4 R-T2: a year published again with one more holiday (a correction) moves the open deadline', async () => {
    const { handle, view, input } = await start();
    const builtin = WorkingCalendar.builtin();
    const year = Number(view.deadline.date.slice(0, 4));
    const known = builtin.yearCalendar(year);
    const corrected = {
      year,
      holidays: [...(known?.holidays ?? []), view.deadline.date].sort(),
      makeUpWorkdays: (known?.makeUpWorkdays ?? []).filter((d) => d !== view.deadline.date),
      source: 'runtime' as const,
    };
    await handle.signal(calendarUpdatedSignal, corrected);
    const expected = builtin.withYear(corrected).addWorkingDays(input.receivedOn, 15);
    expect(expected.date > view.deadline.date).toBe(true);
    let now = await handle.query(complaintStateQuery);
    for (let i = 0; i < 50 && now.deadline.date !== expected.date; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await handle.query(complaintStateQuery);
    }
    expect(now.deadline).toMatchObject(expected);
  });

  it('R-O4: an anonymous tip-off is closed by its finding; it has no one to answer', async () => {
    const { handle } = await start({ complainant: { anonymous: true } });
    expect((await handle.query(complaintStateQuery)).deadline.kind).toBe('finding');
    const early = await refusal(
      handle.executeUpdate(findingUpdate, {
        args: [{ actor: clerk, outcome: 'substantiated', summary: 's', spotCheckRequested: true }],
      }),
    );
    expect(early.type).toBe(FAILURE.wrongStage);
    await handle.executeUpdate(assignmentUpdate, { args: [{ actor: clerk, handler: 'clerk-2' }] });
    const closed = await handle.executeUpdate(findingUpdate, {
      args: [{ actor: clerk, outcome: 'substantiated', summary: 's', spotCheckRequested: true }],
    });
    expect(closed).toMatchObject({ stage: 'closed', finding: { spotCheckRequested: true, by: 'clerk-1' } });
    expect(await handle.result()).toMatchObject({ stage: 'closed' });
  });
});
