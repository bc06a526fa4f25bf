import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { RetentionInput, RetentionResult } from '../contracts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '10s', maximumInterval: '10m' },
});

/**
 * R-O7: one run of the daily purge (started by the Schedule `retention-daily`, worker/schedules.ts):
 * replayed API answers and the households of finished caseload imports older than the retention
 * go, each table's purge audited under this run's id.
 */
export async function retentionPurgeWorkflow(input: RetentionInput): Promise<RetentionResult> {
  return acts.purgeExpiredCopies({ ...input, runKey: workflowInfo().workflowId });
}
