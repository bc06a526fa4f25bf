import { dayInMonth } from '../../domain/dates';
import { actor, COUNTY, context } from '../../test/helpers/fixtures';
import { deathNoticeSignal, demandIdOf, demandStepUpdate } from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario } from './session';

// R-E6 R-M10: a one-person extreme-poverty case paid quarterly in advance; the person dies in the
// first month of a quarter: the two months paid in advance are recovered, the closed case raises a
// repayment demand with its notice, and ends once a repayment and a write-off have settled it.
export const caseRepaymentDemand: NamedScenario = {
  prefix: 'case',
  name: 'repayment-demand',
  run: async (s) => {
    const policy = context().policy;
    const { input, handle, m } = await s.startCase({
      size: 1,
      category: 'extreme_poverty',
      policy: { ...policy, extremePoverty: { ...policy.extremePoverty, paymentFrequency: 'quarterly' } },
    });
    const k = [1, 2, 3].find((i) => (Number(m(i).slice(5, 7)) - 1) % 3 === 0)!;
    await s.sleepUntil(dayInMonth(m(k), 20));
    await handle.signal(deathNoticeSignal, {
      noticeId: 'cremation-1',
      idNumber: input.members[0]!.idNumber,
      diedOn: dayInMonth(m(k), 10),
      source: 'cremation',
      receivedOn: await s.today(),
    });
    await s.sleepUntil(dayInMonth(m(k), 21));
    const demandId = demandIdOf(input.caseId, 1);
    let v = await caseView(handle);
    checkCase('a demand for the two months paid in advance', v.demands?.[0]?.amount === '2000.00', v);
    const county = actor('county_staff', COUNTY);
    await handle.executeUpdate(demandStepUpdate, {
      args: [
        {
          actor: county,
          demandId,
          stepId: 'r1',
          kind: 'repayment',
          amount: '800.00',
          paidOn: await s.today(),
          reference: 'bank 1',
        },
      ],
    });
    await handle.executeUpdate(demandStepUpdate, {
      args: [
        {
          actor: county,
          demandId,
          stepId: 'w1',
          kind: 'write_off',
          decidedOn: await s.today(),
          decisionRef: 'D-1',
          reasons: 'no estate',
        },
      ],
    });
    const result = await handle.result();
    v = await caseView(handle).catch(() => v);
    checkCase('closed, the demand written off', result.status === 'closed', v);
    return { handle, closed: true };
  },
};
