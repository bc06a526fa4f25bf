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
