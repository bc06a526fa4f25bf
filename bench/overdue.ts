import os from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import type pg from 'pg';
import { app as apiPlugin } from '../api/app';
import { serverOptions } from '../api/server-options';
import { encodeCursor } from '../api/supervision-scope';
import { parseConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import {
  named,
  type OverdueKey,
  type OverdueQuery,
  overduePageSql,
  overdueRecountSql,
  overdueSummarySql,
} from '../db/repositories/overdue';
import { dropDatabase, ensureDatabase } from '../scripts/lib/postgres';
import { BEFORE_SQL, beforeValues } from './overdue/before';
import { seedOpenItems } from './overdue/seed';
import { scratchPostgres } from './scratch-postgres';

// R-O3: GET /v1/supervision/overdue (first page, a deep cursor page) and GET /v1/supervision/summary
// at 100,000 and 1,000,000 open items, over HTTP against the real API plugin, each request's SQL
// timed bare in the same run, and the list's query before the cursor redesign as the baseline
// (STYLE.md: figures are ratios against a baseline measured in the same run).
// Usage: npm run bench:overdue -- [100000] [1000000] [--requests=200] [--before-requests=200] [--explain=off]

const ROOT = join(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const sizes = argv.filter((a) => /^\d[\d_]*$/.test(a)).map((a) => Number(a.replaceAll('_', '')));
const SIZES = sizes.length ? sizes : [100_000, 1_000_000];
const REQUESTS = Number(flag('requests') ?? 200);
const BEFORE_REQUESTS = Number(flag('before-requests') ?? REQUESTS);
const EXPLAIN = flag('explain') !== 'off';
const LIMIT = 50;

interface Row {
  n: number;
  what: string;
  scope: string;
  p50: number;
  p99: number;
  sqlP50?: number;
  sqlP99?: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
async function timeIt(count: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(5, count); i++) await fn(); // warm-up: plans, buffers, keep-alive
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 50), p99: pct(ms, 99) };
}

async function explain(pool: pg.Pool, title: string, text: string, values: unknown[]) {
  if (!EXPLAIN) return;
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
  console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS): ${title}`);
  for (const r of rows) console.log(r['QUERY PLAN']);
}

/** The key of the item halfway down the region's list: a cursor page deep in the list. */
async function middleKey(pool: pg.Pool, q: OverdueQuery, flagged: number): Promise<OverdueKey> {
  const { text, values } = overduePageSql(q, Math.max(1, Math.floor(flagged / 2)));
  const { rows } = await pool.query(text, values);
  const r = rows.at(-1);
  return { overdue: r.overdue, dueOn: r.due_on, kind: r.kind, subjectId: r.subject_id, taskId: r.task_id };
}

async function benchSize(url: (db: string) => string, n: number): Promise<Row[]> {
  const name = `bench_overdue_${n}`;
  await dropDatabase(url('postgres'), name);
  await ensureDatabase(url('postgres'), name, 'bench_template');
  const pool = createPool(url(name), 10);
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url(name),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
  });
  // The routes measured never call Temporal: a lazy connection that is never opened.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const api = Fastify(serverOptions(config, { enabled: false }));
  const rows: Row[] = [];
  try {
    const t0 = performance.now();
    const seeded = await seedOpenItems(pool, n);
    console.log(
      `[bench] N=${n.toLocaleString('en')}: ${seeded.applications} open applications + ${seeded.tasks} open case tasks seeded and analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    await api.register(apiPlugin, { config, pool, temporal });
    const base = await api.listen({ host: '127.0.0.1', port: 0 });
    for (const region of ['140802', '14']) {
      const auth = {
        authorization: `Bearer ${api.jwt.sign({ sub: 'bench', role: 'supervisor', region } as never)}`,
      };
      const get = async (path: string) => {
        const res = await fetch(`${base}${path}`, { headers: auth });
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return res.json();
      };
      const q: OverdueQuery = { region, flag: 'any' };
      const summary = (await get('/v1/supervision/summary')) as {
        totals: { overdue: number; atRisk: number };
      };
      const flagged = summary.totals.overdue + summary.totals.atRisk;
      const key = await middleKey(pool, q, flagged);
      const scope = `region ${region} (${flagged.toLocaleString('en')} flagged)`;
      const cases: { what: string; path: string; sql: { text: string; values: unknown[] } }[] = [
        {
          what: 'overdue, first page',
          path: `/v1/supervision/overdue?limit=${LIMIT}`,
          sql: overduePageSql(q, LIMIT + 1),
        },
        {
          what: 'overdue, deep cursor page (middle of the list)',
          path: `/v1/supervision/overdue?limit=${LIMIT}&cursor=${encodeCursor(key)}`,
          sql: overduePageSql(q, LIMIT + 1, key),
        },
        { what: 'summary by township and kind', path: '/v1/supervision/summary', sql: overdueSummarySql(q) },
      ];
      for (const c of cases) {
        await explain(pool, `N=${n} ${scope}: ${c.what}`, c.sql.text, c.sql.values);
        const route = await timeIt(REQUESTS, () => get(c.path));
        // The route's own statement, named (prepared once per connection) as the repository sends it.
        const sql = await timeIt(REQUESTS, () => pool.query(named(c.sql)));
        rows.push({ n, what: c.what, scope, ...route, sqlP50: sql.p50, sqlP99: sql.p99 });
        console.log(
          `[bench] N=${n} ${scope} ${c.what}: route p50 ${route.p50.toFixed(2)} ms, SQL p50 ${sql.p50.toFixed(2)} ms`,
        );
      }
      await explain(
        pool,
        `N=${n} ${scope}: BEFORE (old query), limit ${LIMIT}`,
        BEFORE_SQL,
        beforeValues(region, LIMIT),
      );
      const before = await timeIt(BEFORE_REQUESTS, () => pool.query(BEFORE_SQL, beforeValues(region, LIMIT)));
      rows.push({ n, what: `BEFORE: old query, limit ${LIMIT} (bare SQL)`, scope, ...before });
      console.log(`[bench] N=${n} ${scope} before: p50 ${before.p50.toFixed(2)} ms`);
      // The summary as it was: every flagged item in scope counted from the sources.
      const recount = overdueRecountSql(q);
      const counted = await timeIt(BEFORE_REQUESTS, () => pool.query(named(recount)));
      rows.push({ n, what: 'BEFORE: summary counted from the sources (bare SQL)', scope, ...counted });
    }
    // What the counters cost a writer: one application's flags changed, as a workflow's save does,
    // with the counting triggers and without them (disabled for the measurement only).
    const ids = (
      await pool.query(`SELECT application_id FROM applications TABLESAMPLE SYSTEM (1) LIMIT 2000`)
    ).rows;
    let i = 0;
    const flip = () =>
      pool.query('UPDATE applications SET at_risk = NOT at_risk, overdue = $2 WHERE application_id = $1', [
        ids[i++ % ids.length].application_id,
        i % 3 === 0,
      ]);
    rows.push({
      n,
      what: 'writer: one application’s flags, counters kept',
      scope: 'one row',
      ...(await timeIt(REQUESTS * 5, flip)),
    });
    const triggers = ['insert', 'update', 'delete'].map((e) => `applications_counted_${e}`);
    for (const t of triggers) await pool.query(`ALTER TABLE applications DISABLE TRIGGER ${t}`);
    rows.push({
      n,
      what: 'BEFORE: writer without the counters',
      scope: 'one row',
      ...(await timeIt(REQUESTS * 5, flip)),
    });
    for (const t of triggers) await pool.query(`ALTER TABLE applications ENABLE TRIGGER ${t}`);
    return rows;
  } finally {
    await api.close();
    await pool.end();
    await dropDatabase(url('postgres'), name);
  }
}

