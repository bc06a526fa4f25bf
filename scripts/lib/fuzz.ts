import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner } from 'fast-jwt';
import pg from 'pg';
import {
  apiErrors,
  describeFindings,
  distinctAnswers,
  FAILING_CHECKS,
  foldFindings,
  mergeReports,
  REPORTED_CHECKS,
  readRunReport,
  workerFailures,
} from './fuzz-report';
import { appLogin, dropDatabase, ensureDatabase } from './postgres';
import { freePort, type Proc, startProc, waitFor } from './procs';
import { settledCounts } from './table-counts';

// The schemathesis pass of the test command: the real API listening on a free port (tsx
// api/server.ts) and a worker (tsx worker/main.ts) on a fresh database cloned from the migrated
// template and a private task queue; schemathesis generates requests from /docs/json.
//   1. contract runs, one per caller (township, county, province): every answer must be no 5xx,
//      and of a status, media type and body the document declares;
//   2. must-fail runs (a token signed with another key; schema-violating data with a real token):
//      every table is counted before and after, once the workflows have settled — a row written
//      while the API answered 4xx is a write by a refused request.
// Afterwards the worker's log is read for workflows it could not run (started by a request the API
// accepted, then failing their first task for ever).
// The coverage phase alone sends ~2,500 requests a run; FUZZ_EXAMPLES scales the fuzzing phase
// (default 25 per operation and run): ~13,000 requests in all, five to six minutes here.

export interface FuzzPassOptions {
  root: string;
  dataDir: string;
  adminUrl: string;
  template: string;
  temporalAddress: string;
}

const CALLERS = [
  { name: 'township', role: 'township_staff', region: '140802101' },
  { name: 'county', role: 'county_staff', region: '140802' },
  { name: 'province', role: 'admin', region: '14' },
];

// The probes answer 200 to anyone: they have no place in the runs whose every request must fail.
const PUBLIC = ['--exclude-path', '/health', '--exclude-path', '/ready'];

