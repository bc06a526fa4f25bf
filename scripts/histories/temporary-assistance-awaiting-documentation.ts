import { temporaryAssistanceStateQuery, temporaryDecisionUpdate } from '../../workflows/contracts';
import { type NamedScenario, poll } from './session';
import { clerk, receiveAssistance } from './temporary-assistance-township-documented';

// R-A10: what a deployment finds running: a township grant paid at once and noticed, its
// documentation not yet due (the at-risk timer pending), the bank's result not yet in.
export const temporaryAssistanceAwaitingDocumentation: NamedScenario = {
  prefix: 'temporary-assistance',
  name: 'awaiting-documentation',
  run: async (s) => {
    const { handle } = await receiveAssistance(s);
    await handle.executeUpdate(temporaryDecisionUpdate, {
      args: [{ actor: clerk, approve: true, amount: '500.00', reasons: 'serious illness' }],
    });
    await poll(
      () => handle.query(temporaryAssistanceStateQuery),
      (v) => !!v.payment && !!v.noticeId,
      'paid and noticed',
    );
    return { handle, closed: false };
  },
};
