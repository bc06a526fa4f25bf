import { civilDateOf, monthOf } from '../../domain/dates';
import { COUNTY } from '../../test/helpers/fixtures';
import { payrollWorkflowId } from '../../workflows/contracts';
import type { payrollSchedulerWorkflow } from '../../workflows/payroll/scheduler';
import type { payrollWorkflow } from '../../workflows/payroll/workflow';
import type { NamedScenario } from './session';

// R-M1: the monthly Schedule's run (args `{}`, worker/schedules.ts): this month's payroll for each
// county with open cases, started as an abandoned child; a county whose payroll was already started
// by hand is left as it is (the child start fails as already started).
export const payrollSchedulerMonthly: NamedScenario = {
  prefix: 'payroll-scheduler',
  name: 'monthly',
  run: async (s) => {
    const other = '140803';
    s.fakes.payroll.cases.set(COUNTY, [{ caseId: `${COUNTY}-C1`, amount: '1000.00' }]);
    s.fakes.payroll.cases.set(other, [{ caseId: `${other}-C1`, amount: '900.00' }]);
    const month = monthOf(civilDateOf(new Date(await s.env.currentTimeMs())));
    await s.env.client.workflow.start<typeof payrollWorkflow>('payrollWorkflow', {
      taskQueue: s.taskQueue,
      workflowId: payrollWorkflowId(other, month),
      args: [{ countyCode: other, month }],
    });
    const handle = await s.env.client.workflow.start<typeof payrollSchedulerWorkflow>(
      'payrollSchedulerWorkflow',
      { taskQueue: s.taskQueue, workflowId: `payroll-monthly-${month}`, args: [{}] },
    );
    const result = await handle.result();
    if (result.started.join() !== COUNTY) throw new Error(`unexpected start ${result.started}`);
    return { handle, closed: true };
  },
};
