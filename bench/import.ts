import { loadavg } from 'node:os';
import pg from 'pg';
import { households, toCsv } from '../test/helpers/caseload';
import { trivialWorkflowsPerS } from './import/baseline';
import { RECEIPTS_EVERY_MS, receiptProbe } from './import/receipts';
import { startImportStack } from './import/stack';
import { STATEMENTS, statementSampler } from './import/statements';
import { printProbe, probeTaskLatency } from './import-probe';
import { cpuMeter, threadCpuS, treeRssMb } from './proc-tree';
import { peakSampler } from './worker-stack';

// The caseload import through the HTTP API (README "Caseload import"): BENCH_IMPORT_SIZES households
// (2 members each) per run, each size on fresh servers (import/stack.ts): Postgres, Temporal (the dev
// server, or BENCH_TEMPORAL=cluster: its four services on Postgres as production runs them),
// BENCH_WORKERS project workers (1) and the API, each its own process. Figures: upload + validation,
// the import's wall time (every household recorded and its case workflow started), the time until
// every case workflow has saved its first state, cases/s on that; in the same run, before the
// import, the baseline: trivial workflows/s on the same server (import/baseline.ts) and the ratio;
// the load average before the import; CPU per household and peak RSS of each process tree. Each
// progress line adds the CPU per case saved in its step (does a household cost more as the caseload
// grows?), and the first worker's by thread (proc-tree.ts threadCpuS); with BENCH_RECEIPTS_EVERY_MS,
// receipts at the window beside the import (import/receipts.ts); with BENCH_PG_STATEMENTS=1,
// Postgres's costliest statements per step (import/statements.ts). The workers' pace is theirs:
// IMPORT_WAITING_CASES in this environment (0 = unbounded) reaches them.

const SIZES = (process.env.BENCH_IMPORT_SIZES ?? '10000').split(',').map(Number);
const TEMPORAL = process.env.BENCH_TEMPORAL === 'cluster' ? 'cluster' : 'dev';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const COUNTY = '140802';
/** Households (and case workflows) started at once, as the import workflow does (workflows/import). */
const LANES = 50;
const BASELINE_MAX = 2000;

/** BENCH_PROBE households (0 = none) signalled after the import, evicted then cached (import-probe.ts). */
const PROBE = Number(process.env.BENCH_PROBE ?? 1000);

