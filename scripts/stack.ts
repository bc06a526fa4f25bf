import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { migrate } from '../db/migrate';
import { workflowBundleOptions } from '../worker/bundle';
import { clusterMode } from './lib/cluster-mode';
import { clusterPass } from './lib/cluster-pass';
import { fuzzPass } from './lib/fuzz';
import { dropDatabase, ensureDatabase, startPostgres } from './lib/postgres';
import { freePort, type Proc, startProc } from './lib/procs';
import { startMode } from './lib/start-mode';
import { startDevServer } from './lib/temporal';

// The two README commands after installation (scripts/start.sh, scripts/test.sh):
//   start — Postgres, Temporal dev server, migrations, worker, API; prints the URLs; Ctrl-C stops all.
//   test  — the same servers on free ports (throw-away state), typecheck, lint, compose check, vitest,
//           the schemathesis pass (scripts/lib/fuzz.ts); stops everything and ends with
//           `N passed, N failed`. FUZZ=0 skips the pass, FUZZ_ONLY=1 runs nothing else. Then the
//           cluster pass (scripts/lib/cluster-pass.ts): CLUSTER=0 skips it, CLUSTER_ONLY=1 runs only it.
//   cluster — the production topology on this machine (scripts/lib/cluster.ts): Postgres, Temporal's
//           four services, two workers, two APIs; prints the URLs; Ctrl-C stops all.

const ROOT = join(import.meta.dirname, '..');
/** The product's folders whose imports the layering rules check (tests, benches and scripts are outside). */
const LAYERED_FOLDERS = [
  'domain',
  'workflows',
  'activities',
  'clients',
  'api',
  'db',
  'documents',
  'codec',
  'config',
  'metrics',
  'worker',
];
const stops: (() => Promise<void>)[] = [];
let stopping: Promise<void> | undefined;
// One shutdown, however many paths ask for it (a signal and a child's exit can race).
const stopAll = (): Promise<void> =>
  (stopping ??= (async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((e: Error) => console.error(e.message));
  })());

function onSignals(fn: () => Promise<void>) {
  let once = false;
  for (const s of ['SIGINT', 'SIGTERM'] as const) {
    process.on(s, () => {
      if (once) return;
      once = true;
      console.log(`\n[stack] ${s}: stopping`);
      fn().finally(() => process.exit(130));
    });
  }
}

