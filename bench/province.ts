import os from 'node:os';
import type pg from 'pg';
import { seedPolicy } from '../test/helpers/seed';
import { payrollWorkflowId } from '../workflows/contracts';
import { runCopy } from './copy-baseline';
import { peakSampler, startStack } from './worker-stack';

// R-M1 at province scale: 650,000 households in 120 counties, one payroll per county for the same
// month, run by the real payroll workflows on the real worker (its own process) and the Temporal
// dev server, all started at once as the monthly schedule starts them. Reported: wall time from
// the starts to the last bank file, ledger rows and rows/s, each county's payroll time, peak RSS of
// the worker, Postgres and Temporal, and a COPY of as many ledger rows in the same run (the ratio).
// Usage: npm run bench:province -- [--households=650000] [--counties=120] [--temporal=cluster]
// Worker sizing through the worker's own env (WORKER_MAX_ACTIVITIES, DATABASE_POOL_MAX, WORKER_HEAP_MB).

const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const HOUSEHOLDS = Number(flag('households') ?? 650_000);
const COUNTIES = Number(flag('counties') ?? 120);
const MONTH = '2026-09';
const HEAP = Number(process.env.WORKER_HEAP_MB ?? 2048);
/** `--temporal=cluster`: Temporal's four services on Postgres and two workers (scripts/lib/cluster.ts). */
const TEMPORAL = flag('temporal') === 'cluster' ? 'cluster' : 'dev';

