import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { caseWorkflowId, type ImportedCaseStart } from '../workflows/contracts';
import { type Pace, pacer } from './backlog-pace';

// The case workflows of a page of imported households, started by the import's activity (API.md
// "Documents and onboarding"): `case:<id>` by reference only (the case reads its household from the
// stored batch), `lanes` starts in flight at once. Exactly once: a retried activity finds its own
// workflow (already started: nothing to do), and a case that has already ended is never started again
// under its id (REJECT_DUPLICATE), so a household is one case whatever is retried. With a pace,
// each start waits for a place (backlog-pace.ts).

export interface ImportedCaseRef {
  seq: number;
  caseId: string;
}

export async function startImportedCases(
  client: Client,
  taskQueue: string,
  importId: string,
  cases: readonly ImportedCaseRef[],
  lanes: number,
  onStarted: (started: ImportedCaseRef) => void = () => {},
  pace?: Pace,
): Promise<void> {
  let next = 0;
  const places = pacer(pace);
  const start = async ({ seq, caseId }: ImportedCaseRef) => {
    await places.acquire();
    const args: [ImportedCaseStart] = [{ importRef: { importId, seq, caseId } }];
    try {
      await client.workflow.start('caseWorkflow', {
        taskQueue,
        workflowId: caseWorkflowId(caseId),
        args,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    onStarted({ seq, caseId });
  };
  await Promise.all(
    Array.from({ length: Math.min(lanes, cases.length) }, async () => {
      while (next < cases.length) await start(cases[next++]!);
    }),
  );
}
