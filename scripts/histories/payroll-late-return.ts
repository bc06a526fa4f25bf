import { WithStartWorkflowOperation } from '@temporalio/client';
import { addMonthsToYearMonth, monthOf } from '../../domain/dates';
import { COUNTY } from '../../test/helpers/fixtures';
import { paymentResultsUpdate, payrollId, payrollWorkflowId } from '../../workflows/contracts';
import type { payrollWorkflow } from '../../workflows/payroll/workflow';
import { type NamedScenario, startedBy } from './session';

// R-M1: last month's payroll has completed (its one line paid); the bank then returns the payment.
// The results route's update-with-start begins a results-only run of the same payroll id: it shows
// the earlier bank file, applies the return through its Update and completes (no roster, no file).
export const payrollLateReturn: NamedScenario = {
  prefix: 'payroll',
  name: 'late-return',
  run: async (s) => {
    const month = addMonthsToYearMonth(monthOf(await s.today()), -1);
    const id = payrollId(COUNTY, month);
    const lineId = `${id}:${COUNTY}-C1`;
    s.fakes.payroll.payrolls.set(id, {
      countyCode: COUNTY,
      month,
      status: 'completed',
      rostered: [{ caseId: `${COUNTY}-C1`, amount: '1000.00' }],
      lines: new Map([[lineId, 'paid']]),
      results: new Set(['bank-1']),
      file: { fileName: `${COUNTY}/${month}.csv`, sha256: '0'.repeat(64), lines: 1, amount: '1000.00' },
    });
    const op = new WithStartWorkflowOperation<typeof payrollWorkflow>('payrollWorkflow', {
      taskQueue: s.taskQueue,
      workflowId: payrollWorkflowId(COUNTY, month),
      args: [{ countyCode: COUNTY, month, resultsOnly: true }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    const outcomes = await s.env.client.workflow.executeUpdateWithStart(paymentResultsUpdate, {
      args: [
        {
          results: [
            {
              resultId: 'bank-2',
              lineId,
              outcome: 'returned',
              reason: 'account closed',
              reportedAt: new Date().toISOString(),
            },
          ],
        },
      ],
      startWorkflowOperation: op,
    });
    if (outcomes.join() !== 'applied') throw new Error(`unexpected outcomes ${outcomes}`);
    const handle = await startedBy(s, op);
    const result = await handle.result();
    if (result.stage !== 'completed') throw new Error(`unexpected result ${JSON.stringify(result)}`);
    return { handle, closed: true };
  },
};
