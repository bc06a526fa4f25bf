import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type pg from 'pg';
import { payrollActivities, type RosterPage } from '../activities/payroll';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { dropDatabase, ensureDatabase, startPostgres } from '../scripts/lib/postgres';
import { freePort } from '../scripts/lib/procs';
import { seedPolicy } from '../test/helpers/seed';
import { runCopy, runCopyWritten } from './copy-baseline';
import { profiledPool } from './statement-profile';

// R-M1: a county's payroll of 10,000 and 100,000 active cases on this machine — wall time, rows/s,
// peak memory — and its ratio to a raw COPY of as many ledger rows, measured in the same run
// (STYLE.md: figures are ratios against a baseline, never asserted in timed tests).
// Usage: npm run bench:payroll -- [10000] [100000] [--runs=2] [--page-size=2000] [--fsync=off] [--profile] [--explain]

const ROOT = join(import.meta.dirname, '..');
const COUNTY = '140802';
const MONTH = '2026-09';
const PAYROLL_ID = `${COUNTY}:${MONTH}`;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const sizes = argv.filter((a) => /^\d[\d_]*$/.test(a)).map((a) => Number(a.replaceAll('_', '')));
const SIZES = sizes.length ? sizes : [10_000, 100_000];
const RUNS = Number(flag('runs') ?? 1);
const PAGE_SIZE = Number(flag('page-size') ?? 2000);
const FSYNC_OFF = flag('fsync') === 'off';
const PROFILE = argv.includes('--profile');
const EXPLAIN = argv.includes('--explain');

interface Result {
  n: number;
  payrollS: number;
  phases: { roster: number; stragglers: number; bankFile: number };
  ledgerRows: number;
  bankLines: number;
  rssStartMb: number;
  rssPeakMb: number;
  copyS: number;
  /** COPY of every row the payroll leaves (ledger, ledger_history, payment_lines). */
  copyAll: { s: number; rows: number };
}

