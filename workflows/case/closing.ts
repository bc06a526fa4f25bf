import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { demandIdOf } from '../contracts';
import { caseClosureFinding, registerActs } from '../register/hooks';
import type { CaseState } from './state';

// What a closed case does before it ends: its closure's own effects, the household's register entry
// (R-L1), and the repayment demands of what no later payment can offset (R-M10), tracked until
// repaid or written off.

export async function closeOut(
  state: CaseState,
  flush: () => Promise<void>,
  acts: Pick<Activities, 'claimOpenRecoveries'>,
  registered: boolean,
): Promise<void> {
  const v = state.view;
  const now = () => new Date();
  // R-M10: the closure's own effects — its recovery above all — are recorded before anything that
  // reads them (an Update's flush and the loop's can interleave so that the loop leaves first).
  await flush();
  // R-L1: a closed case keeps the household in the register (a former recipient, by the closure's
  // reason and the income measured) at closure, before a repayment demand keeps the case open. A
  // closed case started again (a late death) has done this already.
  if (!registered) {
    const finding = caseClosureFinding(state.snapshot());
    if (finding) await registerActs.registerFinding(finding);
  }
  // R-M10: a closed case's recoveries that no later payment can offset become a repayment demand,
  // and the case stays to track it until it is repaid or written off. A recovery found later (a
  // death reported after the closure) becomes a demand of its own: the case ends once nothing is
  // open and every recovery was claimed.
  const recoveries = () => v.adjustments.filter((a) => a.kind === 'recovery').length;
  let claimedAt = -1;
  for (;;) {
    if (claimedAt !== recoveries()) {
      claimedAt = recoveries();
      const demandId = demandIdOf(v.caseId, (v.demands?.length ?? 0) + 1);
      const claimed = await acts.claimOpenRecoveries({ caseId: v.caseId, demandId });
      if (claimed) {
        state.raiseDemand(demandId, claimed, now());
        await flush();
      }
    }
    await condition(() => state.openDemands().length === 0 || recoveries() !== claimedAt);
    await condition(allHandlersFinished);
    await flush(); // a late recovery is recorded before it is claimed
    if (state.openDemands().length === 0 && recoveries() === claimedAt) break;
  }
}