async function run(size: number) {
  const stack = await startImportStack({
    name: `bench-import-${size}`,
    temporal: TEMPORAL,
    workers: WORKERS,
  });
  const { base, authorization: admin, pids } = stack;
  try {
    const rss = (name: string) => Math.round(treeRssMb(pids[name]!));
    const mem = peakSampler(pids, 1000);
    const put = await fetch(`${base}/v1/admin/standards`, {
      method: 'PUT',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        countyCode: COUNTY,
        effectiveFrom: '2020-01-01',
        standardUrban: '800.00',
        standardRural: '650.00',
      }),
    });
    if (put.status !== 200) throw new Error(`standards: ${put.status}`);
    // The baseline first, on the same server (its workflows done before the import begins).
    const nBase = Math.min(size, BASELINE_MAX);
    const { perS: trivialPerS, metered } = await trivialWorkflowsPerS(
      stack.temporalAddress,
      nBase,
      LANES,
      () => cpuMeter({ ...pids, bench: process.pid }),
    );
    const perTrivial = Object.entries(metered).map(([n, c]) => [n, +((c * 1000) / nBase).toFixed(1)]);
    // The bench process ran the trivial workflows' worker and their client.
    console.log(
      `[bench] baseline: ${trivialPerS} trivial workflows/s; CPU ms per workflow: ${JSON.stringify(Object.fromEntries(perTrivial))}`,
    );
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    const cpu = cpuMeter(pids);
    const statements = STATEMENTS ? await statementSampler(stack.pgUrl) : undefined;

    const file = toCsv(households(size, { size: 2 }));
    const receipts = RECEIPTS_EVERY_MS > 0 ? receiptProbe(base, stack.bearer) : undefined;
    const t0 = performance.now();
    const res = await fetch(`${base}/v1/imports/cases?countyCode=${COUNTY}`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'text/csv' },
      body: file,
    });
    const accepted = (await res.json()) as { importId: string; householdsTotal: number };
    const tUpload = performance.now();
    if (res.status !== 202)
      throw new Error(`import: ${res.status} ${JSON.stringify(accepted).slice(0, 500)}`);
    const pool = new pg.Pool({ connectionString: stack.pgUrl, max: 1 });
    const saved = async () =>
      (await pool.query('SELECT count(*)::int AS n FROM cases WHERE revision > 0')).rows[0].n as number;
    let last = 0;
    // CPU per case saved in each step: does a household cost more as the caseload grows?
    let step = { cpu: cpuMeter(pids), threads: threadCpuS(pids['worker-1']!), saved: 0 };
    for (;;) {
      const p = (await (
        await fetch(`${base}/v1/imports/${accepted.importId}`, { headers: { authorization: admin } })
      ).json()) as {
        status: string;
        done: number;
        failed: number;
      };
      if (p.done - last >= size / 10 || p.status === 'completed') {
        const t = ((performance.now() - t0) / 1000).toFixed(0);
        const n = await saved();
        const stepCpu = Object.entries(step.cpu.stop()).map(
          ([name, c]) => `${name} ${((c * 1000) / Math.max(n - step.saved, 1)).toFixed(1)}`,
        );
        // The first worker's threads: which of them grows as the sticky cache fills?
        const threads = threadCpuS(pids['worker-1']!);
        const byThread = Object.entries(threads).map(
          ([name, c]) =>
            `${name} ${(((c - (step.threads[name] ?? 0)) * 1000) / Math.max(n - step.saved, 1)).toFixed(1)}`,
        );
        step = { cpu: cpuMeter(pids), threads, saved: n };
        console.log(
          `[bench] ${size}: ${p.done} recorded and started, ${n} cases saved (${t} s); ` +
            `RSS MB ${Object.keys(pids)
              .map((name) => `${name} ${rss(name)}`)
              .join(', ')}; CPU ms per case saved in the step: ${stepCpu.join(', ')}; ` +
            `worker-1 by thread: ${byThread.join(', ')}`,
        );
        last = p.done;
        if (receipts) console.log(`[bench] ${receipts.line()}`);
        await statements?.print(`${p.done} started`);
      }
      if (p.status === 'completed') {
        if (p.failed) throw new Error(`${p.failed} households failed`);
        break;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    const tImport = performance.now();
    for (;;) {
      if ((await saved()) >= size) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const tCases = performance.now();
    if (receipts) console.log(`[bench] to the last save: ${receipts.line()}`);
    await receipts?.stop();
    await statements?.print('the last cases saved');
    await statements?.end();
    const cpuS = cpu.stop();
    const peaks = mem.stop();
    const probe = PROBE
      ? await probeTaskLatency({
          pool,
          temporalAddress: stack.temporalAddress,
          importId: accepted.importId,
          metricsUrl: stack.workerMetricsUrl,
          rssMb: () => rss('worker-1'),
          k: Math.min(PROBE, size),
          concurrency: Number(process.env.BENCH_PROBE_CONCURRENCY ?? 4),
        })
      : [];
    await pool.end();
    const s = (a: number, b: number) => (b - a) / 1000;
    const casesPerS = size / s(t0, tCases);
    const figures = {
      temporal: TEMPORAL,
      workers: WORKERS,
      waitingCases: process.env.IMPORT_WAITING_CASES ?? 'default (config/env.ts)',
      load,
      households: size,
      fileMb: +(file.length / 1e6).toFixed(1),
      uploadAndValidationS: +s(t0, tUpload).toFixed(1),
      importWallS: +s(t0, tImport).toFixed(1),
      allCasesSavedS: +s(t0, tCases).toFixed(1),
      casesPerS: +casesPerS.toFixed(1),
      trivialPerS,
      ratio: +(casesPerS / trivialPerS).toFixed(3),
    };
    console.log(JSON.stringify(figures));
    // CPU milliseconds per household, by process tree, over the import (its upload to the last save).
    const perHousehold = Object.fromEntries(
      Object.entries(cpuS).map(([n, c]) => [n, +((c * 1000) / size).toFixed(1)]),
    );
    console.log(`[bench] CPU s over the import: ${JSON.stringify(cpuS)}`);
    console.log(`[bench] CPU ms per household: ${JSON.stringify(perHousehold)}`);
    console.log(
      `[bench] peak RSS MB: ${JSON.stringify(Object.fromEntries(Object.entries(peaks).map(([n, m]) => [n, Math.round(m)])))}`,
    );
    if (probe.length) printProbe(probe);
    return figures;
  } finally {
    await stack.stop();
  }
}

const results = [];
for (const size of SIZES) results.push(await run(size));
console.table(results);