/** N active cases with their September month (amounts with fen); ~5% open back-pay, ~2% open recovery. */
async function seed(pool: pg.Pool, n: number) {
  await seedPolicy(pool, COUNTY);
  const db = await pool.connect();
  try {
    await db.query(
      `CREATE TEMP TABLE src AS
       SELECT i, 'B' || lpad(i::text, 7, '0') AS id,
         CASE WHEN i % 10 = 0 THEN 'extreme_poverty' ELSE 'dibao' END AS category,
         $1 || (101 + i % 12)::text || (201 + i % 25)::text AS village,
         CASE WHEN i % 3 = 0 THEN 'urban' ELSE 'rural' END AS residence,
         1 + i % 4 AS persons,
         (250 + (i * 37) % 600 + (i % 100) / 100.0)::numeric(14, 2) AS amount,
         $1 || to_char(date '1940-01-01' + i % 25000, 'YYYYMMDD') || lpad((i % 1000)::text, 3, '0') || 'X' AS id_number
       FROM generate_series(1, $2::int) i`,
      [COUNTY, n],
    );
    await db.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by)
       SELECT id, category, village, left(village, 9), $1, '2026-01-05', false, false, 'approved', 'bench' FROM src`,
      [COUNTY],
    );
    await db.query(
      `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
         monthly_amount, start_month, approved_on, approved_by, members, persons)
       SELECT id, id, category, village, left(village, 9), $1, 'active', amount, '2026-01', '2026-01-05', 'bench',
         jsonb_build_array(jsonb_build_object('idNumber', id_number, 'name', '户主' || i, 'relation', 'applicant'))
           || CASE WHEN persons > 1 THEN jsonb_build_array(jsonb_build_object(
                'idNumber', id_number || 'c', 'name', '成员' || i, 'relation', 'child')) ELSE '[]' END,
         persons
       FROM src`,
      [COUNTY],
    );
    await db.query(
      `INSERT INTO case_months (case_id, month, county_code, township_code, village_code, category, residence, amount,
         persons, status, rostered_on)
       SELECT id, $2, $1, left(village, 9), village, category, residence, amount, persons, 'regular', '2026-09-04'
       FROM src`,
      [COUNTY, MONTH],
    );
    // i % 20 = 3 and i % 50 = 11 never meet: a case has back-pay or a recovery, not both. Half the
    // recoveries exceed the month's money, so those cases send no bank line.
    await db.query(
      `INSERT INTO case_adjustments (adjustment_key, case_id, county_code, township_code, village_code, category,
         kind, amount, months, reason, decided_on)
       SELECT id || ':' || kind || ':bench', id, $1, left(village, 9), village, category, kind, adj, '{2026-08}',
         'bench', '2026-08-20'
       FROM (SELECT *, CASE WHEN i % 20 = 3 THEN 'back_pay' ELSE 'recovery' END AS kind,
               CASE WHEN i % 20 = 3 THEN 100.50 + i % 50 WHEN i % 100 = 11 THEN 5000.00 ELSE 120.30 END AS adj
             FROM src WHERE i % 20 = 3 OR i % 50 = 11) s`,
      [COUNTY],
    );
  } finally {
    db.release();
  }
  // Production tables have planner statistics (autovacuum); a freshly seeded one does not yet.
  await pool.query('ANALYZE');
}

/** Node's resident set, sampled every 50 ms (Postgres is another process and is not included). */
function rssSampler() {
  const mb = () => process.memoryUsage().rss / 2 ** 20;
  const start = mb();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, mb());
  }, 50);
  return {
    start,
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, mb());
    },
  };
}

/** The workflow's database work in its order (workflows/payroll/workflow.ts), activities run in a mock context. */
async function runPayroll(pool: pg.Pool, filesDir: string) {
  const profile = PROFILE ? profiledPool(pool) : undefined;
  const acts = payrollActivities({ pool: profile?.pool ?? pool, paymentFilesDir: filesDir });
  const env = new MockActivityEnvironment();
  const ctx = await acts.loadPayrollContext({ countyCode: COUNTY, month: MONTH });
  const mem = rssSampler();
  const t0 = performance.now();
  await acts.openPayroll({
    payrollId: PAYROLL_ID,
    countyCode: COUNTY,
    month: MONTH,
    rosterDate: '2026-09-04',
    paymentDate: '2026-09-10',
  });
  await acts.retryFailedLines({
    payrollId: PAYROLL_ID,
    countyCode: COUNTY,
    maxAttempts: ctx.policy.payment.maxAttempts,
    dueOn: '2026-09-10',
  });
  let after: string | undefined;
  for (;;) {
    const page: RosterPage = await env.run(acts.rosterPage, {
      payrollId: PAYROLL_ID,
      countyCode: COUNTY,
      month: MONTH,
      quarterlyExtremePoverty: ctx.policy.extremePoverty.paymentFrequency === 'quarterly',
      afterCaseId: after,
      limit: PAGE_SIZE,
    });
    after = page.lastCaseId;
    if (page.done) break;
  }
  const t1 = performance.now();
  await acts.rosterStragglers({ payrollId: PAYROLL_ID, countyCode: COUNTY, month: MONTH });
  await acts.rosterTemporaryGrants({ payrollId: PAYROLL_ID, countyCode: COUNTY, month: MONTH });
  const t2 = performance.now();
  const file = (await env.run(acts.writeBankFile, {
    payrollId: PAYROLL_ID,
    countyCode: COUNTY,
    month: MONTH,
  })) as Awaited<ReturnType<typeof acts.writeBankFile>>;
  const t3 = performance.now();
  const rssPeakMb = mem.stop();
  profile?.print((t3 - t0) / 1000);
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM ledger WHERE payroll_id = $1', [
    PAYROLL_ID,
  ]);
  return {
    payrollS: (t3 - t0) / 1000,
    phases: { roster: (t1 - t0) / 1000, stragglers: (t2 - t1) / 1000, bankFile: (t3 - t2) / 1000 },
    ledgerRows: rows[0].n as number,
    bankLines: file.lines,
    rssStartMb: mem.start,
    rssPeakMb,
  };
}

async function benchOnce(adminUrl: (db: string) => string, n: number, filesRoot: string): Promise<Result> {
  const name = `bench_${n}`;
  await dropDatabase(adminUrl('postgres'), name);
  await ensureDatabase(adminUrl('postgres'), name, 'bench_template');
  const pool = createPool(adminUrl(name), 5);
  try {
    const t0 = performance.now();
    await seed(pool, n);
    console.log(`[bench] N=${n}: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const payroll = await runPayroll(pool, await mkdtemp(join(filesRoot, `files-${n}-`)));
    const copyS = await runCopy(pool, payroll.ledgerRows, COUNTY, MONTH);
    const copyAll = await runCopyWritten(pool, PAYROLL_ID);
    return { n, ...payroll, copyS, copyAll };
  } finally {
    await pool.end();
    await dropDatabase(adminUrl('postgres'), name);
  }
}