function check(name: string, cmd: string, args: string[]): boolean {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(`[check] ${name}: ${ok ? 'passed' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

/** `.test-data`, or a private folder under it when another test run holds it (two runs side by side). */
function testDataDir(): string {
  const shared = join(ROOT, '.test-data');
  const pidFile = join(shared, 'postgres', 'postmaster.pid');
  if (process.env.TEST_DATA_DIR) return process.env.TEST_DATA_DIR;
  if (!existsSync(pidFile)) return shared;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return shared; // a stale pid file from a killed run: Postgres recovers the folder
  }
  return join(shared, `run-${process.pid}`);
}

async function test(vitestArgs: string[]) {
  const data = testDataDir();
  mkdirSync(data, { recursive: true });
  onSignals(stopAll);
  const checks: Record<string, boolean> = {};
  const bin = (n: string) => join(ROOT, 'node_modules', '.bin', n);
  const only = vitestArgs.length > 0;
  const clusterOnly = process.env.CLUSTER_ONLY === '1';
  const fuzzOnly = process.env.FUZZ_ONLY === '1';
  if (!only && !fuzzOnly && !clusterOnly) {
    checks.typecheck = check('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', '.']);
    checks.lint = check('lint (biome)', bin('biome'), ['check', '.']);
    // The layers (ARCHITECTURE.md "Layers", .dependency-cruiser.cjs): no circles, a pure domain,
    // deterministic workflows, an API that reaches workflows only through their contracts.
    checks.layers = check('layers (dependency-cruiser)', bin('depcruise'), [
      ...LAYERED_FOLDERS,
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'err',
    ]);
    if (existsSync(join(ROOT, 'scripts', 'check-compose.sh'))) {
      checks['docker-compose config'] = check('docker-compose.yml', 'bash', [
        join(ROOT, 'scripts', 'check-compose.sh'),
      ]);
    }
  }

  const t0 = Date.now();
  const pg = await startPostgres({
    dataDir: join(data, 'postgres'),
    port: await freePort(),
    logFile: join(data, 'logs', 'postgres.log'),
    settings: ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'],
  });
  stops.push(pg.stop);
  const template = 'dibao_template';
  await dropDatabase(pg.url('postgres'), template);
  await ensureDatabase(pg.url('postgres'), template);
  await migrate(pg.url(template), 'up', true);
  const temporal = await startDevServer({
    port: await freePort(),
    logFile: join(data, 'logs', 'temporal.log'),
  });
  stops.push(temporal.stop);
  // The worker's bundle (worker/bundle.ts), at the development stack depth.
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger });
  const bundlePath = join(data, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  console.log(`[stack] servers ready and workflows bundled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const report = join(data, 'vitest.json');
  const env = {
    ...process.env,
    TEST_PG_ADMIN_URL: pg.url('postgres'),
    TEST_PG_TEMPLATE: template,
    TEST_TEMPORAL_ADDRESS: temporal.address,
    TEST_WORKFLOW_BUNDLE: bundlePath,
    TEST_TESTSERVER_CLASSPATH: join(ROOT, '.tools', 'testserver', 'lib', '*'),
  };
  rmSync(report, { force: true });
  let code: number | string = 0;
  if (!fuzzOnly && !clusterOnly) {
    const vitest: Proc = startProc(
      'vitest',
      bin('vitest'),
      ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs],
      { env, cwd: ROOT },
    );
    stops.push(() => vitest.stop('SIGTERM', 5000));
    code = await vitest.exited;
  }
  // Full runs only: a run narrowed to some vitest files is a developer's quick loop.
  if ((!only || fuzzOnly) && !clusterOnly && process.env.FUZZ !== '0') {
    const t1 = Date.now();
    const fuzzOpts = {
      root: ROOT,
      dataDir: data,
      adminUrl: pg.url('postgres'),
      template,
      temporalAddress: temporal.address,
    };
    const ok = await fuzzPass(fuzzOpts).catch((err: Error) => {
      console.error(`[fuzz] FAILED to run: ${err.message}`);
      return false;
    });
    checks['fuzz (schemathesis)'] = ok;
    console.log(
      `[check] fuzz (schemathesis): ${ok ? 'passed' : 'FAILED'} (${((Date.now() - t1) / 1000).toFixed(1)} s)`,
    );
  }
  const clusterReport = join(data, 'vitest-cluster.json');
  rmSync(clusterReport, { force: true });
  let clusterCode: number | string = 0;
  if ((!only || clusterOnly) && !fuzzOnly && process.env.CLUSTER !== '0') {
    await temporal.stop(); // the dev server's part is over
    clusterCode = await clusterPass({
      root: ROOT,
      dataDir: data,
      pg,
      template,
      env,
      report: clusterReport,
      vitestArgs: clusterOnly ? vitestArgs : [],
      onStop: (fn) => stops.push(fn),
    }).catch((err: Error) => {
      console.error(`[stack] cluster pass FAILED to run: ${err.message}`);
      return 1;
    });
  }
  await stopAll();

  let passed = 0;
  let failed = 0;
  for (const [file, exit] of [
    [report, code],
    [clusterReport, clusterCode],
  ] as const) {
    let f = 0;
    if (existsSync(file)) {
      const r = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number };
      passed += r.numPassedTests;
      f = r.numFailedTests;
    }
    if (exit !== 0 && f === 0) f = 1; // vitest failed outside a test (a suite error)
    failed += f;
  }
  if (data.endsWith(`run-${process.pid}`)) rmSync(data, { recursive: true, force: true });
  for (const ok of Object.values(checks)) ok ? passed++ : failed++;
  console.log(`\ntests and checks: ${passed + failed} (${Object.keys(checks).length} checks)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

const [mode, ...rest] = process.argv.slice(2);
const run =
  mode === 'start'
    ? startMode(ROOT, { stops, stopAll, onSignals: () => onSignals(stopAll) })
    : mode === 'test'
      ? test(rest[0] === '--' ? rest.slice(1) : rest)
      : mode === 'cluster'
        ? clusterMode(ROOT, { stops, onSignals: () => onSignals(stopAll) })
        : undefined;
if (!run) {
  console.error('usage: tsx scripts/stack.ts start | cluster | test [-- vitest args]');
  process.exit(2);
}
run.catch(async (err: Error) => {
  console.error(`[stack] FAILED: ${err.message}`);
  await stopAll();
  process.exit(1);
});
