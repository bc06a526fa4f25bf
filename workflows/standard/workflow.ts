import { continueAsNew, getExternalWorkflowHandle, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { caseWorkflowId, type StandardAdjustmentInput, standardChangedSignal } from '../contracts';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '1m' });

const PAGE = 200;
const CONCURRENT_SIGNALS = 25;
const PAGES_PER_RUN = 10;

/**
 * R-M8: a county's new standard reaches every open case. One workflow per policy version (its id),
 * so a repeated adjustment is the same workflow; pages of case ids from the read model, signals in
 * small concurrent batches with a pause between pages so thousands of cases do not flood the
 * server; continues as new every few pages to keep its history short. Each case applies a version
 * once, so a page signalled twice (after a retry) changes nothing.
 */
export async function standardAdjustmentWorkflow(
  input: StandardAdjustmentInput,
): Promise<{ signalled: number }> {
  let after = input.afterCaseId;
  let signalled = input.signalled ?? 0;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const ids = await acts.listOpenCases({
      countyCode: input.policy.countyCode,
      afterCaseId: after,
      limit: PAGE,
    });
    if (!ids.length) return { signalled };
    for (let i = 0; i < ids.length; i += CONCURRENT_SIGNALS) {
      await Promise.all(
        ids.slice(i, i + CONCURRENT_SIGNALS).map((id) =>
          getExternalWorkflowHandle(caseWorkflowId(id))
            .signal(standardChangedSignal, { policy: input.policy })
            .then(
              () => 1,
              () => 0, // closed meanwhile (or never started): nothing to adjust
            ),
        ),
      ).then((ok) => {
        signalled += ok.reduce((a: number, b: number) => a + b, 0);
      });
    }
    after = ids.at(-1);
    if (ids.length < PAGE) return { signalled };
    await sleep('1 second');
  }
  return continueAsNew<typeof standardAdjustmentWorkflow>({ ...input, afterCaseId: after, signalled });
}
