import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { addDays, dayInMonth, monthOf } from '../../domain/dates';
import { comparisonCheckDue } from '../../domain/deadlines';
import { defaultPolicy } from '../../domain/policy';
import {
  changeReportUpdate,
  comparisonHitSignal,
  reviewResultUpdate,
  standardChangedSignal,
} from '../../workflows/contracts';
import { caseKit } from '../helpers/case-kit';
import { actor, COUNTY } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// The case in benefit on the time-skipping server (R-M1 … R-M9): months reach the roster at their
// cut-off, events change the entitlement only as the rules say. One server per test (see
// application.test.ts for why).
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const cal = WorkingCalendar.builtin();
const { today, sleepUntil, startCase, view, monthsOf } = caseKit(() => h);
const staff = actor('township_staff');

describe('case in benefit (time-skipping)', () => {
  it('R-M1 R-M3 R-M4 R-M8 R-M9: three years of one case — 36 months, a re-review each year, a standard rise with back-pay, a taper that ends in exit', async () => {
    const wall = Date.now();
    const { input, handle, m } = await startCase();
    const reviews: string[] = [];
    for (let i = 1; i <= 37; i++) {
      // Day 2 of each month: before that month's roster cut-off (the 5th or earlier working day).
      await sleepUntil(dayInMonth(m(i), 2));
      const v = await view(handle).catch(() => undefined);
      if (!v || v.status === 'closed') break;
      for (const t of v.tasks.filter((x) => x.kind === 're_review' && !x.result)) {
        await handle.executeUpdate(reviewResultUpdate, {
          args: [{ actor: staff, taskId: t.taskId, outcome: 'continue', reasons: 'circumstances unchanged' }],
        });
        reviews.push(t.taskId);
        expect(t.simplified).toBe(true); // R-M4: a stable household gets the simplified review
      }
      if (i === 4) {
        // R-M8: the county raises its rural standard 650 → 700 from month 2 (already paid twice).
        const raised = defaultPolicy({
          countyCode: COUNTY,
          effectiveFrom: dayInMonth(m(2), 1),
          standardUrban: '850.00',
          standardRural: '700.00',
        });
        await handle.signal(standardChangedSignal, { policy: raised });
        await handle.signal(standardChangedSignal, { policy: raised }); // repeated: a no-op
      }
      if (i === 30) {
        // R-M3: employment lifts per-capita income above the standard.
        await handle.executeUpdate(changeReportUpdate, {
          args: [
            {
              actor: staff,
              changeId: 'job-1',
              kind: 'employment',
              reportedOn: await today(),
              perCapitaIncome: '800.00',
              summary: 'applicant found work',
            },
          ],
        });
        expect((await view(handle)).status).toBe('tapering');
      }
    }
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'closed', closed: { reason: 'taper_exit', fromMonth: m(37) } });

    const months = monthsOf(input.caseId);
    expect(months.map((x) => x.month.month)).toEqual(Array.from({ length: 36 }, (_, k) => m(k + 1)));
    expect(months.slice(0, 3).map((x) => x.month.amount)).toEqual(['1000.00', '1000.00', '1000.00']);
    expect(months.slice(3).every((x) => x.month.amount === '1100.00')).toBe(true);
    expect(months.filter((x) => x.month.status === 'taper').map((x) => x.month.month)).toEqual(
      Array.from({ length: 6 }, (_, k) => m(31 + k)),
    );
    // Back-pay for months 2 and 3: (700 − 650) × 2 persons each, once.
    const backPay = h.calls.adjustments.filter((a) => a.caseId === input.caseId);
    expect(backPay.map((a) => [a.adjustment.kind, a.adjustment.amount, a.adjustment.months])).toEqual([
      ['back_pay', '200.00', [m(2), m(3)]],
    ]);
    expect(reviews).toEqual([
      `re-review-${dayInMonth(m(12), 1)}`,
      `re-review-${dayInMonth(m(24), 1)}`,
      `re-review-${dayInMonth(m(36), 1)}`,
    ]);
    // R-M9: the exit in writing.
    expect(h.calls.notices.filter((n) => n.subjectId === input.caseId).map((n) => n.kind)).toEqual(['stop']);
    // Continued as new at least yearly, carrying its state.
    const d = await handle.describe();
    expect(d.runId).not.toBe(handle.firstExecutionRunId);
    console.log(`[R-M three-year case] 36 months in ${((Date.now() - wall) / 1000).toFixed(1)} s wall time`);
  });

  it('R-M6 R-A11: a comparison hit opens a 14-day check and removes nobody until a staff result', async () => {
    const { input, handle, m } = await startCase({ size: 1 });
    await sleepUntil(dayInMonth(m(1), 10));
    const detectedOn = await today();
    await handle.signal(comparisonHitSignal, {
      hitId: 'hit-1',
      kind: 'death',
      idNumber: input.members[0]!.idNumber,
      detectedOn,
      source: 'civil-affairs comparison',
      details: 'cremation record',
    });
    await handle.signal(comparisonHitSignal, {
      hitId: 'hit-1',
      kind: 'death',
      idNumber: input.members[0]!.idNumber,
      detectedOn,
      source: 'civil-affairs comparison',
      details: 'cremation record',
    });
    await sleepUntil(dayInMonth(m(3), 10)); // well past the 14 days, two more months rostered
    let v = await view(handle);
    expect(v.status).toBe('active');
    const check = v.tasks.filter((t) => t.kind === 'data_check');
    expect(check).toHaveLength(1);
    expect(check[0]!.due).toEqual(comparisonCheckDue(cal, detectedOn));
    expect(check[0]!.overdue).toBe(true);
    expect(monthsOf(input.caseId).map((x) => x.month.amount)).toEqual(['1000.00', '1000.00', '1000.00']);
    // A result outside the township's reach, or for an unknown review, is refused before history.
    await expect(
      handle.executeUpdate(reviewResultUpdate, {
        args: [
          {
            actor: actor('township_staff', '140802102'),
            taskId: 'check-hit-1',
            outcome: 'stop',
            reasons: 'x',
          },
        ],
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const unknown = await handle
      .executeUpdate(reviewResultUpdate, {
        args: [{ actor: staff, taskId: 'no-such', outcome: 'stop', reasons: 'x' }],
      })
      .catch((e: WorkflowUpdateFailedError) => e);
    expect((unknown as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'NotFound' });
    // Staff find the hit was a namesake: no change.
    await handle.executeUpdate(reviewResultUpdate, {
      args: [{ actor: staff, taskId: 'check-hit-1', outcome: 'continue', reasons: 'a different person' }],
    });
    v = await view(handle);
    expect(v.status).toBe('active');
    expect(v.tasks.find((t) => t.taskId === 'check-hit-1')?.result?.outcome).toBe('continue');
    expect(h.calls.adjustments).toEqual([]);
  });

  it('R-M5 R-L1: fraud found by a check stops the case, recovers what was paid since, records the referral, makes no former recipient', async () => {
    const { input, handle, m } = await startCase();
    await sleepUntil(dayInMonth(m(4), 10));
    await handle.signal(comparisonHitSignal, {
      hitId: 'hit-2',
      kind: 'state_funded_employment',
      idNumber: input.members[1]!.idNumber,
      detectedOn: await today(),
      source: 'HR bureau',
      details: 'on a state payroll since month 2',
    });
    await sleepUntil(dayInMonth(m(4), 11));
    await handle.executeUpdate(reviewResultUpdate, {
      args: [
        {
          actor: actor('county_staff', COUNTY),
          taskId: 'check-hit-2',
          outcome: 'fraud',
          overpaidFromMonth: m(2),
          reasons: 'concealed state employment',
        },
      ],
    });
    // Closed; what was received wrongly is demanded back (R-M10) and the case tracks the demand
    // (raised once the closure is saved: a day of workflow time later it is there).
    await sleepUntil(addDays(await today(), 1));
    const result = await view(handle);
    expect(result.closed).toMatchObject({ reason: 'fraud', fromMonth: m(5) });
    expect(result.demands).toEqual([expect.objectContaining({ amount: '3000.00', status: 'open' })]);
    expect(h.calls.adjustments.map((a) => a.adjustment)).toEqual([
      expect.objectContaining({ kind: 'recovery', amount: '3000.00', months: [m(2), m(3), m(4)] }),
    ]);
    const saved = h.calls.caseSaves.flatMap((s) => s.entries.map((e) => e.action));
    expect(saved).toContain('referred');
    // R-L1: a fraud makes no former recipient: the register entry, if any, only leaves dibao.
    expect(h.calls.registerFindings.map((f) => [f.source, f.add, f.remove, f.onlyIfRegistered])).toEqual([
      ['case', [], ['dibao'], true],
    ]);
  });

  it('R-M3: income falling back during the taper ends it and the case goes on', async () => {
    const { handle, m } = await startCase();
    await sleepUntil(dayInMonth(m(1), 10));
    const report = { actor: staff, kind: 'employment' as const, reportedOn: await today(), summary: 'job' };
    await handle.executeUpdate(changeReportUpdate, {
      args: [{ ...report, changeId: 'c1', perCapitaIncome: '900.00' }],
    });
    expect((await view(handle)).taper).toMatchObject({ firstMonth: m(2), lastMonth: m(7) });
    await sleepUntil(dayInMonth(m(3), 10));
    await handle.executeUpdate(changeReportUpdate, {
      args: [
        { ...report, changeId: 'c2', kind: 'income', perCapitaIncome: '300.00', reportedOn: await today() },
      ],
    });
    await sleepUntil(dayInMonth(m(9), 10));
    const v = await view(handle);
    expect(v.status).toBe('active');
    expect(v.taper).toBeUndefined();
    expect(v.rostered.map((r) => r.status)).toEqual([
      'regular',
      'taper',
      'taper',
      'regular',
      'regular',
      'regular',
      'regular',
      'regular',
      'regular',
    ]);
  });

  it('continue-as-new carries the whole state (forced by the test flag)', async () => {
    const { input, handle, m } = await startCase({ continueAsNewAfter: 1 });
    await sleepUntil(dayInMonth(m(1), 10));
    await handle.signal(comparisonHitSignal, {
      hitId: 'hit-can',
      kind: 'imprisonment',
      idNumber: input.members[0]!.idNumber,
      detectedOn: await today(),
      source: 'police',
      details: 'sentenced',
    });
    await sleepUntil(dayInMonth(m(3), 10));
    const d = await handle.describe();
    expect(d.runId).not.toBe(handle.firstExecutionRunId);
    const v = await view(handle);
    expect(v.rostered.map((r) => r.month)).toEqual([m(1), m(2), m(3)]);
    expect(v.tasks.map((t) => t.taskId)).toEqual(['check-hit-can']);
    expect(v.history[0]?.action).toBe('case_opened');
    expect(v.historyCount).toBe(v.history.at(-1)?.seq);
    expect(monthsOf(input.caseId)).toHaveLength(3);
    // The carried state still answers updates.
    await handle.executeUpdate(reviewResultUpdate, {
      args: [{ actor: staff, taskId: 'check-hit-can', outcome: 'suspend', reasons: 'in prison' }],
    });
    expect((await view(handle)).status).toBe('suspended');
  });

  it('R-M8: a standard published while the application was pending reaches the new case from its effective month', async () => {
    const t = await today();
    const raised = defaultPolicy({
      countyCode: COUNTY,
      effectiveFrom: dayInMonth(monthOf(t), 1),
      standardUrban: '850.00',
      standardRural: '700.00',
    });
    h.calls.newerPolicies.push(raised);
    const { handle, m } = await startCase();
    await sleepUntil(dayInMonth(m(1), 10));
    const v = await view(handle);
    expect(v.appliedPolicyVersions).toContain(raised.version);
    expect(v.monthlyAmount).toBe('1100.00');
    expect(v.rostered.map((r) => r.amount)).toEqual(['1100.00']);
    expect(h.calls.adjustments).toEqual([]); // nothing was paid before the case began
  });
});