/** County k: 14CCNN (10 cities × 12 counties), households spread evenly; ~5% back-pay, ~2% recoveries. */
async function seed(pool: pg.Pool) {
  const counties = Array.from(
    { length: COUNTIES },
    (_, k) => `14${String(1 + Math.floor(k / 12)).padStart(2, '0')}${String(1 + (k % 12)).padStart(2, '0')}`,
  );
  for (const c of counties) await seedPolicy(pool, c);
  const db = await pool.connect();
  try {
    await db.query(
      `CREATE TEMP TABLE src AS
       SELECT i, 'P' || lpad(i::text, 8, '0') AS id, c.county,
         CASE WHEN i % 10 = 0 THEN 'extreme_poverty' ELSE 'dibao' END AS category,
         c.county || (101 + i % 12)::text || (201 + i % 25)::text AS village,
         CASE WHEN i % 3 = 0 THEN 'urban' ELSE 'rural' END AS residence, 1 + i % 4 AS persons,
         (250 + (i * 37) % 600 + (i % 100) / 100.0)::numeric(14, 2) AS amount,
         c.county || to_char(date '1940-01-01' + i % 25000, 'YYYYMMDD') || lpad((i % 1000)::text, 3, '0') || 'X' AS id_number
       FROM generate_series(1, $1::int) i JOIN unnest($2::text[]) WITH ORDINALITY c(county, k) ON c.k = 1 + i % $3`,
      [HOUSEHOLDS, counties, COUNTIES],
    );
    await db.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by)
       SELECT id, category, village, left(village, 9), county, '2026-01-05', false, false, 'approved', 'bench' FROM src`,
    );
    await db.query(
      `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
         monthly_amount, start_month, approved_on, approved_by, members, persons)
       SELECT id, id, category, village, left(village, 9), county, 'active', amount, '2026-01', '2026-01-05', 'bench',
         jsonb_build_array(jsonb_build_object('idNumber', id_number, 'name', '户主' || i, 'relation', 'applicant')),
         persons
       FROM src`,
    );
    await db.query(
      `INSERT INTO case_months (case_id, month, county_code, township_code, village_code, category, residence, amount,
         persons, status, rostered_on)
       SELECT id, $1, county, left(village, 9), village, category, residence, amount, persons, 'regular', '2026-09-04'
       FROM src`,
      [MONTH],
    );
    await db.query(
      `INSERT INTO case_adjustments (adjustment_key, case_id, county_code, township_code, village_code, category,
         kind, amount, months, reason, decided_on)
       SELECT id || ':' || kind || ':bench', id, county, left(village, 9), village, category, kind, adj, '{2026-08}',
         'bench', '2026-08-20'
       FROM (SELECT *, CASE WHEN i % 20 = 3 THEN 'back_pay' ELSE 'recovery' END AS kind,
               CASE WHEN i % 20 = 3 THEN 100.50 + i % 50 WHEN i % 100 = 11 THEN 5000.00 ELSE 120.30 END AS adj
             FROM src WHERE i % 20 = 3 OR i % 50 = 11) s`,
    );
  } finally {
    db.release();
  }
  await pool.query('ANALYZE');
  return counties;
}

async function main() {
  const stack = await startStack({ name: 'bench-province', heapMb: HEAP, workerEnv: {}, temporal: TEMPORAL });
  try {
    const t0 = performance.now();
    const counties = await seed(stack.pool);
    console.log(
      `[bench] seeded ${HOUSEHOLDS} households in ${COUNTIES} counties in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    const mem = peakSampler(stack.pids);
    const t1 = performance.now();
    await Promise.all(
      counties.map((countyCode) =>
        stack.client.workflow.start('payrollWorkflow', {
          taskQueue: 'dibao',
          workflowId: payrollWorkflowId(countyCode, MONTH),
          args: [{ countyCode, month: MONTH }],
        }),
      ),
    );
    // A payroll of a past month is 'overdue' as soon as its file is out: done = the file is recorded.
    let sent = 0;
    for (let k = 0; sent < COUNTIES; k++) {
      if (k > 7200) throw new Error(`only ${sent} of ${COUNTIES} payrolls sent after 2 h`);
      await new Promise((r) => setTimeout(r, 500));
      sent = (await stack.pool.query(`SELECT count(*)::int AS n FROM payrolls WHERE file_sha256 IS NOT NULL`))
        .rows[0].n;
    }
    const wallS = (performance.now() - t1) / 1000;
    const peak = mem.stop();
    const { rows } = await stack.pool.query(
      `SELECT (SELECT count(*)::int FROM ledger) AS ledger, (SELECT count(*)::int FROM payment_lines) AS lines,
         (SELECT count(*)::int FROM ledger_history) AS history,
         percentile_cont(ARRAY[0.5, 1.0]) WITHIN GROUP (ORDER BY extract(epoch FROM f.at - p.started_at)) AS secs
       FROM payrolls p
       JOIN (SELECT payroll_id, max(created_at) AS at FROM payment_lines GROUP BY payroll_id) f USING (payroll_id)`,
    );
    const r = rows[0];
    const copyS = await runCopy(stack.pool, r.ledger, '140101', MONTH);
    const cpu = os.cpus();
    const topology =
      TEMPORAL === 'cluster'
        ? `Temporal cluster (frontend, history, matching, worker on Postgres; ${process.env.BENCH_HISTORY_SHARDS ?? 4} history shards); 2 worker processes`
        : 'Temporal dev server; 1 worker process';
    console.log(`\nprovince run ${new Date().toISOString()}; ${topology} (heap ${HEAP} MB each)`);
    console.log(
      `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      '| households | counties | wall s | ledger rows | rows/s | bank lines | history rows | county payroll p50 s | max s | COPY s | wall/COPY |',
    );
    console.log('|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    console.log(
      `| ${HOUSEHOLDS} | ${COUNTIES} | ${wallS.toFixed(1)} | ${r.ledger} | ${(r.ledger / wallS).toFixed(0)} | ${r.lines} | ${r.history} | ` +
        `${Number(r.secs[0]).toFixed(1)} | ${Number(r.secs[1]).toFixed(1)} | ${copyS.toFixed(2)} | ${(wallS / copyS).toFixed(1)}x |`,
    );
    console.log(
      `peak RSS MB: ${Object.entries(peak)
        .map(([name, mb]) => `${name} ${mb.toFixed(0)}`)
        .join(', ')}`,
    );
  } finally {
    await stack.stop();
  }
}

await main();
