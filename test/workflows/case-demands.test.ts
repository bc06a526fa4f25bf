import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, dayInMonth } from '../../domain/dates';
import { deathNoticeSignal, demandIdOf, demandStepUpdate } from '../../workflows/contracts';
import { caseKit } from '../helpers/case-kit';
import { actor, COUNTY, context } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// R-M10 repayment demands and R-E6 quarterly advances in the case workflow (time-skipping server):
// what a closed case cannot offset becomes a demand with a notice, tracked until repaid or written off.
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const { today, sleepUntil, startCase, view } = caseKit(() => h);
const county = actor('county_staff', COUNTY, 'county-clerk-7');

describe('repayment demands (time-skipping)', () => {
  it('R-M10: a closed one-person case — the recovery no payment can offset becomes a demand with a notice, repaid in part, the rest written off by a recorded decision', async () => {
    const { input, handle, m } = await startCase({ size: 1 });
    await sleepUntil(dayInMonth(m(3), 20)); // months 1, 2, 3 rostered
    await handle.signal(deathNoticeSignal, {
      noticeId: 'health-9',
      idNumber: input.members[0]!.idNumber,
      diedOn: dayInMonth(m(1), 15),
      source: 'health',
      receivedOn: await today(),
    });
    await sleepUntil(addDays(await today(), 1));
    const demandId = demandIdOf(input.caseId, 1);
    let v = await view(handle);
    expect(v.status).toBe('closed');
    expect(v.demands).toEqual([
      expect.objectContaining({ demandId, amount: '2000.00', months: [m(2), m(3)], status: 'open' }),
    ]);
    // The written notice (R-M9) and the demand's own notice, with its figures.
    const notice = h.calls.notices.find((n) => n.kind === 'repayment_demand');
    expect(notice).toMatchObject({ details: { demandId, amount: '2000.00', months: [m(2), m(3)] } });
    expect(notice?.reasons).toContain('2000.00');
    expect(h.calls.demands.at(-1)?.demand).toMatchObject({ demandId, noticeId: `N-${input.caseId}` });
    // The workflow stays to track the demand (nothing owed is silently left open).
    expect((await handle.describe()).status.name).toBe('RUNNING');

    const step = (s: Record<string, unknown>) =>
      handle.executeUpdate(demandStepUpdate, { args: [{ actor: county, demandId, ...s } as never] });
    // Township staff may not record it; more than is owed is refused; nothing changes.
    await expect(
      step({
        actor: actor('township_staff'),
        stepId: 'r0',
        kind: 'repayment',
        amount: '10.00',
        paidOn: await today(),
        reference: 'x',
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(
      step({
        stepId: 'r1',
        kind: 'repayment',
        amount: '2000.01',
        paidOn: await today(),
        reference: 'bank 1',
      }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const paid = await step({
      stepId: 'r2',
      kind: 'repayment',
      amount: '500.00',
      paidOn: await today(),
      reference: 'bank 2',
    });
    expect(paid).toMatchObject({ status: 'open', repaid: '500.00', writtenOff: '0.00' });
    // The same step sent again is one repayment.
    await step({
      stepId: 'r2',
      kind: 'repayment',
      amount: '500.00',
      paidOn: await today(),
      reference: 'bank 2',
    });
    const off = await step({
      stepId: 'w1',
      kind: 'write_off',
      decidedOn: await today(),
      decisionRef: '县民政局〔2027〕12号',
      reasons: 'the heir has no estate to repay from',
    });
    expect(off).toMatchObject({ status: 'written_off', repaid: '500.00', writtenOff: '1500.00' });
    expect(off.steps.map((s) => [s.kind, s.by.sub])).toEqual([
      ['repayment', 'county-clerk-7'],
      ['write_off', 'county-clerk-7'],
    ]);
    await expect(handle.result()).resolves.toMatchObject({ status: 'closed' });
    v = h.calls.caseSaves.at(-1)!.view;
    expect(v.history.map((e) => e.action)).toEqual(
      expect.arrayContaining(['repayment_demand', 'demand_repayment', 'demand_written_off']),
    );
    expect(v.history.find((e) => e.action === 'demand_written_off')?.by).toMatchObject({
      sub: 'county-clerk-7',
    });
  });

  it('R-M10: recoveries already offset by a payroll are not demanded again; nothing open, no demand', async () => {
    const { input, handle, m } = await startCase({ size: 1 });
    await sleepUntil(dayInMonth(m(2), 20));
    // Every recovery this case makes is offset by a payroll before the case looks again.
    h.calls.offsetAtOnce = true;
    await handle.signal(deathNoticeSignal, {
      noticeId: 'police-3',
      idNumber: input.members[0]!.idNumber,
      diedOn: dayInMonth(m(1), 3),
      source: 'police',
      receivedOn: await today(),
    });
    await expect(handle.result()).resolves.toMatchObject({ status: 'closed' });
    expect(h.calls.adjustments.map((a) => a.adjustment.kind)).toEqual(['recovery']);
    expect(h.calls.demands).toEqual([]);
    expect(h.calls.notices.map((n) => n.kind)).toEqual(['stop']);
  });

  it('R-E6 R-M10: quarterly extreme-poverty support paid in advance — a death in the quarter recovers the advanced months', async () => {
    const policy = context().policy;
    const { input, handle, m } = await startCase({
      size: 1,
      category: 'extreme_poverty',
      policy: { ...policy, extremePoverty: { ...policy.extremePoverty, paymentFrequency: 'quarterly' } },
    });
    // The first month of a quarter this case hands over: its roster pays the whole quarter.
    const k = [1, 2, 3].find((i) => (Number(m(i).slice(5, 7)) - 1) % 3 === 0)!;
    await sleepUntil(dayInMonth(m(k), 20));
    await handle.signal(deathNoticeSignal, {
      noticeId: 'cremation-1',
      idNumber: input.members[0]!.idNumber,
      diedOn: dayInMonth(m(k), 10),
      source: 'cremation',
      receivedOn: await today(),
    });
    await sleepUntil(addDays(await today(), 1));
    expect(h.calls.adjustments.map((a) => a.adjustment)).toEqual([
      expect.objectContaining({ kind: 'recovery', amount: '2000.00', months: [m(k + 1), m(k + 2)] }),
    ]);
    const v = await view(handle);
    expect(v.demands?.[0]).toMatchObject({ amount: '2000.00', status: 'open' });
  });
});
