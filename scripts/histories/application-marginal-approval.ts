import { actor, COUNTY, household } from '../../test/helpers/fixtures';
import { decisionUpdate, initialOpinionUpdate } from '../../workflows/contracts';
import { check, type NamedScenario, verify } from './session';

// R-E2 R-A5 R-L1: a household between the standard and the marginal line (800.00 a head, rural
// standard 650.00); the township's opinion is marginal (no money), publicised 7 days; the county
// approves without an amount or a start month: the household is registered as marginal and no
// case is made.
export const applicationMarginalApproval: NamedScenario = {
  prefix: 'application',
  name: 'marginal-approval',
  run: async (s) => {
    const { input, handle } = await s.start({ household: household({ monthlyIncome: '1600.00' }) });
    await verify(s, handle, input);
    await handle.executeUpdate(initialOpinionUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          eligible: true,
          category: 'marginal',
          reasons: 'income above the standard, below the marginal line',
        },
      ],
    });
    await s.env.sleep('8 days');
    const view = await handle.executeUpdate(decisionUpdate, {
      args: [{ actor: actor('county_staff', COUNTY), approve: true, reasons: 'marginal: registered' }],
    });
    check('approved without a case', view.stage === 'approved' && !view.decision?.caseId, view);
    await handle.result();
    const finding = s.calls.registerFindings.at(-1);
    check('registered as marginal', !!finding?.add?.includes('marginal') && s.calls.cases.length === 0, view);
    return { handle, closed: true };
  },
};
