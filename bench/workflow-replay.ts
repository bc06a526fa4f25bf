import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { testDataConverter } from '../test/helpers/env';
import { PRODUCTION_STACK_FRAMES, workflowBundleOptions } from '../worker/bundle';

// The workflow thread's CPU per workflow task, without a server: the recorded histories of
// test/replay/histories replayed `BENCH_REPLAY_ROUNDS` times each in one replay worker (every replay
// is a new workflow: its modules, its state, every activation of every task). Reported: the process's
// CPU (all threads) per history and per workflow task completed in the histories, for the whole set
// and per workflow type. A quiet, repeatable complement to bench/staff-step.ts and bench/import.ts;
// `node --cpu-prof --import tsx bench/workflow-replay.ts` profiles its workflow thread
// (bench/cpu-profile.ts summarises the profile).
//
//   BENCH_REPLAY_ROUNDS=20 BENCH_REPLAY_MATCH=case- npx tsx bench/workflow-replay.ts

const DIR = join(import.meta.dirname, '..', 'test', 'replay', 'histories');
const ROUNDS = Number(process.env.BENCH_REPLAY_ROUNDS ?? 10);
const MATCH = process.env.BENCH_REPLAY_MATCH ?? '';

// As test/workflows/replay.test.ts: the proto root's own protobufjs copy reads the JSON histories.
const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const historyType = (fromProto('@temporalio/proto') as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);
const protojson = fromProto('protobufjs/ext/protojson') as {
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
};

interface Recorded {
  name: string;
  type: string;
  tasks: number;
  history: unknown;
}

const recorded: Recorded[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && f.includes(MATCH))
  .sort()
  .map((f) => {
    const json = JSON.parse(readFileSync(join(DIR, f), 'utf8'));
    const events = json.events as {
      eventType: string;
      workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
    }[];
    return {
      name: f.slice(0, -5),
      type: events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '?',
      tasks: events.filter((e) => /WORKFLOW_TASK_COMPLETED|WorkflowTaskCompleted/.test(e.eventType)).length,
      history: protojson.fromJson(historyType, json, { ignoreUnknownFields: true }),
    };
  });

Runtime.install({ logger: new DefaultLogger('WARN') });
const t0 = performance.now();
const logger = new DefaultLogger('WARN');
const workflowsPath = join(import.meta.dirname, '..', 'workflows', 'index.ts');
const stackFrames = Number(process.env.WORKER_WORKFLOW_STACK_FRAMES ?? PRODUCTION_STACK_FRAMES);
const VARIANTS = {
  /** The project's bundle (worker/bundle.ts) as a production worker builds it. */
  project: () => bundleWorkflowCode({ ...workflowBundleOptions({ stackFrames }), logger }),
  /** The SDK's defaults: nothing preloaded, V8's stack depth. */
  plain: () => bundleWorkflowCode({ workflowsPath, logger }),
};
const chosen = (process.env.BENCH_REPLAY_VARIANTS ?? 'project,plain').split(',') as (keyof typeof VARIANTS)[];
const bundles = Object.fromEntries(await Promise.all(chosen.map(async (v) => [v, await VARIANTS[v]()])));
console.log(`[bench] bundled ${chosen.join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

async function* histories(skipped: Recorded) {
  // The first replay starts the replay worker (its thread, the bundle in its context): not counted.
  yield { history: skipped.history as never, workflowId: 'warm-up' };
  for (const h of recorded) yield { history: h.history as never, workflowId: h.name };
}

type Figures = Map<string, { cpuMs: number; n: number; tasks: number }>;

/** One pass over the histories in a replay worker of `bundle`, CPU added to `byType` per workflow type. */
async function replay(bundle: { code: string }, byType: Figures) {
  let last = process.cpuUsage();
  let i = -1;
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: bundle, dataConverter: testDataConverter(), replayName: 'bench' },
    histories(recorded[0] as Recorded),
  )) {
    if (result.error) throw result.error;
    const d = process.cpuUsage(last);
    last = process.cpuUsage();
    if (i++ < 0) continue;
    const h = recorded[i - 1] as Recorded;
    const t = byType.get(h.type) ?? { cpuMs: 0, n: 0, tasks: 0 };
    t.cpuMs += (d.user + d.system) / 1000;
    t.n++;
    t.tasks += h.tasks;
    byType.set(h.type, t);
  }
}

// The variants take turns round by round, so load from elsewhere hits them alike; one warm-up round each.
const figures = Object.fromEntries(chosen.map((v) => [v, new Map()])) as Record<string, Figures>;
for (const v of chosen) await replay(bundles[v], new Map());
for (let r = 0; r < ROUNDS; r++) for (const v of chosen) await replay(bundles[v], figures[v] as Figures);

const total = (f: Figures) =>
  [...f.values()].reduce((a, t) => ({ cpuMs: a.cpuMs + t.cpuMs, n: a.n + t.n, tasks: a.tasks + t.tasks }), {
    cpuMs: 0,
    n: 0,
    tasks: 0,
  });
const types = [...new Set(chosen.flatMap((v) => [...(figures[v] as Figures).keys()]))].sort();
console.log(
  `\n${recorded.length} histories × ${ROUNDS} rounds per variant; CPU ms (all threads) per replay and per workflow task; stack frames ${stackFrames}`,
);
console.table(
  Object.fromEntries(
    [...types, 'all'].map((type) => [
      type,
      Object.fromEntries(
        chosen.flatMap((v) => {
          const f = figures[v] as Figures;
          const t = type === 'all' ? total(f) : (f.get(type) ?? { cpuMs: 0, n: 1, tasks: 1 });
          return [
            [`${v} /replay`, +(t.cpuMs / t.n).toFixed(2)],
            [`${v} /task`, +(t.cpuMs / t.tasks).toFixed(2)],
          ];
        }),
      ),
    ]),
  ),
);
if (chosen.length === 2) {
  const [a, b] = chosen.map((v) => total(figures[v] as Figures).cpuMs);
  console.log(`${chosen[0]} ÷ ${chosen[1]} CPU: ${((a as number) / (b as number)).toFixed(3)}`);
}
