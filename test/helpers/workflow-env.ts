import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import type { ApplicationView, HistoryEntry } from '../../workflows/messages';
import { testEnv } from './env';
import { createTimeSkippingEnv } from './time-skipping';

/** In-memory stand-ins for the activities: they record what the workflow asked for. */
export function fakeActivities() {
  const calls = {
    saved: [] as { view: ApplicationView; entries: HistoryEntry[]; version: number }[],
    cases: [] as string[],
    notices: [] as Parameters<Activities['issueNotice']>[0][],
    alerts: [] as Parameters<Activities['notifySupervisor']>[0][],
    grants: [] as Parameters<Activities['recordTemporaryGrant']>[0][],
  };
  const activities: Activities = {
    loadApplicationContext: async () => {
      throw new Error('not used by the workflow');
    },
    saveApplication: async (a) => {
      calls.saved.push({ view: a.view, entries: a.entries, version: a.version });
    },
    recordCase: async (a) => {
      calls.cases.push(a.input.applicationId);
      return { caseId: a.input.applicationId };
    },
    issueNotice: async (a) => {
      calls.notices.push(a);
      return { noticeId: `N-${a.subjectId}` };
    },
    recordTemporaryGrant: async (a) => {
      calls.grants.push(a);
    },
    notifySupervisor: async (a) => {
      calls.alerts.push(a);
    },
  };
  return { activities, calls };
}

export interface WorkflowHarness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  calls: ReturnType<typeof fakeActivities>['calls'];
  stop(): Promise<void>;
}

/** One time-skipping server and one worker per test file (STYLE.md). */
export async function startWorkflowHarness(): Promise<WorkflowHarness> {
  const env = await createTimeSkippingEnv();
  const { activities, calls } = fakeActivities();
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
    activities,
  });
  const running = worker.run();
  return {
    env,
    worker,
    taskQueue,
    calls,
    stop: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
