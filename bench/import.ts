import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createSigner } from 'fast-jwt';
import pg from 'pg';
import { migrate } from '../db/migrate';
import { ensureDatabase, startPostgres } from '../scripts/lib/postgres';
import { freePort, type Proc, startProc, waitFor } from '../scripts/lib/procs';
import { startDevServer } from '../scripts/lib/temporal';
import { households, toCsv } from '../test/helpers/caseload';
import { printProbe, probeTaskLatency } from './import-probe';

// The caseload import through the HTTP API on the Temporal dev server (README "Caseload import"):
// BENCH_IMPORT_SIZES households (2 members each) per run, each size on fresh servers — Postgres,
// the dev server, the project's worker and API as their own processes (`node --import tsx`, so the
// peak RSS read from /proc is the process itself). Figures: upload + validation time, the import's
// wall time (every household recorded and its case workflow started), the time until every case
// workflow has saved its first state, cases/s, and the peak memory (VmHWM) of the API and worker.

const ROOT = join(import.meta.dirname, '..');
const SIZES = (process.env.BENCH_IMPORT_SIZES ?? '10000').split(',').map(Number);
const COUNTY = '140802';
const JWT_SECRET = 'bench-import-secret-0123456789abcdefghijklmnop';
const sign = createSigner({ key: JWT_SECRET, iss: 'dibao', expiresIn: 6 * 3_600_000 });
const admin = `Bearer ${sign({ sub: 'admin-bench', role: 'admin', region: '14' })}`;

/** BENCH_PROBE households (0 = none) signalled after the import, evicted then cached (import-probe.ts). */
const PROBE = Number(process.env.BENCH_PROBE ?? 1000);

const statusMb = (p: Proc, field: 'VmHWM' | 'VmRSS') => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${p.child.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
};
const peakMb = (p: Proc) => statusMb(p, 'VmHWM');

async function run(size: number) {
  const dir = join(ROOT, '.test-data', `bench-import-${process.pid}-${size}`);
  const logs = join(dir, 'logs');
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const pgc = await startPostgres({
      dataDir: join(dir, 'postgres'),
      port: await freePort(),
      logFile: join(logs, 'postgres.log'),
      settings: ['fsync=off', 'synchronous_commit=off'],
    });
    stops.push(pgc.stop);
    await ensureDatabase(pgc.url('postgres'), 'dibao');
    const pgUrl = pgc.url('dibao');
    await migrate(pgUrl, 'up', true);
    const temporal = await startDevServer({ port: await freePort(), logFile: join(logs, 'temporal.log') });
    stops.push(temporal.stop);
    const httpPort = await freePort();
    const metricsPort = await freePort();
    const env = {
      ...process.env,
      // HS256 with a secret of its own: development and tests only (config/env.ts, R-O7).
      NODE_ENV: 'test',
      DATABASE_URL: pgUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'dibao',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      JWT_SECRET,
      JWT_ISSUER: 'dibao',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '1000000',
      PAYLOAD_KEYS: `bench-1:${randomBytes(32).toString('base64')}`,
      PAYLOAD_KEY_ID: 'bench-1',
      PAYMENT_FILES_DIR: join(dir, 'payment-files'),
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
    };
    const spawn = (name: string, entry: string) => {
      // BENCH_WORKER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: node flags of the worker only.
      const extra =
        name === 'worker' ? (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
      const p = startProc(name, process.execPath, [...extra, '--import', 'tsx', join(ROOT, entry)], {
        env,
        cwd: ROOT,
        logFile: join(logs, `${name}.log`),
      });
      stops.push(() => p.stop('SIGTERM', 40_000));
      return p;
    };
    const worker = spawn('worker', 'worker/main.ts');
    const api = spawn('api', 'api/server.ts');
    const base = `http://127.0.0.1:${httpPort}`;
    await waitFor('the API', async () => (await fetch(`${base}/ready`)).status === 200, {
      timeoutMs: 180_000,
      proc: api,
    });
    await waitFor(
      'the worker',
      async () => readFileSync(join(logs, 'worker.log'), 'utf8').includes('polling'),
      {
        timeoutMs: 240_000,
        proc: worker,
      },
    );
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

    const file = toCsv(households(size, { size: 2 }));
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
    const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
    const saved = async () =>
      (await pool.query('SELECT count(*)::int AS n FROM cases WHERE revision > 0')).rows[0].n as number;
    let last = 0;
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
        console.log(
          `[bench] ${size}: ${p.done} recorded and started, ${await saved()} cases saved (${t} s); ` +
            `RSS MB worker ${statusMb(worker, 'VmRSS')}, api ${statusMb(api, 'VmRSS')}, temporal ${statusMb(temporal.proc, 'VmRSS')}`,
        );
        last = p.done;
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
    const probe = PROBE
      ? await probeTaskLatency({
          pool,
          temporalAddress: temporal.address,
          importId: accepted.importId,
          metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
          rssMb: () => statusMb(worker, 'VmRSS'),
          k: Math.min(PROBE, size),
          concurrency: Number(process.env.BENCH_PROBE_CONCURRENCY ?? 4),
        })
      : [];
    await pool.end();
    const s = (a: number, b: number) => (b - a) / 1000;
    const figures = {
      households: size,
      rows: size * 2,
      fileMb: +(file.length / 1e6).toFixed(1),
      uploadAndValidationS: +s(t0, tUpload).toFixed(1),
      importWallS: +s(t0, tImport).toFixed(1),
      allCasesSavedS: +s(t0, tCases).toFixed(1),
      casesPerS: +(size / s(t0, tCases)).toFixed(1),
      apiPeakMb: peakMb(api),
      temporalPeakMb: peakMb(temporal.proc),
      workerPeakMb: peakMb(worker),
    };
    console.log(JSON.stringify(figures));
    if (probe.length) printProbe(probe);
    return figures;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((e: Error) => console.error(e.message));
    await rm(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const size of SIZES) results.push(await run(size));
console.table(results);
