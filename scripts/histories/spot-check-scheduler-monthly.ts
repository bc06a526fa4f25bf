import { COUNTY } from '../../test/helpers/fixtures';
import { spotCheckRoundWorkflowId } from '../../workflows/contracts';
import type { spotCheckRoundWorkflow, spotCheckSchedulerWorkflow } from '../../workflows/spot-check/round';
import type { NamedScenario } from './session';
import { decisionsOf, lastMonth } from './spot-check-round-draw';

// R-O2: the monthly Schedule's run (args `{}`, worker/schedules.ts): last month's round for each
// county with township decisions, started as an abandoned child; a county whose round a supervisor
// already started is left as it is (the child start fails as already started).
export const spotCheckSchedulerMonthly: NamedScenario = {
  prefix: 'spot-check-scheduler',
  name: 'monthly',
  run: async (s) => {
    const other = '140803';
    const month = await lastMonth(s);
    s.fakes.spotChecks.decisions.push(...decisionsOf(COUNTY, month, 3), ...decisionsOf(other, month, 2));
    await s.env.client.workflow.start<typeof spotCheckRoundWorkflow>('spotCheckRoundWorkflow', {
      taskQueue: s.taskQueue,
      workflowId: spotCheckRoundWorkflowId(other, month),
      args: [{ countyCode: other, month, startedBy: 'supervisor-1' }],
    });
    const handle = await s.env.client.workflow.start<typeof spotCheckSchedulerWorkflow>(
      'spotCheckSchedulerWorkflow',
      { taskQueue: s.taskQueue, workflowId: `spot-check-monthly-${month}`, args: [{}] },
    );
    const result = await handle.result();
    if (result.started.join() !== COUNTY) throw new Error(`unexpected start ${result.started}`);
    return { handle, closed: true };
  },
};
