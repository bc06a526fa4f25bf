import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  continueAsNew,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { caseWorkflow } from './case';
import {
  caseWorkflowId,
  type ImportCounts,
  type ImportInput,
  type ImportOutcome,
  type ImportResult,
  importProgressQuery,
} from './messages';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

const CONCURRENCY = 20;
/** ~8 history events per household: a run stays far below Temporal's history limits. */
const HOUSEHOLDS_PER_RUN = 1000;

/**
 * `import:<id>`: one case workflow per stored household, in bounded concurrency, with progress
 * (API.md "Documents and onboarding"). Only ids pass through: recordCase reads the household from
 * Postgres and writes its case row and enrolments (R-A1); the case workflow, started by a
 * deterministic id, reads its starting state there too. A crash resumes by replay; a retried
 * activity or start finds its own rows and its own workflow, so no case is made twice.
 */
export async function importWorkflow(input: ImportInput): Promise<ImportResult> {
  const { importId, total } = input;
  const counts: ImportCounts = { ...(input.counts ?? { done: 0, created: 0, alreadyPresent: 0, failed: 0 }) };
  let after = input.afterSeq ?? 0;
  const perRun = input.householdsPerRun ?? HOUSEHOLDS_PER_RUN;
  const lanes = input.concurrency ?? CONCURRENCY;
  const result = (): ImportResult => ({ importId, total, ...counts });
  setHandler(importProgressQuery, result);

  const one = async (seq: number): Promise<ImportOutcome> => {
    const r = await acts.recordCase({ imported: { importId, seq } });
    if (r.outcome !== 'created')
      return { seq, caseId: r.caseId, outcome: r.outcome ?? 'failed', reason: r.reason };
    try {
      await startChild(caseWorkflow, {
        workflowId: caseWorkflowId(r.caseId),
        args: [{ importRef: { importId, seq, caseId: r.caseId } }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      // Started by this import before (a retried start): the case exists once.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return { seq, caseId: r.caseId, outcome: 'created' };
  };

  let doneThisRun = 0;
  while (after < total) {
    const last = Math.min(total, after + Math.min(perRun, 200));
    const seqs = Array.from({ length: last - after }, (_, i) => after + i + 1);
    const outcomes: ImportOutcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(lanes, seqs.length) }, async () => {
        while (next < seqs.length) outcomes.push(await one(seqs[next++]!));
      }),
    );
    await acts.recordImportOutcomes({ importId, outcomes });
    for (const o of outcomes) {
      counts.done++;
      if (o.outcome === 'created') counts.created++;
      else if (o.outcome === 'already_present') counts.alreadyPresent++;
      else counts.failed++;
    }
    after = last;
    doneThisRun += seqs.length;
    // Progress without personal data: ids and counts only.
    log.info('import progress', { importId, ...counts, total });
    if (after < total && (doneThisRun >= perRun || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof importWorkflow>({ ...input, afterSeq: after, counts });
    }
  }
  return result();
}
