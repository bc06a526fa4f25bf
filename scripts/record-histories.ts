import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { civilDateOf } from '../domain/dates';
import { actor, applicationInput, COUNTY } from '../test/helpers/fixtures';
import { createTimeSkippingEnv } from '../test/helpers/time-skipping';
import { fakeActivities } from '../test/helpers/workflow-env';
import {
  type ApplicationInput,
  type ApplicationView,
  applicationStateQuery,
  applicationWorkflowId,
  calendarUpdatedSignal,
  decisionUpdate,
  economicCheckUpdate,
  initialOpinionUpdate,
  investigationUpdate,
  objectionUpdate,
  temporaryGrantUpdate,
  withdrawalUpdate,
} from '../workflows/messages';

// Records the histories that test/workflows/replay.test.ts replays on every run (STYLE.md: policy
// changes to running workflows go through patched()).
//   npx tsx scripts/record-histories.ts [name ...] [--force]
// Records the scenarios whose file is missing; an existing history is kept unless --force, because
// it stands for workflows already running in production (test/replay/README.md).

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'test', 'replay', 'histories');
const historyFile = (name: string) => join(OUT, `application-${name}.json`);
// As scripts/stack.ts hands it to the tests; the test server's logs go under .test-data/ of the cwd.
process.env.TEST_TESTSERVER_CLASSPATH ??= join(ROOT, '.tools', 'testserver', 'lib', '*');
process.chdir(ROOT);
Runtime.install({ logger: new DefaultLogger('WARN') });

// The SDK's historyToJSON (@temporalio/common/lib/proto-utils) throws "type must be a Type" with this
// lockfile: @temporalio/common and @temporalio/proto each got their own copy of protobufjs 8 (a 7.x
// copy for @grpc/proto-loader holds node_modules/protobufjs), so protojson's instanceof check fails
// across copies. This is the same conversion with the copy the proto root was built with.
const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const historyType = (fromProto('@temporalio/proto') as { lookupType(name: string): ProtoType }).lookupType(
  'temporal.api.history.v1.History',
);
const protojson = fromProto('protobufjs/ext/protojson') as {
  toJson(type: ProtoType, message: unknown): unknown;
};
interface ProtoType {
  fromObject(o: unknown): unknown;
}
const historyToJSON = (history: unknown) =>
  JSON.stringify(protojson.toJson(historyType, historyType.fromObject(history)), null, 2);

type Handle = WorkflowHandle<(input: ApplicationInput) => Promise<unknown>>;

interface Session {
  env: TestWorkflowEnvironment;
  today(): Promise<string>;
  start(overrides?: Partial<ApplicationInput>): Promise<{ input: ApplicationInput; handle: Handle }>;
}

/** A scenario drives one workflow and says whether it is meant to have closed. */
type Scenario = (s: Session) => Promise<{ handle: Handle; closed: boolean }>;

const opinion = (eligible = true) => ({
  actor: actor('township_staff'),
  eligible,
  ...(eligible ? { category: 'dibao' as const, proposedMonthlyAmount: '1000.00' } : {}),
  reasons: eligible ? 'income below the standard' : 'income above the standard',
});

async function investigate(s: Session, handle: Handle, input: ApplicationInput, findings = 'visited') {
  return handle.executeUpdate(investigationUpdate, {
    args: [
      { actor: actor('township_staff'), household: input.household, findings, visitedOn: await s.today() },
    ],
  });
}

async function verify(s: Session, handle: Handle, input: ApplicationInput) {
  await investigate(s, handle, input);
  return handle.executeUpdate(economicCheckUpdate, {
    args: [{ actor: actor('integration'), checkId: 'chk-1', verified: [], findings: 'no other income' }],
  });
}

function check(what: string, ok: boolean, view: ApplicationView): void {
  if (!ok) throw new Error(`${what} (stage ${view.stage}, last action ${view.history.at(-1)?.action})`);
}

