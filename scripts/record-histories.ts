import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import {
  addDays,
  addMonthsToYearMonth,
  type CivilDate,
  civilDateOf,
  dayInMonth,
  endOfCivilDay,
  monthOf,
  type YearMonth,
} from '../domain/dates';
import { actor, applicationInput, COUNTY, context, household, VILLAGE } from '../test/helpers/fixtures';
import { createTimeSkippingEnv } from '../test/helpers/time-skipping';
import { fakeActivities } from '../test/helpers/workflow-env';
import {
  type ApplicationInput,
  type ApplicationView,
  applicationStateQuery,
  applicationWorkflowId,
  type CaseInput,
  type CaseResult,
  type CaseView,
  calendarUpdatedSignal,
  caseStateQuery,
  caseWorkflowId,
  changeReportUpdate,
  comparisonHitSignal,
  deathNoticeSignal,
  decisionUpdate,
  economicCheckUpdate,
  initialOpinionUpdate,
  investigationUpdate,
  objectionUpdate,
  reviewResultUpdate,
  temporaryGrantUpdate,
  withdrawalUpdate,
} from '../workflows/messages';

// Records the histories that test/workflows/replay.test.ts replays on every run (STYLE.md: policy
// changes to running workflows go through patched()).
//   npx tsx scripts/record-histories.ts [name ...] [--force]
// Records the scenarios whose file is missing; an existing history is kept unless --force, because
// it stands for workflows already running in production (test/replay/README.md). A scenario writes
// `<workflow>-<name>.json`; when its workflow continued as new, the first run goes there and each
// later run to `<workflow>-<name>-run<k>.json` (the last one is the run still going).

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'test', 'replay', 'histories');
type Prefix = 'application' | 'case';
const historyFile = (prefix: Prefix, name: string, run = 1) =>
  join(OUT, `${prefix}-${name}${run > 1 ? `-run${run}` : ''}.json`);
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

type Handle = WorkflowHandleWithFirstExecutionRunId<(input: ApplicationInput) => Promise<unknown>>;
type CaseHandle = WorkflowHandleWithFirstExecutionRunId<(input: CaseInput) => Promise<CaseResult>>;

interface Session {
  env: TestWorkflowEnvironment;
  calls: ReturnType<typeof fakeActivities>['calls'];
  today(): Promise<CivilDate>;
  /** Moves workflow time to noon (Asia/Shanghai) of a civil date, as test/workflows/case.test.ts does. */
  sleepUntil(date: CivilDate): Promise<void>;
  start(overrides?: Partial<ApplicationInput>): Promise<{ input: ApplicationInput; handle: Handle }>;
  /** A case approved on the 1st of this month (server time), paid from next month; m(i) is month i after approval. */
  startCase(
    overrides?: Partial<CaseInput> & { size?: number },
  ): Promise<{ input: CaseInput; handle: CaseHandle; m(i: number): YearMonth }>;
}

/**
 * What a scenario leaves: the workflow, whether it is meant to have closed and, for workflows that
 * continue as new, whether it is meant to have done so (every run is then recorded).
 */
interface Outcome {
  handle: WorkflowHandleWithFirstExecutionRunId;
  closed: boolean;
  continued?: boolean;
}

/** A scenario drives one workflow; `prefix` names the workflow in the file name. */
interface Scenario {
  prefix: Prefix;
  run(s: Session): Promise<Outcome>;
}

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

/** Receipt, verification, opinion, 7-day publicity and county approval; returns once it completed. */
async function approve(s: Session) {
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
  return { handle, view };
}

