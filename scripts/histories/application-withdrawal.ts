import { actor } from '../../test/helpers/fixtures';
import { withdrawalUpdate } from '../../workflows/contracts';
import { check, investigate, type NamedScenario } from './session';

// R-A1: the applicant withdraws during verification.
export const applicationWithdrawal: NamedScenario = {
  prefix: 'application',
  name: 'withdrawal',
  run: async (s) => {
    const { input, handle } = await s.start();
    await investigate(s, handle, input);
    const view = await handle.executeUpdate(withdrawalUpdate, {
      args: [{ actor: actor('township_staff'), reason: 'moved away' }],
    });
    check('withdrawn', view.stage === 'withdrawn', view);
    await handle.result();
    return { handle, closed: true };
  },
};
