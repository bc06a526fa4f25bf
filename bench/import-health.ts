import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { createSigner } from 'fast-jwt';
import pg from 'pg';
import { migrate } from '../db/migrate';
import { ensureDatabase, startPostgres } from '../scripts/lib/postgres';
import { freePort, startProc, waitFor } from '../scripts/lib/procs';
import { COUNTY_CODE, households, toCsv } from '../test/helpers/caseload';
import { seedPolicy } from '../test/helpers/seed';

// The API's event loop while a large caseload file is validated (README "Caseload import"): the API
// as its own process (`node --import tsx api/server.ts`) on a throw-away Postgres, probed with
// GET /health over HTTP (keep-alive, one at a time, PAUSE_MS apart) — first alone for as long as the
// upload will take (the baseline, same run), then while one file of N households (2 members each)
// is uploaded and validated. The file's last row is invalid, so every row is read and checked and
// the answer is the 422 report: nothing is stored, no Temporal server is needed.
// Usage: npm run bench:import-health -- [100000] [--pause-ms=5] [--async]
//   --async: the upload with `Prefer: respond-async`, probed until GET /v1/imports/{id} says refused.

const ROOT = join(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const N = Number(argv.find((a) => /^\d[\d_]*$/.test(a))?.replaceAll('_', '') ?? 100_000);
const PAUSE_MS = Number(flag('pause-ms') ?? 5);
const ASYNC = argv.includes('--async');
const JWT_SECRET = 'bench-import-health-secret-0123456789abcdefghij';
const sign = createSigner({ key: JWT_SECRET, iss: 'dibao', expiresIn: 3_600_000 });
const admin = `Bearer ${sign({ sub: 'admin-bench', role: 'admin', region: '14' })}`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const summary = (ms: number[]) => ({
  probes: ms.length,
  p50: pct(ms, 50),
  p99: pct(ms, 99),
  max: Math.max(...ms),
});

/** /health latencies, one probe at a time, until `done()` says stop. */
async function probe(base: string, done: () => boolean): Promise<number[]> {
  const ms: number[] = [];
  while (!done()) {
    const t0 = performance.now();
    const res = await fetch(`${base}/health`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`/health: ${res.status}`);
    ms.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, PAUSE_MS));
  }
  return ms;
}

async function main() {
  const dir = join(ROOT, '.test-data', `bench-import-health-${process.pid}`);
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const cluster = await startPostgres({
      dataDir: join(dir, 'postgres'),
      port: await freePort(),
      logFile: join(dir, 'postgres.log'),
      settings: ['fsync=off', 'synchronous_commit=off'],
    });
    stops.push(cluster.stop);
    await ensureDatabase(cluster.url('postgres'), 'dibao');
    await migrate(cluster.url('dibao'), 'up', true);
    const port = await freePort();
    const api = startProc('api', process.execPath, ['--import', 'tsx', join(ROOT, 'api/server.ts')], {
      cwd: ROOT,
      logFile: join(dir, 'api.log'),
      env: {
        ...process.env,
        // Not production: a production API verifies the identity provider's keys (JWT_JWKS_URL) and
        // refuses a shared secret (R-O7); the bench signs its own tokens with JWT_SECRET.
        NODE_ENV: 'test',
        DATABASE_URL: cluster.url('dibao'),
        TEMPORAL_ADDRESS: '127.0.0.1:1', // never called: the file is refused before the import starts
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        JWT_SECRET,
        PAYLOAD_KEYS: `bench-1:${randomBytes(32).toString('base64')}`,
        PAYLOAD_KEY_ID: 'bench-1',
        ID_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
        ID_KEY_ID: 'bench1',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_MAX: '100000000',
      },
    });
    stops.push(() => api.stop('SIGTERM', 20_000));
    const base = `http://127.0.0.1:${port}`;
    await waitFor('the API', async () => (await fetch(`${base}/health`)).status === 200, {
      timeoutMs: 120_000,
      proc: api,
    });
    // The county's standard straight into the table (PUT /v1/admin/standards would start its fan-out).
    const pool = new pg.Pool({ connectionString: cluster.url('dibao'), max: 1 });
    await seedPolicy(pool, COUNTY_CODE);
    await pool.end();

    const hh = households(N, { size: 2 });
    hh.at(-1)!.rows[1]![7] = '650.123'; // the last row invalid: every row checked, nothing stored
    const file = toCsv(hh);
    const upload = async () => {
      const t0 = performance.now();
      const res = await fetch(`${base}/v1/imports/cases?countyCode=${COUNTY_CODE}`, {
        method: 'POST',
        headers: {
          authorization: admin,
          'content-type': 'text/csv',
          ...(ASYNC ? { prefer: 'respond-async' } : {}),
        },
        body: file,
      });
      const body = (await res.json()) as { importId?: string; rowsTotal?: number };
      if (!ASYNC) {
        if (res.status !== 422)
          throw new Error(`upload: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        return performance.now() - t0;
      }
      if (res.status !== 202) throw new Error(`upload: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      for (;;) {
        const s = (await (
          await fetch(`${base}/v1/imports/${body.importId}`, { headers: { authorization: admin } })
        ).json()) as { status: string };
        if (s.status === 'refused') return performance.now() - t0;
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    // Warm-up: the first upload starts the import thread (and compiles its modules).
    const warm = households(200, { size: 2 });
    warm.at(-1)!.rows[1]![7] = '650.123';
    await fetch(`${base}/v1/imports/cases?countyCode=${COUNTY_CODE}`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'text/csv' },
      body: toCsv(warm),
    });
    // A first upload of the file to know how long the baseline must probe.
    const firstMs = await upload();
    const tBase = performance.now();
    const baseline = await probe(base, () => performance.now() - tBase > firstMs);
    let uploading = true;
    const [uploadMs, during] = await Promise.all([
      upload().finally(() => {
        uploading = false;
      }),
      probe(base, () => !uploading),
    ]);
    const cpu = os.cpus();
    console.log(
      `\n/health while a caseload file is validated ${new Date().toISOString()}; ${N.toLocaleString('en')} households, ` +
        `${(N * 2).toLocaleString('en')} rows, ${(file.length / 1e6).toFixed(1)} MB, ${ASYNC ? 'respond-async' : 'synchronous'} upload; ` +
        `probe pause ${PAUSE_MS} ms`,
    );
    console.log(
      `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
    const b = summary(baseline);
    const d = summary(during);
    const f = (x: number) => x.toFixed(2);
    console.log('| probe | upload s | probes | p50 ms | p99 ms | max ms |\n|---|--:|--:|--:|--:|--:|');
    console.log(`| /health alone (baseline) | | ${b.probes} | ${f(b.p50)} | ${f(b.p99)} | ${f(b.max)} |`);
    console.log(
      `| /health during the upload | ${(uploadMs / 1000).toFixed(1)} | ${d.probes} | ${f(d.p50)} | ${f(d.p99)} | ${f(d.max)} |`,
    );
    console.log(
      `\nduring ÷ baseline: p50 ×${(d.p50 / b.p50).toFixed(1)}, p99 ×${(d.p99 / b.p99).toFixed(1)}`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch((e: Error) => console.error(e.message));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
