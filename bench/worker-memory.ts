import os from 'node:os';
import type { Client } from '@temporalio/client';
import { COUNTY, caseInput, VILLAGE } from '../test/helpers/fixtures';
import { seedPolicy } from '../test/helpers/seed';
import { calendarUpdatedSignal } from '../workflows/contracts';
import { peakSampler, startStack } from './worker-stack';

// Worker memory and workflow-task latency with many open case workflows (R-M1: a county has tens
// of thousands of open cases, each a `case:<id>` workflow that sleeps between monthly tasks).
// The real worker (worker/main.ts, its own process, sized by WORKER_HEAP_MB and
// WORKER_MAX_CACHED_WORKFLOWS) on the Temporal dev server. N case workflows are started, then
// signalled in rounds (calendarUpdated: a workflow task, no activity):
//   round 1  every workflow (fills the sticky cache up to its size),
//   round 2  every workflow again (hits only if N fits the cache; with N > cache, LRU order means
//            every task misses and replays its history),
//   round 3  the last `cache/2` workflows of round 2 again (in the cache: hits).
// Per round: wall time, tasks/s, worker RSS after the round, and for a sample of workflows the
// task's schedule→start and start→complete from history, and whether it ran on the sticky queue.
// Usage: BENCH_WORKFLOWS=10000 WORKER_HEAP_MB=4096 WORKER_MAX_CACHED_WORKFLOWS=4000 npm run bench:worker-memory

const N = Number(process.env.BENCH_WORKFLOWS ?? 10_000);
const HEAP = Number(process.env.WORKER_HEAP_MB ?? 4096);
const CACHE = Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 4000);
const C = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 100);
/**
 * Rounds 1 and 2 signal the last BENCH_ROUND_MAX workflows (default all): with more than the cache,
 * round 2 still misses every time (LRU), so a large N needs no more than ~2× the cache signalled.
 */
const ROUND_MAX = Number(process.env.BENCH_ROUND_MAX ?? Number.POSITIVE_INFINITY);

const id = (i: number) => `W${String(i).padStart(7, '0')}`;

