import { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { calendarUpdatedSignal, caseWorkflowId } from '../workflows/contracts';
import { cacheBetween, type Latency, latencyBetween, SDK, scrape } from './task-metrics';

// Workflow-task latency on a worker holding a county's caseload (R-M1: every case in benefit is an
// open workflow): after an import, the K households imported first — evicted from the sticky cache
// long before, so their next task replays the whole history — are signalled (calendarUpdated: one
// workflow task, no activity), then the same K again, now cached. Few at a time, so the figures
// are the tasks' own and not the queue's. Latencies from the worker's SDK metrics (task-metrics.ts).

export interface ProbeRound {
  round: string;
  tasks: number;
  hits: number;
  misses: number;
  execution?: Latency;
  workerRssMb: number;
}

export async function probeTaskLatency(opts: {
  pool: pg.Pool;
  temporalAddress: string;
  importId: string;
  metricsUrl: string;
  rssMb: () => number;
  k: number;
  concurrency: number;
}): Promise<ProbeRound[]> {
  const { rows } = await opts.pool.query(
    'SELECT case_id FROM import_households WHERE import_id = $1 AND case_id IS NOT NULL ORDER BY seq LIMIT $2',
    [opts.importId, opts.k],
  );
  const ids = rows.map((r) => caseWorkflowId(r.case_id as string));
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection });
  const year = { year: 2027, holidays: [] as string[], makeUpWorkdays: [] as string[] };
  const round = async (name: string): Promise<ProbeRound> => {
    const before = await scrape(opts.metricsUrl);
    let next = 0;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < ids.length)
          await client.workflow.getHandle(ids[next++]!).signal(calendarUpdatedSignal, year);
      }),
    );
    // Until the worker has completed a task for every signal and nothing more comes in for 3 s.
    let after = await scrape(opts.metricsUrl);
    const executed = (s: typeof after) => latencyBetween(before, s, SDK.execution(s))?.count ?? 0;
    for (let last = -1, still = 0; still < 3; ) {
      await new Promise((r) => setTimeout(r, 1000));
      after = await scrape(opts.metricsUrl);
      const n = executed(after);
      still = n >= ids.length && n === last ? still + 1 : 0;
      last = n;
    }
    return {
      round: name,
      tasks: executed(after),
      ...cacheBetween(before, after),
      execution: latencyBetween(before, after, SDK.execution(after)),
      workerRssMb: opts.rssMb(),
    };
  };
  try {
    const miss = await round(`the first ${ids.length} imported (evicted: miss)`);
    const hit = await round(`the same ${ids.length} again (cached: hit)`);
    return [miss, hit];
  } finally {
    await connection.close();
  }
}

export function printProbe(rounds: ProbeRound[]): void {
  const f = (l?: Latency) => (l ? `${l.meanMs.toFixed(1)} / ${l.p50Ms} / ${l.p99Ms}` : '–');
  console.log('| round | tasks | cache hits | misses | task mean / p50 / p99 ms | worker RSS MB |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const r of rounds)
    console.log(
      `| ${r.round} | ${r.tasks} | ${r.hits} | ${r.misses} | ${f(r.execution)} | ${r.workerRssMb} |`,
    );
}
