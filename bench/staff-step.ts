import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ApiClient, BenchApplication } from './staff-step/api';
import { type HistoryFigures, historyFigures } from './staff-step/history';
import { emptySample, lanes, type Sample, slices } from './staff-step/measure';
import { type Op, printReport } from './staff-step/report';
import { BENCH_QUEUE, startServers } from './staff-step/servers';
import {
  activityUpdate,
  noopUpdate,
  readyQuery,
  trivialWorkflow,
  updateTargetWorkflow,
} from './staff-step/workflows';

// The edge between API and workflows, measured: a staff step through the HTTP API against a bare Temporal Update on the same
// server (p50/p95/p99 at two concurrencies), applications driven receipt → approval per second against
// a trivial workflow's start → complete rate, and the history of an approved application. Ratios are
// the figures to watch: the machine is shared. Counts come from env variables (see bench/README.md).

const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const CFG = {
  lowSteps: num('BENCH_C1_STEPS', 100),
  highC: num('BENCH_HIGH_C', 50),
  highSteps: num('BENCH_HIGH_STEPS', 500),
  rounds: num('BENCH_ROUNDS', 5),
  driveC: num('BENCH_DRIVE_C', 20),
  approvals: num('BENCH_APPROVALS', 60),
  trivial: num('BENCH_TRIVIAL', 300),
  settleS: num('BENCH_SETTLE_S', 5),
  driveRounds: num('BENCH_DRIVE_ROUNDS', 2),
  prepC: num('BENCH_PREP_C', 20),
  histories: num('BENCH_HISTORIES', 5),
  idempotency: (process.env.BENCH_IDEMPOTENCY ?? 'on') !== 'off',
  fsyncOff: process.env.BENCH_FSYNC === 'off',
  workerEntry: process.env.BENCH_WORKER_ENTRY ?? 'worker/main.ts',
  apiEntry: process.env.BENCH_API_ENTRY ?? 'api/server.ts',
};

const OPS: { op: Op; label: string }[] = [
  { op: 'investigation', label: 'staff step: POST …/investigation (HTTP)' },
  { op: 'economicCheck', label: 'staff step: POST …/economic-check (HTTP)' },
  { op: 'activityUpdate', label: 'Update running 1 trivial activity' },
  { op: 'noopUpdate', label: 'bare no-op Update' },
];

/** `n` bench workflows waiting for Updates, each past its first workflow task. */
async function updateTargets(client: Client, prefix: string, n: number) {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  await lanes(ids, CFG.prepC, async (workflowId) => {
    await client.workflow.start(updateTargetWorkflow, { taskQueue: BENCH_QUEUE, workflowId });
  });
  await lanes(ids, CFG.prepC, async (id) => void (await client.workflow.getHandle(id).query(readyQuery)));
  return ids.map((id) => client.workflow.getHandle(id));
}

/** Fresh applications, received (untimed here; the receipt's latency is kept as a side figure). */
async function received(api: ApiClient, n: number, receipts: Sample) {
  const apps = Array.from({ length: n }, () => new BenchApplication(api));
  await lanes(apps, CFG.prepC, (a) => a.receipt(), receipts);
  return apps.filter((a) => a.id);
}

/** (a) + (b): one concurrency, the four operations interleaved in rounds (noise hits all of them). */
async function updatesAt(client: Client, api: ApiClient, c: number, n: number, receipts: Sample) {
  console.log(`[bench] c=${c}: preparing ${n} applications and ${2 * n} update targets`);
  const apps = await received(api, n, receipts);
  const noop = await updateTargets(client, `noop-c${c}`, n);
  const act = await updateTargets(client, `act-c${c}`, n);
  // Receipts answer before their workflows' activities are done: let that backlog drain first.
  await new Promise((r) => setTimeout(r, CFG.settleS * 1000));
  const s = Object.fromEntries(OPS.map(({ op }) => [op, emptySample()])) as Record<Op, Sample>;
  const rounds = {
    apps: slices(apps, CFG.rounds),
    noop: slices(noop, CFG.rounds),
    act: slices(act, CFG.rounds),
  };
  for (let r = 0; r < CFG.rounds; r++) {
    await lanes(rounds.apps[r] ?? [], c, async (a) => void (await a.investigation()), s.investigation);
    await lanes(
      rounds.noop[r] ?? [],
      c,
      async (h) => void (await h.executeUpdate(noopUpdate, { args: [r] })),
      s.noopUpdate,
    );
    await lanes(
      rounds.act[r] ?? [],
      c,
      async (h) => void (await h.executeUpdate(activityUpdate, { args: [r] })),
      s.activityUpdate,
    );
    await lanes(rounds.apps[r] ?? [], c, async (a) => void (await a.economicCheck()), s.economicCheck);
  }
  console.log(`[bench] c=${c}: done`);
  return s;
}