const overall = (v: ApplicationView) =>
  v.deadlines.filter((d) => d.kind === 'overall' && !d.superseded).at(-1);

const scenarios: Record<string, Scenario> = {
  // R-A2 … R-A8: receipt, verification, opinion, 7-day publicity, county approval, case recorded.
  'clean-approval': async (s) => {
    const { input, handle } = await s.start();
    await verify(s, handle, input);
    await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    await s.env.sleep('8 days');
    const view = await handle.executeUpdate(decisionUpdate, {
      args: [
        {
          actor: actor('county_staff', COUNTY),
          approve: true,
          monthlyAmount: '1000.00',
          reasons: 'approved',
        },
      ],
    });
    check('approved with a case', view.stage === 'approved' && !!view.decision?.caseId, view);
    await handle.result();
    return { handle, closed: true };
  },

  // R-A4 R-A6 R-A7: an objection re-runs investigation and publicity; the county then rejects.
  'objection-rejection': async (s) => {
    const { input, handle } = await s.start();
    await verify(s, handle, input);
    await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    await s.env.sleep('2 days');
    await handle.executeUpdate(objectionUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          objectionId: 'obj-1',
          summary: 'neighbour reports a car',
          handling: 're_investigation',
        },
      ],
    });
    await investigate(s, handle, input, 'a car registered to the applicant');
    let view = await handle.executeUpdate(initialOpinionUpdate, { args: [opinion(false)] });
    check('second publicity round', view.publicity?.round === 2, view);
    await s.env.sleep('8 days');
    view = await handle.executeUpdate(decisionUpdate, {
      args: [{ actor: actor('county_staff', COUNTY), approve: false, reasons: 'owns a vehicle (R-E2)' }],
    });
    check('rejected with a notice', view.stage === 'rejected' && !!view.decision?.noticeId, view);
    await handle.result();
    return { handle, closed: true };
  },

  // R-A1: the applicant withdraws during verification.
  withdrawal: async (s) => {
    const { input, handle } = await s.start();
    await investigate(s, handle, input);
    const view = await handle.executeUpdate(withdrawalUpdate, {
      args: [{ actor: actor('township_staff'), reason: 'moved away' }],
    });
    check('withdrawn', view.stage === 'withdrawn', view);
    await handle.result();
    return { handle, closed: true };
  },

  // R-A10 R-A6 R-O3: a temporary grant while pending; then the deadline passes at risk and overdue.
  // Left open: a case waiting on staff is exactly what a deployment finds running.
  'grant-overdue': async (s) => {
    const { input, handle } = await s.start();
    let view = await handle.executeUpdate(temporaryGrantUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          grantId: `g-${input.applicationId}`,
          amount: '500.00',
          reason: 'hospital bill',
        },
      ],
    });
    check('one grant', view.temporaryGrants.length === 1, view);
    const due = overall(view)!;
    const msAt = (date: string) => new Date(`${date}T00:00:00+08:00`).getTime();
    await s.env.sleep(msAt(due.atRiskOn) - (await s.env.currentTimeMs()) + 60_000);
    await s.env.sleep(msAt(due.date) + 86_400_000 - (await s.env.currentTimeMs()) + 60_000);
    view = await handle.query(applicationStateQuery);
    check('at risk and overdue', !!overall(view)?.atRisk && !!overall(view)?.overdue, view);
    return { handle, closed: false };
  },

  // R-T2: a provisional deadline (2027 unknown to the built-in calendar) recomputed by the signal.
  'calendar-updated': async (s) => {
    const { handle } = await s.start({ acceptedOn: '2026-11-23' });
    const before = await handle.query(applicationStateQuery);
    check('a provisional deadline', !!overall(before)?.provisional, before);
    await handle.signal(calendarUpdatedSignal, {
      year: 2027,
      holidays: ['2027-01-01'],
      makeUpWorkdays: [],
      source: 'runtime',
    });
    // The signal handler only queues the entry; wait for the main loop to save it.
    const view = await until(handle, (v) => v.history.at(-1)?.action === 'deadlines_recomputed');
    check('deadline confirmed', overall(view)?.provisional === false, view);
    return { handle, closed: false };
  },
};

