import { actor, COUNTY } from '../../test/helpers/fixtures';
import { LIMITS } from '../../test/helpers/temporary-assistance';
import {
  temporaryAssistanceStateQuery,
  temporaryDecisionUpdate,
  temporaryPaymentResultUpdate,
} from '../../workflows/contracts';
import { type NamedScenario, poll } from './session';
import { receiveAssistance } from './temporary-assistance-township-documented';

// R-L3 R-A10: a request a register referral opened, asking more than the township's reserve fund
// grants at once: the county grants it (nothing to document afterwards); paid at once, the decision
// notice, the referral answered on the household's entry; the bank returns the money: closed.
export const temporaryAssistanceReferralCounty: NamedScenario = {
  prefix: 'temporary-assistance',
  name: 'referral-county',
  run: async (s) => {
    const { handle } = await receiveAssistance(s, {
      amountAsked: '2400.00',
      source: { kind: 'referral', householdId: 'H000000000000000000000001', referralId: 'r1' },
      limits: LIMITS,
    });
    const county = actor('county_staff', COUNTY, 'county-1');
    const granted = await handle.executeUpdate(temporaryDecisionUpdate, {
      args: [{ actor: county, approve: true, amount: '2400.00', reasons: 'flood, county decision' }],
    });
    if (granted.documentation) throw new Error('a county grant has nothing to document');
    await poll(
      () => handle.query(temporaryAssistanceStateQuery),
      (v) => !!v.payment && !!v.noticeId && v.referralAnswered === true,
      'paid, noticed and the referral answered',
    );
    await s.env.sleep('2 days');
    const closed = await handle.executeUpdate(temporaryPaymentResultUpdate, {
      args: [
        {
          actor: county,
          resultId: 'bank-2',
          outcome: 'returned',
          reason: 'account closed',
          reportedAt: new Date(await s.env.currentTimeMs()).toISOString(),
        },
      ],
    });
    if (closed.stage !== 'closed') throw new Error(`not closed: ${closed.stage}`);
    await handle.result();
    if (s.calls.referralAnswers.length !== 1) throw new Error('the referral was not answered');
    return { handle, closed: true };
  },
};