function printTable(results: Result[]) {
  const head = (
    'N|payroll s|ledger rows|rows/s|bank lines|RSS start MB|peak RSS MB|COPY s|COPY rows/s|payroll/COPY|' +
    'rows written|COPY all s|payroll/COPY all|roster s|stragglers s|bank file s'
  ).split('|');
  const body = results.map((r) => [
    r.n.toLocaleString('en'),
    r.payrollS.toFixed(2),
    String(r.ledgerRows),
    (r.ledgerRows / r.payrollS).toFixed(0),
    String(r.bankLines),
    r.rssStartMb.toFixed(0),
    r.rssPeakMb.toFixed(0),
    r.copyS.toFixed(2),
    (r.ledgerRows / r.copyS).toFixed(0),
    `${(r.payrollS / r.copyS).toFixed(1)}x`,
    String(r.copyAll.rows),
    r.copyAll.s.toFixed(2),
    `${(r.payrollS / r.copyAll.s).toFixed(1)}x`,
    r.phases.roster.toFixed(2),
    r.phases.stragglers.toFixed(2),
    r.phases.bankFile.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`);
  for (const row of body) console.log(line(row));
}

async function main() {
  const dir = join(ROOT, '.test-data', `bench-${process.pid}`);
  const settings = FSYNC_OFF ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : [];
  // --explain: plans of the statements over 100 ms (with the triggers' nested ones) in the server log,
  // copied to .test-data/bench-payroll-explain.log at the end.
  if (EXPLAIN)
    settings.push(
      'shared_preload_libraries=auto_explain',
      'auto_explain.log_min_duration=100',
      'auto_explain.log_analyze=on',
      'auto_explain.log_nested_statements=on',
      'auto_explain.log_triggers=on',
    );
  const cluster = await startPostgres({
    dataDir: join(dir, 'postgres'),
    port: await freePort(),
    logFile: join(dir, 'postgres.log'),
    settings,
  });
  const stop = async () => {
    await cluster.stop();
    if (EXPLAIN)
      await copyFile(join(dir, 'postgres.log'), join(ROOT, '.test-data', 'bench-payroll-explain.log'));
    await rm(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    await ensureDatabase(cluster.url('postgres'), 'bench_template');
    await migrate(cluster.url('bench_template'), 'up', true);
    const results: Result[] = [];
    for (const n of SIZES) {
      for (let run = 0; run < RUNS; run++) results.push(await benchOnce(cluster.url, n, dir));
    }
    const cpu = os.cpus();
    console.log(`\npayroll ${PAYROLL_ID}, page size ${PAGE_SIZE}; ${new Date().toISOString()}`);
    console.log(
      `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
    );
    console.log(
      `postgres: private cluster, ${FSYNC_OFF ? settings.join(' ') : 'default durability (fsync on)'}; COPY target: a logged (not UNLOGGED) empty twin of ledger with its indexes, no triggers`,
    );
    console.log('RSS: the Node process only (Postgres is a separate process), sampled every 50 ms\n');
    printTable(results);
  } finally {
    await stop();
  }
}

await main();