/** (c): receipt → approval at `driveC` against a trivial workflow's start → complete, interleaved. */
async function throughput(client: Client, api: ApiClient) {
  const steps = ['receipt', 'investigation', 'economicCheck', 'initialOpinion', 'decision'] as const;
  const perStep = Object.fromEntries(steps.map((k) => [k, emptySample()])) as Record<
    (typeof steps)[number],
    Sample
  >;
  const approvals = emptySample();
  const trivial = emptySample();
  const apps = Array.from({ length: CFG.approvals }, () => new BenchApplication(api));
  const approved: BenchApplication[] = [];
  const ids = Array.from({ length: CFG.trivial }, (_, i) => i);
  const drive = async (a: BenchApplication) => {
    for (const step of steps) {
      const t = performance.now();
      await a[step]();
      perStep[step].ms.push(performance.now() - t);
    }
    approved.push(a);
  };
  for (const [r, part] of slices(apps, CFG.driveRounds).entries()) {
    console.log(`[bench] approvals round ${r + 1}`);
    await lanes(part, CFG.driveC, drive, approvals);
    await lanes(
      slices(ids, CFG.driveRounds)[r] ?? [],
      CFG.driveC,
      async (i) => {
        await client.workflow.execute(trivialWorkflow, {
          taskQueue: BENCH_QUEUE,
          workflowId: `trivial-${i}`,
          args: [i],
        });
      },
      trivial,
    );
  }
  return { approvals, trivial, perStep, approved };
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const servers = await startServers(CFG);
  let ok = false;
  const stop = (code: number) => void servers.stop(false).finally(() => process.exit(code));
  process.once('SIGINT', () => stop(130));
  process.once('SIGTERM', () => stop(143));
  try {
    const t0 = performance.now();
    const api = new ApiClient(servers.baseUrl, CFG.idempotency);
    const { client } = servers;
    await api.putStandard();
    // Warm-up (not measured): a few applications the whole way, a few Updates and trivial workflows.
    const warm = Array.from({ length: 3 }, () => new BenchApplication(api));
    const warmed = await lanes(warm, 3, (a) => a.drive());
    if (warmed.errors) throw new Error(`warm-up: an application failed: ${warmed.firstErrors.join(' / ')}`);
    for (const h of await updateTargets(client, 'warm', 5)) {
      await h.executeUpdate(noopUpdate, { args: [0] });
      await h.executeUpdate(activityUpdate, { args: [0] });
    }
    for (let i = 0; i < 5; i++) {
      await client.workflow.execute(trivialWorkflow, {
        taskQueue: BENCH_QUEUE,
        workflowId: `warm-trivial-${i}`,
        args: [i],
      });
    }
    const receipts = emptySample();
    const low = await updatesAt(client, api, 1, CFG.lowSteps, receipts);
    const high = await updatesAt(client, api, CFG.highC, CFG.highSteps, receipts);
    const tp = await throughput(client, api);
    const histories: HistoryFigures[] = [];
    for (const a of tp.approved.slice(0, CFG.histories))
      histories.push(await historyFigures(client, servers.temporalAddress, a.id));
    const totalS = (performance.now() - t0) / 1000;

    printReport({ cfg: CFG, ops: OPS, low, high, receipts, tp, histories, totalS });
    ok = true;
  } finally {
    await servers.stop(ok);
  }
  process.exit(ok ? 0 : 1);
}

await main();
