import { actor, COUNTY } from '../../test/helpers/fixtures';
import { decisionUpdate, initialOpinionUpdate, returnForOpinionUpdate } from '../../workflows/contracts';
import { check, investigate, type NamedScenario, opinion, verify } from './session';

// R-A5 R-A4 R-A2: the township publicises a negative opinion; the county disagrees and sends it back
// (Update `returnForNewOpinion`) for a new investigation; the township visits again, gives a
// positive opinion and a second 7-day publicity; the county approves and the case starts.
export const applicationReturnedForNewOpinion: NamedScenario = {
  prefix: 'application',
  name: 'returned-for-new-opinion',
  run: async (s) => {
    const county = actor('county_staff', COUNTY);
    const { input, handle } = await s.start();
    await verify(s, handle, input);
    await handle.executeUpdate(initialOpinionUpdate, { args: [opinion(false)] });
    await s.env.sleep('8 days');
    let view = await handle.executeUpdate(returnForOpinionUpdate, {
      args: [{ actor: county, reasons: 'the pension counted is a survivor benefit', reinvestigate: true }],
    });
    check('back to verification', view.stage === 'verifying' && !view.opinion, view);
    await investigate(s, handle, input, 'survivor benefit confirmed');
    view = await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    check('second publicity round', view.publicity?.round === 2, view);
    await s.env.sleep('8 days');
    view = await handle.executeUpdate(decisionUpdate, {
      args: [{ actor: county, approve: true, monthlyAmount: '1000.00', reasons: 'approved after return' }],
    });
    check('approved with a case', view.stage === 'approved' && !!view.decision?.caseId, view);
    await handle.result();
    return { handle, closed: true };
  },
};
