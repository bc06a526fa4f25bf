import type { retentionPurgeWorkflow } from '../../workflows/retention/workflow';
import type { NamedScenario } from './session';

// R-O7: one run of the daily Schedule `retention-daily` (worker/schedules.ts, args
// `[{ retentionDays }]`): one activity purges the expired copies, each table's purge audited.
export const retentionPurgeDaily: NamedScenario = {
  prefix: 'retention',
  name: 'daily',
  run: async (s) => {
    const handle = await s.env.client.workflow.start<typeof retentionPurgeWorkflow>(
      'retentionPurgeWorkflow',
      {
        taskQueue: s.taskQueue,
        workflowId: 'retention-daily-recorded',
        args: [{ retentionDays: 30 }],
      },
    );
    const result = await handle.result();
    if (result.idempotencyKeys !== 2 || s.calls.purges.length !== 1)
      throw new Error(`unexpected purge ${JSON.stringify(result)}`);
    return { handle, closed: true };
  },
};
