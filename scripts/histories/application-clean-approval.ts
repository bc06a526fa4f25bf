import { approve, type NamedScenario } from './session';

// R-A2 … R-A8: receipt, verification, opinion, 7-day publicity, county approval, case recorded.
// Recorded before patched('start-case-workflow') existed: it replays the branch without the child.
export const applicationCleanApproval: NamedScenario = {
  prefix: 'application',
  name: 'clean-approval',
  run: async (s) => {
    const { handle } = await approve(s);
    return { handle, closed: true };
  },
};
