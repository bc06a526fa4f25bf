import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { enrolmentRefusal, receiptStart, receiptUpdateId } from '../../clients/receipt';
import {
  addDays,
  addMonthsToYearMonth,
  type CivilDate,
  civilDateOf,
  dayInMonth,
  endOfCivilDay,
  monthOf,
} from '../../domain/dates';
import { testDataConverter } from '../../test/helpers/env';
import { applicationInput, caseInput as fixtureCase } from '../../test/helpers/fixtures';
import { createTimeSkippingEnv } from '../../test/helpers/time-skipping';
import type { caseWorkflow } from '../../workflows/case/workflow';
import {
  type CaseInput,
  caseWorkflowId,
  type ImportedCaseStart,
  receiptUpdate,
} from '../../workflows/contracts';
import { recorderFakes } from './fakes';
import { type CaseHandle, type Prefix, type Scenario, type Session, startedBy } from './session';

// Records one scenario's history (every run of it) on its own time-skipping server.

export const ROOT = join(import.meta.dirname, '..', '..');
export const OUT = join(ROOT, 'test', 'replay', 'histories');
export const historyFile = (prefix: Prefix, name: string, run = 1) =>
  join(OUT, `${prefix}-${name}${run > 1 ? `-run${run}` : ''}.json`);

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

/** The fixture's case, approved on the 1st of the month of `today` (the re-reviews then open before
 * that month's roster) and paid from the next month. */
const caseInput = (today: CivilDate, overrides: Partial<CaseInput> & { size?: number }): CaseInput =>
  fixtureCase({
    approvedOn: dayInMonth(monthOf(today), 1),
    startMonth: addMonthsToYearMonth(monthOf(today), 1),
    ...overrides,
  });

const startedCase = (input: CaseInput, handle: CaseHandle) => ({
  input,
  handle,
  m: (i: number) => addMonthsToYearMonth(monthOf(input.approvedOn), i),
});

export async function record(
  name: string,
  scenario: Scenario,
  bundle: WorkflowBundle | { codePath: string },
) {
  // One server per history, as in test/workflows: time skipping is global to a server.
  const env = await createTimeSkippingEnv();
  const { activities, calls, fakes } = recorderFakes();
  const taskQueue = `record-${name}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
    dataConverter: testDataConverter(),
  });
  const startCase = async (input: CaseInput, arg: CaseInput | ImportedCaseStart) =>
    (await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      taskQueue,
      workflowId: caseWorkflowId(input.caseId),
      args: [arg],
    })) as CaseHandle;
  const session: Session = {
    env,
    calls,
    fakes,
    taskQueue,
    today: async () => civilDateOf(new Date(await env.currentTimeMs())),
    sleepUntil: async (date) => {
      const ms = endOfCivilDay(addDays(date, -1)).getTime() + 12 * 3600_000 - (await env.currentTimeMs());
      if (ms > 0) await env.sleep(ms);
    },
    start: async (overrides = {}) => {
      const input = applicationInput({ acceptedOn: await session.today(), ...overrides });
      const op = receiptStart(taskQueue, input);
      await env.client.workflow
        .executeUpdateWithStart(receiptUpdate, {
          updateId: receiptUpdateId(input.applicationId),
          startWorkflowOperation: op,
        })
        // R-A1: a receipt naming an enrolled person is refused; its workflow has ended as refused.
        .catch((err: unknown) => {
          if (!enrolmentRefusal(err)) throw err;
        });
      return { input, handle: await startedBy(session, op) };
    },
    startCase: async (overrides = {}) => {
      const input = caseInput(await session.today(), overrides);
      return startedCase(input, await startCase(input, input));
    },
    startImportedCase: async (state, overrides = {}) => {
      const base = caseInput(await session.today(), overrides);
      const input: CaseInput = {
        ...base,
        applicationId: '',
        imported: { importId: 'I-1', importedBy: 'admin-1', ...state },
      };
      calls.imported.set(input.caseId, input);
      return startedCase(
        input,
        await startCase(input, { importRef: { importId: 'I-1', seq: 1, caseId: input.caseId } }),
      );
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
      console.log(`[record] ${scenario.prefix}-${name}: ${history.events?.length} events → ${file}`);
    }
  } finally {
    await env.teardown();
  }
}
