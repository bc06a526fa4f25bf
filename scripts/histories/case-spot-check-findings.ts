import { dayInMonth } from '../../domain/dates';
import { actor, COUNTY } from '../../test/helpers/fixtures';
import { spotCheckCaseSignal } from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario } from './session';

// R-O2: months 1–2 rostered, the county's spot check corrects the amount from the start month
// (signal `spotCheckFinding`: months 1–2 recovered, a reduction notice); the same finding again
// changes nothing; the case runs on.
export const caseSpotCheckFindings: NamedScenario = {
  prefix: 'case',
  name: 'spot-check-findings',
  run: async (s) => {
    const { handle, m } = await s.startCase({});
    await s.sleepUntil(dayInMonth(m(2), 20));
    const finding = {
      checkId: 'SC-replay-1',
      outcome: 'corrected' as const,
      reasons: 'a pension was not counted',
      monthlyAmount: '900.00',
      actor: actor('county_staff', COUNTY),
    };
    await handle.signal(spotCheckCaseSignal, finding);
    await handle.signal(spotCheckCaseSignal, finding);
    await s.sleepUntil(dayInMonth(m(3), 20));
    const v = await caseView(handle);
    const recoveries = s.calls.adjustments.map((a) => a.adjustment).filter((a) => a.kind === 'recovery');
    checkCase(
      're-rated from the start month, months 1–2 recovered once, a reduction notice',
      v.monthlyAmount === '900.00' &&
        recoveries.length === 1 &&
        recoveries[0]!.months.join() === [m(1), m(2)].join() &&
        s.calls.notices.some((n) => n.kind === 'reduction'),
      v,
    );
    return { handle, closed: false };
  },
};
