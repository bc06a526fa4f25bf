import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addMonthsToYearMonth, civilDateOf, dayInMonth, monthOf } from '../../domain/dates';
import { defaultPolicy } from '../../domain/policy';
import {
  type CaseInput,
  caseStateQuery,
  caseWorkflowId,
  standardAdjustmentWorkflowId,
} from '../../workflows/messages';
import { COUNTY, context, household, VILLAGE } from '../helpers/fixtures';
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
    const ctx = context();
    const ids = ['C1', 'C2', 'C3'].map((x) => `${x}-${Math.random().toString(36).slice(2)}`);
    for (const caseId of ids) {
      const hh = household({ size: 2 });
      const input: CaseInput = {
        caseId,
        applicationId: caseId,
        category: 'dibao',
        villageCode: VILLAGE,
        residence: 'rural',
        members: hh.members.map((m) => ({
          idNumber: m.idNumber,
          name: m.name,
          relation: m.relation,
          covered: true,
        })),
        approvedOn: today,
        approvedBy: 'county_staff-1',
        startMonth: addMonthsToYearMonth(monthOf(today), 1),
        monthlyAmount: '1000.00',
        closeRelative: false,
        unstableIncome: false,
        policy: ctx.policy,
        deadlines: ctx.deadlines,
        runtimeYears: [],
      };
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