async function inParallel(n: number, fn: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

const pct = (xs: number[], p: number) =>
  xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;

/** The last workflow task of the workflow: schedule→start, start→complete (ms), and whether it was sticky. */
async function lastTask(client: Client, workflowId: string) {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const ms = (e: (typeof events)[number]) =>
    Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
  for (let i = events.length - 1; i >= 2; i--) {
    if (!events[i]?.workflowTaskCompletedEventAttributes) continue;
    const started = events[i - 1]!;
    const scheduled = events[i - 2]!;
    return {
      toStart: ms(started) - ms(scheduled),
      run: ms(events[i]!) - ms(started),
      sticky: scheduled.workflowTaskScheduledEventAttributes?.taskQueue?.kind === 2,
    };
  }
  return undefined;
}

async function main() {
  const stack = await startStack({
    name: 'bench-worker-memory',
    heapMb: HEAP,
    workerEnv: { WORKER_MAX_CACHED_WORKFLOWS: String(CACHE) },
  });
  const mem = peakSampler(stack.pids);
  const rows: string[][] = [];
  try {
    await seedPolicy(stack.pool, COUNTY);
    await stack.pool.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by)
       SELECT 'W' || lpad(i::text, 7, '0'), 'dibao', $1, left($1, 9), $2, '2026-11-02', false, false, 'approved', 'bench'
       FROM generate_series(0, $3::int - 1) i`,
      [VILLAGE, COUNTY, N],
    );
    // The case row exists from approval (recordCase): the workflow's activities update it.
    await stack.pool.query(
      `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
         monthly_amount, start_month, approved_on, approved_by, members, persons)
       SELECT application_id, application_id, 'dibao', village_code, township_code, county_code, 'active', '1000.00',
         '2027-03', '2026-11-20', 'bench', '[]', 2
       FROM applications`,
    );
    const idle = mem.now();
    const t0 = performance.now();
    const template = caseInput({ approvedOn: '2026-11-20', startMonth: '2027-03' });
    await inParallel(N, (i) =>
      stack.client.workflow.start('caseWorkflow', {
        taskQueue: 'dibao',
        workflowId: `case:${id(i)}`,
        args: [{ ...template, caseId: id(i), applicationId: id(i) }],
      }),
    );
    const startS = (performance.now() - t0) / 1000;
    // Wait for the starts' first tasks (and their activities) to drain: the sample shows a completed task.
    await waitSettled(stack.client, N - 1);
    rows.push(['start', String(N), startS.toFixed(1), (N / startS).toFixed(0), ...figures(mem.now())]);
    const year = { year: 2027, holidays: [] as string[], makeUpWorkdays: [] as string[] };
    const round = async (name: string, ids: number[]) => {
      const t = performance.now();
      await inParallel(ids.length, (k) =>
        stack.client.workflow.getHandle(`case:${id(ids[k]!)}`).signal(calendarUpdatedSignal, year),
      );
      await waitSettled(stack.client, ids.at(-1)!);
      const s = (performance.now() - t) / 1000;
      const sample = Array.from(
        { length: Math.min(SAMPLE, ids.length) },
        (_, k) => ids[Math.floor((k * ids.length) / SAMPLE)]!,
      );
      const tasks = (await Promise.all(sample.map((i) => lastTask(stack.client, `case:${id(i)}`)))).filter(
        (x) => x !== undefined,
      );
      const run = tasks.map((x) => x.run);
      const toStart = tasks.map((x) => x.toStart);
      rows.push([
        name,
        String(ids.length),
        s.toFixed(1),
        (ids.length / s).toFixed(0),
        ...figures(mem.now()),
        `${((100 * tasks.filter((x) => x.sticky).length) / (tasks.length || 1)).toFixed(0)}%`,
        `${pct(toStart, 0.5).toFixed(0)} / ${pct(toStart, 0.99).toFixed(0)}`,
        `${pct(run, 0.5).toFixed(0)} / ${pct(run, 0.99).toFixed(0)}`,
      ]);
    };
    const all = Array.from({ length: N }, (_, i) => i).slice(-Math.min(N, ROUND_MAX));
    const which = all.length === N ? 'all' : `last ${all.length}`;
    await round(`signal round 1 (${which})`, all);
    await round(`signal round 2 (${which})`, all);
    await round('signal round 3 (last cache/2)', all.slice(all.length - Math.floor(CACHE / 2)));
    const peak = mem.stop();
    const cpu = os.cpus();
    console.log(
      `\n${N} case workflows; worker heap limit ${HEAP} MB, sticky cache ${CACHE}; ${new Date().toISOString()}`,
    );
    console.log(
      `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `idle RSS MB: worker ${idle.worker!.toFixed(0)}, temporal ${idle.temporal!.toFixed(0)}, postgres ${idle.postgres!.toFixed(0)}`,
    );
    console.log(
      `peak RSS MB: worker ${peak.worker!.toFixed(0)}, temporal ${peak.temporal!.toFixed(0)}, postgres ${peak.postgres!.toFixed(0)}\n`,
    );
    console.log(
      '| phase | workflows | s | per s | worker RSS MB | temporal RSS MB | sticky | task sched→start p50/p99 ms | task run p50/p99 ms |',
    );
    console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    mem.stop();
    await stack.stop();
  }
}

const figures = (m: Record<string, number>) => [m.worker!.toFixed(0), m.temporal!.toFixed(0)];

/** Until `case:<i>` (the last one sent to) has completed a task after its last signal: the queue is through. */
async function waitSettled(client: Client, i: number) {
  // The starts' backlog drains at the worker's pace (~15 starts/s on 2 cores): up to 30 minutes.
  for (let k = 0; k < 3600; k++) {
    const events = (await client.workflow.getHandle(`case:${id(i)}`).fetchHistory()).events ?? [];
    const last = (has: (e: (typeof events)[number]) => unknown) =>
      events.map((e) => !!has(e)).lastIndexOf(true);
    const signalled = last((e) => e.workflowExecutionSignaledEventAttributes);
    const done = last((e) => e.workflowTaskCompletedEventAttributes);
    if (done > 0 && done > signalled) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`case:${id(i)} did not settle`);
}

await main();
