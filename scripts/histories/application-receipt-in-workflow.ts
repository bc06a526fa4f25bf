import { approve, type NamedScenario } from './session';

// R-A1 … R-A8 since the workflow writes its own receipt (patched 'receipt-in-workflow'): the
// receipt as its first (local) activity, local read-model saves, search attributes upserted when
// they change, one save per decision and the case workflow started without holding the answer.
export const applicationReceiptInWorkflow: NamedScenario = {
  prefix: 'application',
  name: 'receipt-in-workflow',
  run: async (s) => {
    const { handle } = await approve(s);
    return { handle, closed: true };
  },
};
