import { actor, COUNTY } from '../../test/helpers/fixtures';
import { decisionUpdate, initialOpinionUpdate, objectionUpdate } from '../../workflows/contracts';
import { check, investigate, type NamedScenario, opinion, verify } from './session';

// R-A4 R-A6 R-A7: an objection re-runs investigation and publicity; the county then rejects.
export const applicationObjectionRejection: NamedScenario = {
  prefix: 'application',
  name: 'objection-rejection',
  run: async (s) => {
    const { input, handle } = await s.start();
    await verify(s, handle, input);
    await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    await s.env.sleep('2 days');
    await handle.executeUpdate(objectionUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          objectionId: 'obj-1',
          summary: 'neighbour reports a car',
          handling: 're_investigation',
        },
      ],
    });
    await investigate(s, handle, input, 'a car registered to the applicant');
    let view = await handle.executeUpdate(initialOpinionUpdate, { args: [opinion(false)] });
    check('second publicity round', view.publicity?.round === 2, view);
    await s.env.sleep('8 days');
    view = await handle.executeUpdate(decisionUpdate, {
      args: [{ actor: actor('county_staff', COUNTY), approve: false, reasons: 'owns a vehicle (R-E2)' }],
    });
    check('rejected with a notice', view.stage === 'rejected' && !!view.decision?.noticeId, view);
    await handle.result();
    return { handle, closed: true };
  },
};
