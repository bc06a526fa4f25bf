import { dayInMonth } from '../../domain/dates';
import { defaultPolicy } from '../../domain/policy';
import { COUNTY } from '../../test/helpers/fixtures';
import { standardChangedSignal } from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario } from './session';

// R-M8: a two-person rural case, months 1–2 rostered; the county raises the rural standard by 50.00
// from month 1 (the standard adjustment's signal `standardChanged`): the rate moves to 1100.00 from
// month 1, months 1–2 get back-pay (2 × 50.00 × 2 persons), month 3 is rostered at the new amount;
// the same version again changes nothing. Left open.
export const caseStandardRaised: NamedScenario = {
  prefix: 'case',
  name: 'standard-raised',
  run: async (s) => {
    const { handle, m } = await s.startCase();
    await s.sleepUntil(dayInMonth(m(2), 20));
    const policy = defaultPolicy({
      countyCode: COUNTY,
      effectiveFrom: dayInMonth(m(1), 1),
      standardUrban: '850.00',
      standardRural: '700.00',
    });
    await handle.signal(standardChangedSignal, { policy });
    await handle.signal(standardChangedSignal, { policy });
    await s.sleepUntil(dayInMonth(m(3), 20));
    const v = await caseView(handle);
    const backPay = s.calls.adjustments.map((a) => a.adjustment).filter((a) => a.kind === 'back_pay');
    checkCase(
      'the new rate from month 1, months 1–2 back-paid once, month 3 at the new amount',
      v.monthlyAmount === '1100.00' &&
        backPay.length === 1 &&
        backPay[0]!.amount === '200.00' &&
        v.rostered.at(-1)?.month === m(3) &&
        v.rostered.at(-1)?.amount === '1100.00',
      v,
    );
    return { handle, closed: false };
  },
};