export async function fuzzPass(opts: FuzzPassOptions): Promise<boolean> {
  const t0 = Date.now();
  const dir = join(opts.dataDir, 'fuzz');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const schemathesis = join(opts.root, '.tools', 'venv', 'bin', 'schemathesis');
  if (!existsSync(schemathesis)) throw new Error('schemathesis missing: run scripts/install.sh schemathesis');
  const examples = Number(process.env.FUZZ_EXAMPLES ?? 25);
  const seed = Number(process.env.FUZZ_SEED ?? randomBytes(4).readUInt32BE());

  const dbName = 'dibao_fuzz';
  await dropDatabase(opts.adminUrl, dbName);
  await ensureDatabase(opts.adminUrl, dbName, opts.template);
  const dbUrl = opts.adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const issuer = process.env.JWT_ISSUER ?? 'dibao';
  const env = {
    ...process.env,
    // R-O7 least privilege: the API and the worker as the app's login; the counts below as the owner.
    DATABASE_URL: await appLogin(dbUrl),
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_TASK_QUEUE: `fuzz-${process.pid}`,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    JWT_SECRET: secret,
    // Thousands of requests per token in a minute: the per-token limit would answer most with 429.
    RATE_LIMIT_MAX: '1000000',
    LOG_LEVEL: 'warn',
    PAYMENT_FILES_DIR: join(dir, 'payment-files'),
  };
  const tsx = join(opts.root, 'node_modules', '.bin', 'tsx');
  const procs: Proc[] = [];
  const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
  try {
    const worker = startProc('worker', tsx, [join(opts.root, 'worker', 'main.ts')], {
      env,
      logFile: join(dir, 'worker.log'),
    });
    procs.push(worker);
    const api = startProc('api', tsx, [join(opts.root, 'api', 'server.ts')], {
      env,
      logFile: join(dir, 'api.log'),
    });
    procs.push(api);
    const base = `http://127.0.0.1:${port}`;
    await waitFor('fuzz API /ready', async () => (await fetch(`${base}/ready`)).status === 200, {
      timeoutMs: 120_000,
      proc: api,
    });
    console.log(`[fuzz] API ${base} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; seed ${seed}`);

    const token = (role: string, region: string, key = secret) =>
      createSigner({ key, iss: issuer, expiresIn: 3_600_000 })({ sub: `fuzz-${role}`, role, region });
    let runs = 0;
    // hooksRegion: the contract runs put the caller's codes into half the cases (fuzz_hooks.py).
    const run = (name: string, bearer: string, extra: string[], hooksRegion?: string) => {
      const t = Date.now();
      const runSeed = seed + runs++;
      const ndjson = join(dir, `${name}.ndjson`);
      const args = [
        'run',
        `${base}/docs/json`,
        '-H',
        `Authorization: Bearer ${bearer}`,
        '--checks',
        [...FAILING_CHECKS, ...REPORTED_CHECKS].join(','),
        '--workers',
        '2',
        '--seed',
        String(runSeed),
        '--request-timeout',
        '20',
        '--generation-database',
        'none',
        '--no-color',
        // A finding must not end an operation's testing: every route breaks the media-type
        // declaration on its first error, and the 5xx behind it would go unseen.
        '--continue-on-failure',
        '--report',
        'ndjson',
        '--report-ndjson-path',
        ndjson,
        ...extra,
      ];
      const hooks: Record<string, string> = hooksRegion
        ? { SCHEMATHESIS_HOOKS: join(opts.root, 'scripts', 'lib', 'fuzz_hooks.py'), FUZZ_REGION: hooksRegion }
        : {};
      return runSchemathesis(schemathesis, args, dir, join(dir, `${name}.log`), hooks).then(() => {
        const report = readRunReport(ndjson);
        console.log(
          `[fuzz]   ${name}: ${report.requests} requests, ${report.serverErrors} answered 5xx (${((Date.now() - t) / 1000).toFixed(0)} s)`,
        );
        return report;
      });
    };

    const contract = [];
    for (const c of CALLERS) {
      contract.push(
        await run(
          c.name,
          token(c.role, c.region),
          ['--phases', 'coverage,fuzzing,stateful', '-n', String(examples)],
          c.region,
        ),
      );
    }

    const before = await settledCounts(pool);
    const mustFail = [
      await run('forged-token', token('admin', '14', randomBytes(32).toString('hex')), [
        ...PUBLIC,
        '--phases',
        'coverage,fuzzing',
        '-n',
        String(Math.ceil(examples / 4)),
      ]),
      await run('negative', token('admin', '14'), [
        '--mode',
        'negative',
        '--phases',
        'fuzzing',
        '-n',
        String(examples),
      ]),
    ];
    const after = await settledCounts(pool);
    const grown = Object.keys(after).filter((t) => (after[t] ?? 0) > (before[t] ?? 0));

    const all = mergeReports([...contract, ...mustFail]);
    const failing = describeFindings(all.findings.values(), FAILING_CHECKS);
    const grownText = grown.map((t) => `${t} ${before[t] ?? 0}→${after[t]}`).join(', ') || 'none';
    const notRejected = distinctAnswers(mergeReports(mustFail).notRejected);
    const counts = [
      `requests: ${all.requests}; answered 5xx: ${all.serverErrors}; by status: ${[...all.byStatus]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
      `tables grown during the must-fail runs: ${grownText}`,
      `must-fail requests answered other than 4xx: ${notRejected.length ? notRejected.join('; ') : 'none'}`,
    ];
    const errors = apiErrors(join(dir, 'api.log'));
    const stuck = workerFailures(join(dir, 'worker.log'));
    const reported = describeFindings(all.findings.values(), REPORTED_CHECKS);
    writeFileSync(
      join(dir, 'summary.txt'),
      [
        `seed ${seed} (runs use seed, seed+1, …)`,
        ...counts,
        `errors the API logged (${errors.length} kinds):`,
        ...errors.map((l) => `  ${l}`),
        `workflows the worker could not run (${stuck.length}):`,
        ...stuck.map((l) => `  ${l}`),
        `failing findings (${failing.length}):`,
        ...failing.map((l) => `  ${l}`),
        `undeclared status codes (reported, not failing) (${reported.length}):`,
        ...reported.map((l) => `  ${l}`),
        '',
      ].join('\n'),
    );
    // A workflow failing its tasks was started by a request answered 2xx: a 5xx in all but name.
    const ok = all.serverErrors === 0 && failing.length === 0 && grown.length === 0 && stuck.length === 0;
    // The terminal gets the counts and the findings folded by cause; summary.txt has every route.
    const folded = foldFindings(all.findings.values(), FAILING_CHECKS);
    for (const l of [
      ...counts,
      ...errors.map((l) => `API logged ${l}`),
      ...stuck.map((l) => `worker could not run ${l}`),
      `failing findings by cause (${folded.length}):`,
      ...folded.map((l) => `  ${l}`),
      `${ok ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(0)} s; logs and summary.txt in ${dir}`,
    ])
      console.log(`[fuzz] ${l}`);
    return ok;
  } finally {
    for (const p of procs.reverse()) await p.stop('SIGTERM', 15_000);
    await pool.end();
    await dropDatabase(opts.adminUrl, dbName).catch(() => {});
  }
}

/** schemathesis exits 1 when it found failures; we judge from its report, so only a crash (no report) matters. */
async function runSchemathesis(
  bin: string,
  args: string[],
  cwd: string,
  logFile: string,
  extraEnv: Record<string, string>,
): Promise<void> {
  const proc = startProc('schemathesis', bin, args, {
    cwd,
    logFile,
    env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false', ...extraEnv },
  });
  const code = await proc.exited;
  if (code !== 0 && code !== 1) throw new Error(`schemathesis exited ${code}; see ${logFile}`);
}
