import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { civilDateOf, monthOf } from '../../domain/dates';
import { payrollWorkflowId } from '../contracts';
import { payrollWorkflow } from './workflow';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '1m' });

/**
 * Run by the monthly Temporal Schedule (worker/schedules.ts) early on the 1st: starts this month's
 * payroll for every county with open cases. Each payroll waits for its own roster date; a county
 * already started (by hand, or by a catch-up run) is left as it is (one payroll per county-month).
 */
export async function payrollSchedulerWorkflow(
  input: { month?: string } = {},
): Promise<{ started: string[] }> {
  const month = input.month ?? monthOf(civilDateOf(new Date()));
  const started: string[] = [];
  for (const countyCode of await acts.listPayrollCounties()) {
    try {
      await startChild(payrollWorkflow, {
        workflowId: payrollWorkflowId(countyCode, month),
        args: [{ countyCode, month }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      started.push(countyCode);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return { started };
}
