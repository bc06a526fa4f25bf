import { dayInMonth } from '../../domain/dates';
import { defaultPolicy } from '../../domain/policy';
import { COUNTY } from '../../test/helpers/fixtures';
import { caseStateQuery, standardAdjustmentWorkflowId } from '../../workflows/contracts';
import type { standardAdjustmentWorkflow } from '../../workflows/standard/workflow';
import { type NamedScenario, poll } from './session';

// R-M8: the county raises its standards from next month; the fan-out pages through the open cases
// of the read model and signals each (`standardChanged`): two running cases take the new standard,
// a case whose workflow is no longer running is skipped (its signal fails); the last page is short,
// so the workflow completes with the count signalled.
export const standardAdjustmentFanOut: NamedScenario = {
  prefix: 'standard-adjustment',
  name: 'fan-out',
  run: async (s) => {
    const a = await s.startCase();
    const b = await s.startCase();
    s.calls.openCases.push(a.input.caseId, b.input.caseId, `C${COUNTY}-closed-meanwhile`);
    const policy = defaultPolicy({
      countyCode: COUNTY,
      effectiveFrom: dayInMonth(a.m(1), 1),
      standardUrban: '850.00',
      standardRural: '700.00',
    });
    const handle = await s.env.client.workflow.start<typeof standardAdjustmentWorkflow>(
      'standardAdjustmentWorkflow',
      {
        taskQueue: s.taskQueue,
        workflowId: standardAdjustmentWorkflowId(policy.version),
        args: [{ policy }],
      },
    );
    const result = await handle.result();
    if (result.signalled !== 2) throw new Error(`signalled ${result.signalled}`);
    for (const { handle: c } of [a, b])
      await poll(
        () => c.query(caseStateQuery),
        (v) => v.appliedPolicyVersions.includes(policy.version) && v.monthlyAmount === '1100.00',
        'the case took the new standard',
      );
    return { handle, closed: true };
  },
};
