import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addMonthsToYearMonth, civilDateOf, dayInMonth, monthOf } from '../../domain/dates';
import { defaultPolicy } from '../../domain/policy';
import { caseStateQuery, caseWorkflowId, standardAdjustmentWorkflowId } from '../../workflows/contracts';
import { COUNTY, caseInput } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

describe('standard adjustment fan-out (time-skipping)', () => {
  it('R-M8: a new standard reaches every open case once; a closed or missing case is skipped; a repeat is the same workflow', async () => {
    const today = civilDateOf(new Date(await h.env.currentTimeMs()));
    const ids = ['C1', 'C2', 'C3'].map((x) => `${x}-${Math.random().toString(36).slice(2)}`);
    for (const caseId of ids) {
      const input = caseInput({
        caseId,
        applicationId: caseId,
        approvedOn: today,
        startMonth: addMonthsToYearMonth(monthOf(today), 1),
      });
      await h.env.client.workflow.start('caseWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: caseWorkflowId(caseId),
        args: [input],
      });
    }
    h.calls.openCases.push(...ids, 'C0-never-started');
    const policy = defaultPolicy({
      countyCode: COUNTY,
      effectiveFrom: dayInMonth(addMonthsToYearMonth(monthOf(today), 1), 1),
      standardUrban: '850.00',
      standardRural: '700.00',
    });
    const workflowId = standardAdjustmentWorkflowId(policy.version);
    const result = await h.env.client.workflow.execute('standardAdjustmentWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ policy }],
    });
    expect(result).toEqual({ signalled: 3 });
    for (const caseId of ids) {
      const v = await h.env.client.workflow.getHandle(caseWorkflowId(caseId)).query(caseStateQuery);
      expect(v.appliedPolicyVersions).toContain(policy.version);
      expect(v.monthlyAmount).toBe('1100.00'); // (700 − 650) × 2 persons more
    }
    await expect(
      h.env.client.workflow.start('standardAdjustmentWorkflow', {
        taskQueue: h.taskQueue,
        workflowId,
        args: [{ policy }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  });
});
