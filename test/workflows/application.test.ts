import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { civilDateOf } from '../../domain/dates';
import {
  type ApplicationInput,
  applicationStateQuery,
  applicationWorkflowId,
  calendarUpdatedSignal,
  decisionUpdate,
  economicCheckUpdate,
  initialOpinionUpdate,
  investigationUpdate,
  objectionUpdate,
  temporaryGrantUpdate,
  withdrawalUpdate,
} from '../../workflows/contracts';
import { firstWeekdaysOf, unpublishedYear, weekdayOnOrAfter } from '../helpers/calendar';
import { actor, applicationInput, COUNTY } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// Time skipping is global to a test server, and the Java test server was seen to wedge ("invalid
// history builder state for action") after several tests' workflows shared one server; so each
// test gets its own server (about 3 s of JVM start) and worker.
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const today = async () => civilDateOf(new Date(await h.env.currentTimeMs()));

async function start(overrides: Partial<ApplicationInput> = {}) {
  const input = applicationInput({ acceptedOn: await today(), ...overrides });
  const handle = await h.env.client.workflow.start('applicationWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: applicationWorkflowId(input.applicationId),
    args: [input],
  });
  return { input, handle };
}

type Handle = Awaited<ReturnType<typeof start>>['handle'];

async function verify(handle: Handle, input: ApplicationInput) {
  await handle.executeUpdate(investigationUpdate, {
    args: [
      {
        actor: actor('township_staff'),
        household: input.household,
        findings: 'visited',
        visitedOn: await today(),
      },
    ],
  });
  return handle.executeUpdate(economicCheckUpdate, {
    args: [{ actor: actor('integration'), checkId: 'chk-1', verified: [], findings: 'no other income' }],
  });
}

const opinion = (amount = '1000.00') => ({
  actor: actor('township_staff'),
  eligible: true,
  category: 'dibao' as const,
  proposedMonthlyAmount: amount,
  reasons: 'income below the standard',
});

/** The typed failure a refused update carries. */
async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const deadline = (
  v: { deadlines: { kind: string; superseded?: boolean; date: string; provisional: boolean }[] },
  kind = 'overall',
) => v.deadlines.filter((d) => d.kind === kind && !d.superseded).at(-1);