function printTable(rows: Row[]) {
  const f = (x?: number) => (x === undefined ? '' : x.toFixed(2));
  const head = [
    'N open items',
    'scope',
    'request',
    'route p50 ms',
    'route p99 ms',
    'SQL p50 ms',
    'SQL p99 ms',
    'route÷SQL p50',
  ];
  const body = rows.map((r) => [
    r.n.toLocaleString('en'),
    r.scope,
    r.what,
    f(r.p50),
    f(r.p99),
    f(r.sqlP50),
    f(r.sqlP99),
    r.sqlP50 ? `×${(r.p50 / r.sqlP50).toFixed(1)}` : '',
  ]);
  console.log(`| ${head.join(' | ')} |\n|${head.map((_, i) => (i < 3 ? '---' : '--:')).join('|')}|`);
  for (const b of body) console.log(`| ${b.join(' | ')} |`);
  const [small, large] = [SIZES[0], SIZES.at(-1)];
  if (small === large) return;
  console.log(`\ngrowth from ${small?.toLocaleString('en')} to ${large?.toLocaleString('en')} (p99 ratio):`);
  for (const r of rows.filter((x) => x.n === large)) {
    const s = rows.find(
      (x) => x.n === small && x.what === r.what && x.scope.split(' ')[1] === r.scope.split(' ')[1],
    );
    if (s)
      console.log(
        `  ${r.scope.split(' (')[0]} ${r.what}: ×${(r.p99 / s.p99).toFixed(2)} (p50 ×${(r.p50 / s.p50).toFixed(2)})`,
      );
  }
}

async function main() {
  const { cluster, stop } = await scratchPostgres(ROOT, 'bench-overdue');
  try {
    await ensureDatabase(cluster.url('postgres'), 'bench_template');
    await migrate(cluster.url('bench_template'), 'up', true);
    const rows: Row[] = [];
    for (const n of SIZES) rows.push(...(await benchSize(cluster.url, n)));
    const cpu = os.cpus();
    console.log(
      `\noverdue list ${new Date().toISOString()}; ${REQUESTS} requests each (before: ${BEFORE_REQUESTS}), c=1, limit ${LIMIT}`,
    );
    console.log(
      `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      'route: HTTP over loopback (fetch, keep-alive) to the API plugin; SQL: the same statement on the pool\n',
    );
    printTable(rows);
  } finally {
    await stop();
  }
}

await main();