async function until(handle: Handle, ok: (v: ApplicationView) => boolean): Promise<ApplicationView> {
  for (let i = 0; ; i++) {
    const view = await handle.query(applicationStateQuery);
    if (ok(view) || i === 50) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The history once no workflow task or activity is in flight, so a replay sees whole tasks only.
 * Time skipping stays locked meanwhile (it is unlocked only inside env.sleep and result()).
 */
async function settledHistory(handle: Handle) {
  for (let i = 0; i < 100; i++) {
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const lastIndex = (pick: (e: (typeof events)[number]) => unknown) =>
      events.reduce((last, e, i) => (pick(e) ? i : last), -1);
    const lastTask = lastIndex(
      (e) => e.workflowTaskScheduledEventAttributes ?? e.workflowTaskStartedEventAttributes,
    );
    const lastDone = lastIndex((e) => e.workflowTaskCompletedEventAttributes);
    const scheduled = new Set(
      events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => String(e.eventId)),
    );
    for (const e of events) {
      const closed =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes ??
        e.activityTaskCanceledEventAttributes;
      if (closed) scheduled.delete(String(closed.scheduledEventId));
    }
    if (lastDone > lastTask && scheduled.size === 0) return history;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`history of ${handle.workflowId} did not settle`);
}

async function record(name: string, scenario: Scenario, bundle: WorkflowBundle | { codePath: string }) {
  // One server per history, as in test/workflows: time skipping is global to a server.
  const env = await createTimeSkippingEnv();
  const { activities } = fakeActivities();
  const taskQueue = `record-${name}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
  });
  const session: Session = {
    env,
    today: async () => civilDateOf(new Date(await env.currentTimeMs())),
    start: async (overrides = {}) => {
      const input = applicationInput({ acceptedOn: await session.today(), ...overrides });
      const handle = await env.client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: applicationWorkflowId(input.applicationId),
        args: [input],
      });
      return { input, handle: handle as Handle };
    },
  };
  try {
    const history = await worker.runUntil(async () => {
      const { handle, closed } = await scenario(session);
      const settled = await settledHistory(handle);
      const isClosed = (await handle.describe()).status.name !== 'RUNNING';
      if (isClosed !== closed)
        throw new Error(`${name}: expected the workflow ${closed ? 'closed' : 'open'}`);
      return settled;
    });
    const file = historyFile(name);
    writeFileSync(file, `${historyToJSON(history)}\n`);
    console.log(`[record] ${name}: ${history.events?.length} events → ${file}`);
  } finally {
    await env.teardown();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const only = args.filter((a) => a !== '--force');
  const unknown = only.filter((n) => !(n in scenarios));
  if (unknown.length) throw new Error(`no scenario ${unknown.join(', ')}; known: ${Object.keys(scenarios)}`);
  const todo = Object.entries(scenarios).filter(([name]) => {
    if (only.length && !only.includes(name)) return false;
    if (force || !existsSync(historyFile(name))) return true;
    console.log(`[record] ${name}: kept ${historyFile(name)} (--force re-records it)`);
    return false;
  });
  if (todo.length === 0) return;
  mkdirSync(OUT, { recursive: true });
  // TEST_WORKFLOW_BUNDLE when scripts/test.sh made one; otherwise bundle today's code, never a stale file.
  const codePath = process.env.TEST_WORKFLOW_BUNDLE;
  const bundle = codePath
    ? { codePath }
    : await bundleWorkflowCode({
        workflowsPath: join(ROOT, 'workflows', 'index.ts'),
        logger: new DefaultLogger('WARN'),
      });
  for (const [name, scenario] of todo) await record(name, scenario, bundle);
}

main().catch((err: Error) => {
  console.error(`[record] FAILED: ${err.stack ?? err.message}`);
  process.exit(1);
});
