import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

export const PAYROLL_SCHEDULE_ID = 'payroll-monthly';

/**
 * R-M1: the monthly payroll schedule — 01:00 Asia/Shanghai on the 1st, starting each county's
 * payroll for the month (which then waits for its roster date). Created once; a restart of the
 * worker finds it and leaves it. A missed run (server down) is caught up within a week.
 */
export async function ensurePayrollSchedule(
  client: Client,
  taskQueue: string,
): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: PAYROLL_SCHEDULE_ID,
      spec: { calendars: [{ dayOfMonth: 1, hour: 1, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: {
        type: 'startWorkflow',
        // By function reference: the schedule's arguments are checked against the workflow's.
        workflowType: 'payrollSchedulerWorkflow',
        taskQueue,
        args: [{}],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      memo: { purpose: 'monthly payroll per county (R-M1)' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}

export const SPOT_CHECK_SCHEDULE_ID = 'spot-check-monthly';

/**
 * R-O2: the monthly spot-check draw — 02:00 Asia/Shanghai on the 1st, one round per county with
 * township decisions in the month before. Created once, like the payroll schedule.
 */
export async function ensureSpotCheckSchedule(
  client: Client,
  taskQueue: string,
): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: SPOT_CHECK_SCHEDULE_ID,
      spec: { calendars: [{ dayOfMonth: 1, hour: 2, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'spotCheckSchedulerWorkflow', taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      memo: { purpose: 'monthly spot checks of township decisions per county (R-O2)' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}

export const RETENTION_SCHEDULE_ID = 'retention-daily';

/**
 * R-O7: the daily purge of copies kept for technical reasons — 03:30 Asia/Shanghai, whatever is
 * older than RETENTION_DAYS. Created once; a worker started with another RETENTION_DAYS sets it on
 * the existing Schedule.
 */
export async function ensureRetentionSchedule(
  client: Client,
  taskQueue: string,
  retentionDays: number,
  scheduleId = RETENTION_SCHEDULE_ID,
): Promise<'created' | 'exists'> {
  const args = [{ retentionDays }];
  try {
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 3, minute: 30 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'retentionPurgeWorkflow', taskQueue, args },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { purpose: 'daily purge of replayed answers and imported households (R-O7)' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev) => ({
      ...prev,
      action: {
        ...prev.action,
        type: 'startWorkflow',
        workflowType: 'retentionPurgeWorkflow',
        taskQueue,
        args,
      },
    }));
    return 'exists';
  }
}
