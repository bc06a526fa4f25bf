import { household } from '../../test/helpers/fixtures';
import type { NamedScenario } from './session';

// R-A1: a receipt naming a person already held by another case is refused by the workflow's
// first activity; the workflow ends as refused and nothing was written.
export const applicationReceiptRefused: NamedScenario = {
  prefix: 'application',
  name: 'receipt-refused',
  run: async (s) => {
    const hh = household();
    s.calls.held.set(hh.members[0]!.idNumber, { holderKind: 'case', holderId: 'A140802202601010000ABCD' });
    const { handle } = await s.start({ household: hh });
    const result = (await handle.result()) as { stage: string };
    if (result.stage !== 'refused') throw new Error(`expected a refused receipt, got ${result.stage}`);
    return { handle, closed: true };
  },
};