const applicationScenarios: Record<string, Scenario['run']> = {
  // R-A2 … R-A8: receipt, verification, opinion, 7-day publicity, county approval, case recorded.
  // Recorded before patched('start-case-workflow') existed: it replays the branch without the child.
  'clean-approval': async (s) => {
    const { handle } = await approve(s);
    return { handle, closed: true };
  },

  // R-A8 / issue 4: the same path with patched('start-case-workflow') active: the approval starts the
  // case-in-benefit workflow as an abandoned child, which outlives the application.
  'approval-starts-case': async (s) => {
    const { handle, view } = await approve(s);
    const events = (await handle.fetchHistory()).events ?? [];
    const marker = events.some((e) => e.markerRecordedEventAttributes);
    const child = events.find(
      (e) => e.startChildWorkflowExecutionInitiatedEventAttributes,
    )?.startChildWorkflowExecutionInitiatedEventAttributes;
    const caseId = view.decision!.caseId!;
    check(
      'the patch marker and the child start in history',
      marker && child?.workflowId === caseWorkflowId(caseId) && child.parentClosePolicy === 2, // ABANDON
      view,
    );
    const running = await s.env.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    check('the case workflow outlives the application', running.status.name === 'RUNNING', view);
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

const staff = actor('township_staff');
const caseView = (handle: CaseHandle): Promise<CaseView> => handle.query(caseStateQuery);

function checkCase(what: string, ok: boolean, view: CaseView): void {
  if (!ok) throw new Error(`${what} (status ${view.status}, last action ${view.history.at(-1)?.action})`);
}

const caseScenarios: Record<string, Scenario['run']> = {
  // R-M1 R-M4 (issue 4): a two-person case over 14 months. The yearly re-review opens on the 1st of
  // month 12; month 12's roster is the run's 12th month, so the workflow continues as new carrying
  // the open review; the 'continue' result then lands on the second run, which rosters months 13–14.
  'months-and-review': async (s) => {
    const { handle, m } = await s.startCase();
    await s.sleepUntil(dayInMonth(m(12), 2));
    let v = await caseView(handle);
    const review = v.tasks.find((t) => t.kind === 're_review' && !t.result);
    checkCase('a re-review open before month 12 is rostered', !!review && v.rostered.length === 11, v);
    await s.sleepUntil(dayInMonth(m(12), 10));
    const { runId } = await handle.describe();
    v = await caseView(handle);
    checkCase('continued as new after 12 months', runId !== handle.firstExecutionRunId, v);
    v = await handle.executeUpdate(reviewResultUpdate, {
      args: [
        { actor: staff, taskId: review!.taskId, outcome: 'continue', reasons: 'circumstances unchanged' },
      ],
    });
    checkCase(
      'the review continued the case',
      v.status === 'active' &&
        v.tasks.find((t) => t.taskId === review!.taskId)?.result?.outcome === 'continue',
      v,
    );
    await s.sleepUntil(dayInMonth(m(14), 10));
    v = await caseView(handle);
    const months = v.rostered.map((r) => r.month);
    checkCase(
      '14 months rostered at the same amount',
      months.length === 14 && months.at(-1) === m(14) && v.rostered.every((r) => r.amount === '1000.00'),
      v,
    );
    return { handle, closed: false, continued: true };
  },

  // R-M2: a one-person case; the death (in month 1) is notified after month 3 is rostered: paid for
  // the month of death, months 2 and 3 recovered, a stop notice, the case closed.
  'death-one-person': async (s) => {
    const { input, handle, m } = await s.startCase({ size: 1 });
    await s.sleepUntil(dayInMonth(m(3), 20));
    let v = await caseView(handle);
    checkCase('three months rostered', v.rostered.length === 3, v);
    await handle.signal(deathNoticeSignal, {
      noticeId: 'health-1',
      idNumber: input.members[0]!.idNumber,
      diedOn: dayInMonth(m(1), 15),
      source: 'integration',
      receivedOn: await s.today(),
    });
    const result = await handle.result();
    v = await caseView(handle);
    const recovery = s.calls.adjustments.map((a) => a.adjustment);
    checkCase(
      'closed for death from month 2 with months 2–3 recovered',
      result.closed?.reason === 'death' &&
        result.closed.fromMonth === m(2) &&
        recovery.length === 1 &&
        recovery[0]!.kind === 'recovery' &&
        recovery[0]!.amount === '2000.00' &&
        s.calls.notices.map((n) => n.kind).join() === 'stop',
      v,
    );
    return { handle, closed: true };
  },

  // R-M6 R-A11 R-M3: a comparison hit opens a check that changes nothing; staff find nothing
  // ('continue'). A job then lifts income above the standard (taper from the next month), and income
  // falls back two months later: the taper ends and the case goes on. Left open.
  'hit-check-and-taper': async (s) => {
    const { input, handle, m } = await s.startCase();
    await s.sleepUntil(dayInMonth(m(1), 10));
    await handle.signal(comparisonHitSignal, {
      hitId: 'hit-1',
      kind: 'employee_medical_insurance',
      idNumber: input.members[1]!.idNumber,
      detectedOn: await s.today(),
      source: 'medical insurance bureau',
      details: 'insured through an employer',
    });
    await s.sleepUntil(dayInMonth(m(1), 13));
    let v = await caseView(handle);
    checkCase(
      'a data check open',
      v.tasks.some((t) => t.taskId === 'check-hit-1' && !t.result),
      v,
    );
    v = await handle.executeUpdate(reviewResultUpdate, {
      args: [
        { actor: staff, taskId: 'check-hit-1', outcome: 'continue', reasons: 'a two-week trial, ended' },
      ],
    });
    checkCase('the check changed nothing', v.status === 'active' && v.adjustments.length === 0, v);
    await s.sleepUntil(dayInMonth(m(2), 10));
    const report = { actor: staff, kind: 'employment' as const, summary: 'applicant found work' };
    v = await handle.executeUpdate(changeReportUpdate, {
      args: [{ ...report, changeId: 'job-1', reportedOn: await s.today(), perCapitaIncome: '900.00' }],
    });
    checkCase('a taper from month 3', v.status === 'tapering' && v.taper?.firstMonth === m(3), v);
    await s.sleepUntil(dayInMonth(m(4), 10));
    v = await handle.executeUpdate(changeReportUpdate, {
      args: [
        {
          ...report,
          changeId: 'job-1-ended',
          kind: 'income',
          reportedOn: await s.today(),
          perCapitaIncome: '300.00',
          summary: 'the job ended',
        },
      ],
    });
    checkCase('the taper ended', v.status === 'active' && v.taper === undefined, v);
    await s.sleepUntil(dayInMonth(m(6), 10));
    v = await caseView(handle);
    checkCase(
      'months 3–4 tapered, the rest regular',
      v.rostered.map((r) => r.status).join() === 'regular,regular,taper,taper,regular,regular',
      v,
    );
    return { handle, closed: false };
  },

  // R-M2 (after patched 'case-start-policy-catch-up' and 'death-date-conflict-check'): a member of a
  // three-person household dies; a second source reports another date: one death, one review, and a
  // staff check of the date. Left open.
  'death-date-conflict': async (s) => {
    const { input, handle, m } = await s.startCase({ size: 3 });
    await s.sleepUntil(dayInMonth(m(1), 10));
    const notice = {
      noticeId: 'cremation-1',
      idNumber: input.members[2]!.idNumber,
      diedOn: dayInMonth(m(1), 3),
      source: 'integration' as const,
      receivedOn: await s.today(),
    };
    await handle.signal(deathNoticeSignal, notice);
    await handle.signal(deathNoticeSignal, { ...notice, noticeId: 'police-2', diedOn: dayInMonth(m(1), 4) });
    await s.sleepUntil(dayInMonth(m(1), 11));
    const v = await caseView(handle);
    checkCase(
      'one death review and one date check',
      v.tasks.filter((t) => t.kind === 'death_review').length === 1 &&
        v.tasks.some((t) => t.taskId === 'death-date-police-2'),
      v,
    );
    return { handle, closed: false };
  },
};

const scenarios: Record<string, Scenario> = {};
for (const [prefix, group] of [
  ['application', applicationScenarios],
  ['case', caseScenarios],
] as const)
  for (const [name, run] of Object.entries(group)) {
    if (name in scenarios) throw new Error(`scenario ${name} named twice`);
    scenarios[name] = { prefix, run };
  }

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
async function settledHistory(handle: WorkflowHandle) {
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

/** Every run of the workflow from its first, oldest first (continue-as-new links them). */
async function runHistories(env: TestWorkflowEnvironment, handle: WorkflowHandleWithFirstExecutionRunId) {
  const histories = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId) {
    const history = await settledHistory(env.client.workflow.getHandle(handle.workflowId, runId));
    histories.push(history);
    runId =
      history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

async function record(name: string, scenario: Scenario, bundle: WorkflowBundle | { codePath: string }) {
  // One server per history, as in test/workflows: time skipping is global to a server.
  const env = await createTimeSkippingEnv();
  const { activities, calls } = fakeActivities();
  const taskQueue = `record-${name}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
  });
  const session: Session = {
    env,
    calls,
    today: async () => civilDateOf(new Date(await env.currentTimeMs())),
    sleepUntil: async (date) => {
      const ms = endOfCivilDay(addDays(date, -1)).getTime() + 12 * 3600_000 - (await env.currentTimeMs());
      if (ms > 0) await env.sleep(ms);
    },
    start: async (overrides = {}) => {
      const input = applicationInput({ acceptedOn: await session.today(), ...overrides });
      const handle = await env.client.workflow.start('applicationWorkflow', {
        taskQueue,
        workflowId: applicationWorkflowId(input.applicationId),
        args: [input],
      });
      return { input, handle: handle as Handle };
    },
    startCase: async ({ size, ...overrides } = {}) => {
      const t = await session.today();
      const caseId = `C${COUNTY}${Date.now()}${Math.floor(Math.random() * 1e6)}`;
      const ctx = context();
      const input: CaseInput = {
        caseId,
        applicationId: caseId,
        category: 'dibao',
        villageCode: VILLAGE,
        residence: 'rural',
        members: household({ size: size ?? 2 }).members.map((m) => ({
          idNumber: m.idNumber,
          name: m.name,
          relation: m.relation,
          covered: true,
        })),
        // Approved on the 1st of this month: the re-reviews then open before that month's roster.
        approvedOn: dayInMonth(monthOf(t), 1),
        approvedBy: 'county_staff-1',
        startMonth: addMonthsToYearMonth(monthOf(t), 1),
        monthlyAmount: '1000.00',
        closeRelative: false,
        unstableIncome: false,
        policy: ctx.policy,
        deadlines: ctx.deadlines,
        runtimeYears: [],
        ...overrides,
      };
      const handle = await env.client.workflow.start('caseWorkflow', {
        taskQueue,
        workflowId: caseWorkflowId(caseId),
        args: [input],
      });
      const m = (i: number) => addMonthsToYearMonth(monthOf(input.approvedOn), i);
      return { input, handle: handle as CaseHandle, m };
    },
  };
  try {
    const histories = await worker.runUntil(async () => {
      const { handle, closed, continued = false } = await scenario.run(session);
      const runs = await runHistories(env, handle);
      const isClosed = (await handle.describe()).status.name !== 'RUNNING';
      if (isClosed !== closed)
        throw new Error(`${name}: expected the workflow ${closed ? 'closed' : 'open'}`);
      if (runs.length > 1 !== continued)
        throw new Error(`${name}: expected the workflow ${continued ? 'to' : 'not to'} continue as new`);
      return runs;
    });
    // A re-recording replaces every run file of the scenario (it may have fewer runs than before).
    const runFile = new RegExp(`^${scenario.prefix}-${name}-run\\d+\\.json$`);
    for (const f of readdirSync(OUT)) if (runFile.test(f)) rmSync(join(OUT, f));
    for (const [i, history] of histories.entries()) {
      const file = historyFile(scenario.prefix, name, i + 1);
      writeFileSync(file, `${historyToJSON(history)}\n`);
      console.log(`[record] ${name}: ${history.events?.length} events → ${file}`);
    }
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
    const file = historyFile(scenarios[name]!.prefix, name);
    if (force || !existsSync(file)) return true;
    console.log(`[record] ${name}: kept ${file} (--force re-records it)`);
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
