import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { TEMPORAL_BIN } from '../../scripts/lib/temporal';

// History size of an approved application's workflow: events, bytes of the JSON that
// `temporal workflow show --output json` gives (compact, and indented by 2 as the CLI prints it and
// the SDK's historyToJSON writes it), its protobuf size (as on the wire and in the store), and what
// the events are.

// The proto root from @temporalio/proto's own protobufjs copy (see scripts/record-histories.ts).
const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const historyType = (fromProto('@temporalio/proto') as { lookupType(name: string): ProtoType }).lookupType(
  'temporal.api.history.v1.History',
);
interface ProtoType {
  fromObject(o: unknown): unknown;
  encode(m: unknown): { finish(): Uint8Array };
}

export interface HistoryFigures {
  workflowId: string;
  events: number;
  jsonBytes: number;
  prettyBytes: number;
  protoBytes: number;
  workflowTasks: number;
  activities: number;
  localActivities: number;
  /** Other markers: patches (`patched()`), side effects. */
  otherMarkers: number;
  upserts: number;
  timers: number;
  updates: number;
  /**
   * Per Update (by name): the milliseconds its workflow task waited on the server's queue (scheduled →
   * started) and ran on the worker (started → completed, its local activities included), from the
   * events' times.
   */
  steps: Record<string, { waitMs: number; runMs: number }>;
}

type Event = NonNullable<
  Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']
>[number];

const msOf = (e: Event | undefined) =>
  e?.eventTime ? Number(e.eventTime.seconds ?? 0) * 1000 + (e.eventTime.nanos ?? 0) / 1e6 : Number.NaN;

/** Each accepted Update's workflow task: the scheduled, started and completed events before it. */
function stepTimings(events: Event[]): HistoryFigures['steps'] {
  const steps: HistoryFigures['steps'] = {};
  let scheduled: Event | undefined;
  let started: Event | undefined;
  let completed: Event | undefined;
  for (const e of events) {
    if (e.workflowTaskScheduledEventAttributes) scheduled = e;
    else if (e.workflowTaskStartedEventAttributes) started = e;
    else if (e.workflowTaskCompletedEventAttributes) completed = e;
    const name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    if (name)
      steps[name] = { waitMs: msOf(started) - msOf(scheduled), runMs: msOf(completed) - msOf(started) };
  }
  return steps;
}

/** The application's workflow: `application:<id>`, else any applicationWorkflow naming the id. */
async function workflowIdOf(client: Client, applicationId: string): Promise<string | undefined> {
  const guess = `application:${applicationId}`;
  try {
    await client.workflow.getHandle(guess).describe();
    return guess;
  } catch {
    for await (const wf of client.workflow.list({ query: 'WorkflowType = "applicationWorkflow"' })) {
      if (wf.workflowId.includes(applicationId)) return wf.workflowId;
      if (JSON.stringify(wf.searchAttributes ?? {}).includes(applicationId)) return wf.workflowId;
    }
    return undefined;
  }
}

export async function historyFigures(
  client: Client,
  address: string,
  applicationId: string,
): Promise<HistoryFigures> {
  const workflowId = await workflowIdOf(client, applicationId);
  if (!workflowId) throw new Error(`no workflow found for application ${applicationId}`);
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const kinds = new Map<string, number>();
  for (const e of events) {
    const kind = Object.entries(e).find(([k, v]) => k.endsWith('EventAttributes') && v != null)?.[0] ?? '?';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const n = (kind: string) => kinds.get(`${kind}EventAttributes`) ?? 0;
  const localActivities = events.filter(
    (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
  ).length;
  return {
    workflowId,
    events: events.length,
    ...(await jsonSizes(address, workflowId)),
    protoBytes: historyType.encode(historyType.fromObject(history)).finish().length,
    workflowTasks: n('workflowTaskCompleted'),
    activities: n('activityTaskScheduled'),
    localActivities,
    otherMarkers: n('markerRecorded') - localActivities,
    upserts: n('upsertWorkflowSearchAttributes'),
    timers: n('timerStarted'),
    updates: n('workflowExecutionUpdateAccepted'),
    steps: stepTimings(events),
  };
}

async function jsonSizes(address: string, workflowId: string) {
  const { stdout } = await promisify(execFile)(
    TEMPORAL_BIN,
    ['workflow', 'show', '--address', address, '--namespace', 'default', '-w', workflowId, '-o', 'json'],
    { maxBuffer: 64 * 2 ** 20 },
  );
  const parsed: unknown = JSON.parse(stdout);
  return {
    jsonBytes: Buffer.byteLength(JSON.stringify(parsed)),
    prettyBytes: Buffer.byteLength(JSON.stringify(parsed, null, 2)),
  };
}