describe('application workflow (time-skipping)', () => {
  it('harness: 30 days of workflow time pass in well under a second of wall time', async () => {
    const { handle } = await start();
    const t0 = performance.now();
    await h.env.sleep('30 days');
    const wallMs = performance.now() - t0;
    const view = await handle.query(applicationStateQuery);
    console.log(`[time-skipping] 30 days skipped in ${wallMs.toFixed(0)} ms wall time`);
    expect(wallMs).toBeLessThan(5_000);
    // 30 calendar days later the 30-working-day deadline is at risk, not yet missed.
    expect(view.stage).toBe('verifying');
    expect((deadline(view)?.date ?? '') > civilDateOf(new Date(await h.env.currentTimeMs()))).toBe(true);
  });

  it('R-A2 R-A3 R-A4 R-A5 R-A8: a clean path from receipt to approval records the case', async () => {
    const { input, handle } = await start();
    let view = await handle.query(applicationStateQuery);
    expect(view.stage).toBe('verifying');
    // R-A2: one result alone does not open the opinion.
    await handle.executeUpdate(investigationUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          household: input.household,
          findings: 'visited',
          visitedOn: await today(),
        },
      ],
    });
    expect((await handle.query(applicationStateQuery)).stage).toBe('verifying');
    view = await handle.executeUpdate(economicCheckUpdate, {
      args: [{ actor: actor('integration'), checkId: 'chk-1', verified: [], findings: 'ok' }],
    });
    expect(view.stage).toBe('initial_opinion');
    expect(view.assessment?.suggestedCategory).toBe('dibao');
    expect(view.assessment?.parameterVersion).toBe(input.context.policy.version);
    view = await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    expect(view.stage).toBe('publicity');
    await h.env.sleep('8 days');
    view = await handle.executeUpdate(decisionUpdate, {
      args: [
        {
          actor: actor('county_staff', COUNTY),
          approve: true,
          monthlyAmount: '1000.00',
          reasons: 'approved',
        },
      ],
    });
    expect(view.stage).toBe('approved');
    const decidedMonth = view.decision?.on.slice(0, 7) as string;
    const [y = 0, m = 0] = decidedMonth.split('-').map(Number);
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    expect(view.decision?.startMonth).toBe(next); // R-A8: from the month after the decision
    expect(view.decision?.caseId).toBe(input.applicationId);
    const result = await handle.result();
    expect(result).toMatchObject({ stage: 'approved', caseId: input.applicationId });
    expect(h.calls.cases.filter((c) => c === input.applicationId)).toHaveLength(1);
    expect(deadline(view)?.['metOn' as never]).toBeDefined();
    expect(view.history.map((e) => e.action)).toEqual([
      'received',
      'investigation_recorded',
      'economic_check_recorded',
      'initial_opinion_recorded',
      'publicity_ended',
      'approved',
    ]);
  });

  it('R-A4: no decision before the 7-day publicity ends, refused before it enters history', async () => {
    const { input, handle } = await start();
    await verify(handle, input);
    const posted = await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    const before = posted.history.length;
    await h.env.sleep('6 days');
    const failure = await refusal(
      handle.executeUpdate(decisionUpdate, {
        args: [
          { actor: actor('county_staff', COUNTY), approve: true, monthlyAmount: '1000.00', reasons: 'ok' },
        ],
      }),
    );
    expect(failure.type).toBe('PublicityNotEnded');
    const view = await handle.query(applicationStateQuery);
    expect(view.stage).toBe('publicity');
    expect(view.history).toHaveLength(before);
    // 24:00 of the 7th day after posting (R-T1): the day after the last day, decisions open.
    expect(view.publicity?.lastDay).toBe(
      civilDateOf(
        new Date(new Date(`${posted.publicity?.postedOn}T12:00:00+08:00`).getTime() + 7 * 86_400_000),
      ),
    );
    await h.env.sleep('2 days');
    expect((await handle.query(applicationStateQuery)).stage).toBe('decision');
  });

  it('R-A4 R-A6: an objection re-runs investigation and publicity and moves the deadline to 45 working days', async () => {
    const { input, handle } = await start({ acceptedOn: '2026-11-23' });
    await verify(handle, input);
    let view = await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    // 30 working days on the shipped calendar (provisional where it reaches an unpublished year).
    const builtin = WorkingCalendar.builtin();
    expect(deadline(view)).toMatchObject(builtin.addWorkingDays(input.acceptedOn, 30));
    view = await handle.executeUpdate(objectionUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          objectionId: 'obj-1',
          summary: 'neighbour reports a car',
          handling: 're_investigation',
        },
      ],
    });
    expect(view.stage).toBe('verifying');
    expect(view.extended).toBe(true);
    expect(deadline(view)).toMatchObject(builtin.addWorkingDays(input.acceptedOn, 45)); // R-A6 extended
    // The economic check stands; a new investigation is needed before a new opinion.
    await handle.executeUpdate(investigationUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          household: input.household,
          findings: 'no car found',
          visitedOn: await today(),
        },
      ],
    });
    view = await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    expect(view.publicity?.round).toBe(2);
    expect(view.stage).toBe('publicity');
  });

  it('R-A5 R-A6: delegated approval is due in 20 working days and the township decides', async () => {
    const { input, handle } = await start({ delegated: true, acceptedOn: '2026-11-23' });
    let view = await handle.query(applicationStateQuery);
    expect(deadline(view)?.date).toBe('2026-12-21');
    await verify(handle, input);
    await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    await h.env.sleep('8 days');
    const failure = await refusal(
      handle.executeUpdate(decisionUpdate, {
        args: [
          { actor: actor('county_staff', COUNTY), approve: true, monthlyAmount: '1000.00', reasons: 'ok' },
        ],
      }),
    );
    expect(failure.type).toBe('WrongRole');
    view = await handle.executeUpdate(decisionUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          approve: true,
          monthlyAmount: '1000.00',
          reasons: 'township decides',
        },
      ],
    });
    expect(view.stage).toBe('approved');
  });

  it('R-A6 R-O3: at risk, then overdue, flags raised and supervisors told; nothing decided by time', async () => {
    const { input, handle } = await start();
    const due = deadline(await handle.query(applicationStateQuery))!;
    const atRiskOn = (await handle.query(applicationStateQuery)).deadlines.find(
      (d) => d.kind === 'overall',
    )!.atRiskOn;
    const msUntil = (date: string) => new Date(`${date}T00:00:00+08:00`).getTime();
    await h.env.sleep(msUntil(atRiskOn) - (await h.env.currentTimeMs()) + 60_000);
    let view = await handle.query(applicationStateQuery);
    expect(deadline(view)).toMatchObject({ atRisk: true, overdue: false });
    expect(
      h.calls.alerts.some(
        (a) => a.subjectId === input.applicationId && a.flag === 'at_risk' && a.deadlineKind === 'overall',
      ),
    ).toBe(true);
    await h.env.sleep(msUntil(due.date) + 86_400_000 - (await h.env.currentTimeMs()) + 60_000);
    view = await handle.query(applicationStateQuery);
    expect(deadline(view)).toMatchObject({ atRisk: true, overdue: true });
    expect(
      h.calls.alerts.some(
        (a) => a.subjectId === input.applicationId && a.flag === 'overdue' && a.deadlineKind === 'overall',
      ),
    ).toBe(true);
    await h.env.sleep('60 days');
    view = await handle.query(applicationStateQuery);
    expect(view.stage).toBe('verifying'); // the workflow never decides on its own
    expect(view.decision).toBeUndefined();
  });

  it('R-A7: a rejection issues a written notice with the reasons within 3 working days', async () => {
    const { input, handle } = await start();
    await verify(handle, input);
    await handle.executeUpdate(initialOpinionUpdate, {
      args: [{ actor: actor('township_staff'), eligible: false, reasons: 'income above the standard' }],
    });
    await h.env.sleep('8 days');
    const view = await handle.executeUpdate(decisionUpdate, {
      args: [
        {
          actor: actor('county_staff', COUNTY),
          approve: false,
          reasons: 'per-capita income 900 > standard 650',
        },
      ],
    });
    expect(view.stage).toBe('rejected');
    const notice = h.calls.notices.find((n) => n.subjectId === input.applicationId)!;
    expect(notice).toMatchObject({
      kind: 'rejection',
      reasons: 'per-capita income 900 > standard 650',
      addressee: '张三',
    });
    const due = view.deadlines.find((d) => d.kind === 'rejection_notice')!;
    expect(due.metOn).toBe(view.decision?.on);
    expect(notice.dueOn).toBe(due.date);
    expect(view.decision?.noticeId).toBe(`N-${input.applicationId}`);
    expect(await handle.result()).toMatchObject({ stage: 'rejected', noticeId: `N-${input.applicationId}` });
  });

  it('R-A1: the applicant withdraws; later steps are refused with the current stage', async () => {
    const { handle } = await start();
    const view = await handle.executeUpdate(withdrawalUpdate, {
      args: [{ actor: actor('township_staff'), reason: 'moved away' }],
    });
    expect(view.stage).toBe('withdrawn');
    expect(await handle.result()).toMatchObject({ stage: 'withdrawn' });
  });

  it('R-A10: a temporary grant is paid while pending and recorded once', async () => {
    const { input, handle } = await start();
    const grant = {
      actor: actor('township_staff'),
      grantId: `g-${input.applicationId}`,
      amount: '500.00',
      reason: 'hospital bill',
    };
    const view = await handle.executeUpdate(temporaryGrantUpdate, { args: [grant] });
    expect(view.temporaryGrants).toHaveLength(1);
    const failure = await refusal(handle.executeUpdate(temporaryGrantUpdate, { args: [grant] }));
    expect(failure.type).toBe('InvalidStep');
    expect(h.calls.grants.filter((g) => g.grantId === grant.grantId)).toHaveLength(1);
  });

  it('R-A2: steps in the wrong stage or by the wrong role are refused with typed failures', async () => {
    const { handle } = await start();
    expect((await refusal(handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] }))).type).toBe(
      'WrongStage',
    );
    const byCounty = handle.executeUpdate(investigationUpdate, {
      args: [
        {
          actor: actor('county_staff', COUNTY),
          household: applicationInput().household,
          findings: 'x',
          visitedOn: await today(),
        },
      ],
    });
    expect((await refusal(byCounty)).type).toBe('WrongRole');
    const elsewhere = handle.executeUpdate(withdrawalUpdate, {
      args: [{ actor: actor('township_staff', '140802102'), reason: 'x' }],
    });
    expect((await refusal(elsewhere)).type).toBe('WrongRole');
  });

  it('R-T2: a deadline across Spring Festival 2026 counts only working days (make-up Saturdays included)', async () => {
    const { handle } = await start({ acceptedOn: '2026-02-02' });
    const view = await handle.query(applicationStateQuery);
    expect(deadline(view)).toMatchObject({ date: '2026-03-20', provisional: false });
    // A paper intake from February is long overdue today: flagged, still undecided.
    expect(deadline(view)?.['overdue' as never]).toBe(true);
    expect(view.stage).toBe('verifying');
  });

  it('R-T2: a deadline across National Day 2026 with its make-up Saturday 10-10', async () => {
    const { handle } = await start({ acceptedOn: '2026-09-14' });
    expect(deadline(await handle.query(applicationStateQuery))).toMatchObject({
      date: '2026-10-30',
      provisional: false,
    });
  });

  it('R-T2: a provisional deadline is recomputed when its year arrives', async () => {
    // Received late in November before a year the shipped calendar does not know: the 30 working
    // days reach into it. The test server's clock is moved to that day when it still lies ahead.
    const next = unpublishedYear();
    const acceptedOn = weekdayOnOrAfter(`${next - 1}-11-23`);
    const ahead = new Date(`${acceptedOn}T12:00:00+08:00`).getTime() - (await h.env.currentTimeMs());
    if (ahead > 0) await h.env.sleep(ahead);
    const { handle } = await start({ acceptedOn });
    const builtin = WorkingCalendar.builtin();
    const before = builtin.addWorkingDays(acceptedOn, 30);
    expect(before).toMatchObject({ provisional: true });
    expect(deadline(await handle.query(applicationStateQuery))).toMatchObject(before);
    const published = {
      year: next,
      holidays: firstWeekdaysOf(next, 1),
      makeUpWorkdays: [],
      source: 'runtime' as const,
    };
    await handle.signal(calendarUpdatedSignal, published);
    const after = builtin.withYear(published).addWorkingDays(acceptedOn, 30);
    expect(after).toMatchObject({ provisional: false });
    const view = await handle.query(applicationStateQuery);
    expect(deadline(view)).toMatchObject(after);
    expect(view.history.at(-1)?.action).toBe('deadlines_recomputed');
  });
});
