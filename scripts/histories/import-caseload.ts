import { addMonthsToYearMonth, dayInMonth, monthOf } from '../../domain/dates';
import { COUNTY, caseInput } from '../../test/helpers/fixtures';
import { caseWorkflowId, importWorkflowId } from '../../workflows/contracts';
import type { importWorkflow } from '../../workflows/import/workflow';
import type { StoredHousehold } from './fake-imports';
import type { NamedScenario } from './session';

const OUTCOMES: Pick<StoredHousehold, 'outcome' | 'reason'>[] = [
  { outcome: 'created' },
  { outcome: 'created' },
  { outcome: 'failed', reason: 'a member is held by another case (R-A1)' },
  { outcome: 'already_present' },
  { outcome: 'created' },
];

// R-A1 R-M1 R-M4: a caseload import of five stored households, two a run (`householdsPerRun`, as
// 2,000 are in production): each run records a page of households as cases (created, failed with a
// reason, already present), starts a case workflow by reference for each one created (abandoned
// children, reading their input themselves), records the page's outcomes, and continues as new with
// its counts; the third run completes.
export const importCaseload: NamedScenario = {
  prefix: 'import',
  name: 'caseload',
  run: async (s) => {
    const importId = `I${COUNTY}${Date.now()}`;
    const month = monthOf(await s.today());
    s.fakes.imports.batches.set(
      importId,
      OUTCOMES.map((o, i) => {
        const base = caseInput({ approvedOn: dayInMonth(month, 1), startMonth: month });
        const input = {
          ...base,
          applicationId: '',
          imported: {
            importId,
            importedBy: 'admin-1',
            nextReviewOn: dayInMonth(addMonthsToYearMonth(month, 6), 1),
          },
        };
        return { seq: i + 1, ...o, input };
      }),
    );
    const handle = await s.env.client.workflow.start<typeof importWorkflow>('importWorkflow', {
      taskQueue: s.taskQueue,
      workflowId: importWorkflowId(importId),
      args: [{ importId, countyCode: COUNTY, total: OUTCOMES.length, householdsPerRun: 2 }],
    });
    const result = await handle.result();
    if (result.done !== 5 || result.created !== 3 || result.failed !== 1 || result.alreadyPresent !== 1)
      throw new Error(`unexpected counts ${JSON.stringify(result)}`);
    for (const h of s.fakes.imports.batches.get(importId)!.filter((x) => x.outcome === 'created')) {
      const started = await s.env.client.workflow.getHandle(caseWorkflowId(h.input.caseId)).describe();
      if (started.status.name !== 'RUNNING') throw new Error('an imported case is not running');
    }
    return { handle, closed: true, continued: true };
  },
};

/**
 * The same import recorded after a page's cases are started by one activity, `startImportedCases`
 * (patch `import-starts-cases-by-activity`): no child workflow events in the import's history.
 */
export const importCaseloadByActivity: NamedScenario = { ...importCaseload, name: 'caseload-by-activity' };
