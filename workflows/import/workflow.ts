import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  continueAsNew,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { caseWorkflow } from '../case/workflow';
import {
  caseWorkflowId,
  type ImportCounts,
  type ImportInput,
  type ImportOutcome,
  type ImportResult,
  importProgressQuery,
} from '../contracts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** Households recorded by one activity call, and case workflows being started at once. */
const PAGE = 200;
const CONCURRENCY = 50;
/** ~3 history events per household: a run stays far below Temporal's history limits. */
const HOUSEHOLDS_PER_RUN = 2000;

/**
 * `import:<id>`: one case workflow per stored household, a page at a time, with progress (API.md
 * "Documents and onboarding"). Only ids pass through: recordCase reads a page of households from
 * Postgres and writes each one's case row and enrolments (R-A1); each case workflow, started by a
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
  // A page's cases are started by one activity (no child events in this history, no task per start);
  // a run begun before started them as abandoned children (ARCHITECTURE.md "Changing a running
  // workflow"). Asked once, in the run's first task.
  const startsByActivity = patched('import-starts-cases-by-activity');

  const start = async (o: ImportOutcome) => {
    try {
      await startChild(caseWorkflow, {
        workflowId: caseWorkflowId(o.caseId),
        args: [{ importRef: { importId, seq: o.seq, caseId: o.caseId } }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      // Started by this import before (a retried start): the case exists once.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };

  let doneThisRun = 0;
  while (after < total) {
    const last = Math.min(total, after + Math.min(perRun, PAGE));
    const { imported = [] } = await acts.recordCase({
      imported: { importId, fromSeq: after + 1, toSeq: last },
    });
    const created = imported.filter((o) => o.outcome === 'created');
    if (startsByActivity) {
      const cases = created.map(({ seq, caseId }) => ({ seq, caseId }));
      if (cases.length) await acts.startImportedCases({ importId, cases, lanes });
    } else {
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(lanes, created.length) }, async () => {
          while (next < created.length) await start(created[next++]!);
        }),
      );
    }
    await acts.recordImportOutcomes({ importId, outcomes: imported });
    for (const o of imported) {
      counts.done++;
      if (o.outcome === 'created') counts.created++;
      else if (o.outcome === 'already_present') counts.alreadyPresent++;
      else counts.failed++;
    }
    doneThisRun += last - after;
    after = last;
    // Progress without personal data: ids and counts only.
    log.info('import progress', { importId, ...counts, total });
    if (after < total && (doneThisRun >= perRun || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof importWorkflow>({ ...input, afterSeq: after, counts });
    }
  }
  return result();
}
