import os from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import type pg from 'pg';
import { app as apiPlugin } from '../api/app';
import { encodeLedgerCursor } from '../api/ledger-cursor';
import { serverOptions } from '../api/server-options';
import { parseConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { complaintsRepository } from '../db/repositories/complaints';
import { publicityRepository } from '../db/repositories/publicity';
import { spotChecksRepository } from '../db/repositories/spot-checks';
import { dropDatabase, ensureDatabase } from '../scripts/lib/postgres';
import { LIST_COUNTIES, seedLists } from '../test/helpers/list-seed';
import { countiesBefore, ledgerBefore, populationBefore, withoutIndexes } from './lists/before';
import { scratchPostgres } from './scratch-postgres';

// Three lists at a province's size (README "Benchmarks"): the village notice board
// (GET /v1/publicity, R-A4/R-A9), the spot-check population of a county and month (the round's
// activity, R-O2: SQL only, no route lists it) and the complaints ledger (GET /v1/complaints, R-O4:
// first page, a deep cursor page, a filtered page; its counts asked for on their own). N rows in
// each of applications, cases and complaints (test/helpers/list-seed.ts), over HTTP against the real
// API plugin (c=1, keep-alive), each request's statements timed bare on the pool in the same run,
// EXPLAIN (ANALYZE, BUFFERS) printed; the baseline is the lists before their indexes, same run.
// Usage: npm run bench:lists -- [1000000] [--requests=200] [--before-requests=50] [--explain=off]

const ROOT = join(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const sizes = argv.filter((a) => /^\d[\d_]*$/.test(a)).map((a) => Number(a.replaceAll('_', '')));
const SIZES = sizes.length ? sizes : [1_000_000];
const REQUESTS = Number(flag('requests') ?? 200);
const BEFORE_REQUESTS = Number(flag('before-requests') ?? 50);
const EXPLAIN = flag('explain') !== 'off';
const LIMIT = 50;
const COUNTY = LIST_COUNTIES[0]!;
const MONTH = '2026-06';

type Sql = { text: string; values: unknown[] };
interface Row {
  n: number;
  what: string;
  p50?: number;
  p99?: number;
  sqlP50: number;
  sqlP99: number;
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

async function explain(db: pg.Pool | pg.PoolClient, title: string, sqls: Sql[]) {
  if (!EXPLAIN) return;
  for (const s of sqls) {
    const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values);
    console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS): ${title}`);
    for (const r of rows) console.log(r['QUERY PLAN']);
  }
}

/** The statements a repository call sends, recorded on the way to the pool. */
async function recorded(pool: pg.Pool, call: (p: pg.Pool) => Promise<unknown>): Promise<Sql[]> {
  const sent: Sql[] = [];
  const query = (q: string | Sql, values?: unknown[]) => {
    sent.push(typeof q === 'string' ? { text: q, values: values ?? [] } : { text: q.text, values: q.values });
    return pool.query(q as string, values);
  };
  await call({ query } as unknown as pg.Pool);
  return sent;
}
const runAll = (db: pg.Pool | pg.PoolClient, sqls: Sql[]) =>
  Promise.all(sqls.map((s) => db.query(s.text, s.values)));

async function benchSize(url: (db: string) => string, n: number): Promise<Row[]> {
  const name = `bench_lists_${n}`;
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
    await seedLists(pool, n);
    console.log(
      `[bench] N=${n.toLocaleString('en')}: applications, cases and complaints seeded and analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    await api.register(apiPlugin, { config, pool, temporal });
    const base = await api.listen({ host: '127.0.0.1', port: 0 });
    const as = (role: string, region: string) => ({
      authorization: `Bearer ${api.jwt.sign({ sub: 'bench', role, region } as never)}`,
    });
    const get = async (path: string, headers: Record<string, string>) => {
      const res = await fetch(`${base}${path}`, { headers });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const measure = async (
      what: string,
      path: string | undefined,
      headers: Record<string, string>,
      sqls: Sql[],
    ) => {
      await explain(pool, `N=${n}: ${what}`, sqls);
      const route = path ? await timeIt(REQUESTS, () => get(path, headers)) : undefined;
      const sql = await timeIt(REQUESTS, () => runAll(pool, sqls));
      rows.push({ n, what, p50: route?.p50, p99: route?.p99, sqlP50: sql.p50, sqlP99: sql.p99 });
      console.log(
        `[bench] N=${n} ${what}: route p99 ${route?.p99.toFixed(2) ?? '—'} ms, SQL p99 ${sql.p99.toFixed(2)} ms`,
      );
    };
    const before = async (what: string, sqls: Sql[], db: pg.Pool | pg.PoolClient = pool) => {
      await explain(db, `N=${n}: BEFORE ${what}`, sqls);
      const t = await timeIt(BEFORE_REQUESTS, () => runAll(db, sqls));
      rows.push({ n, what: `BEFORE: ${what}`, sqlP50: t.p50, sqlP99: t.p99 });
    };

    // The notice board of a village with applications in publicity (R-A4, R-A9).
    const village = (
      await pool.query(
        `SELECT village_code FROM applications WHERE stage = 'publicity' ORDER BY application_id LIMIT 1`,
      )
    ).rows[0].village_code as string;
    const board = await recorded(pool, async (p) => {
      const r = publicityRepository(p);
      await r.inPublicity(village);
      await r.published(village);
    });
    await measure(
      `notice board, village ${village}`,
      `/v1/publicity?village=${village}`,
      as('township_staff', village.slice(0, 9)),
      board,
    );
    await withoutIndexes(pool, (c) =>
      before('notice board (same statements, without the new indexes)', board, c),
    );

    // The spot-check round's population of a county and month, and the counties of a month (R-O2).
    const population = await recorded(pool, (p) => spotChecksRepository(p).population(COUNTY, MONTH));
    await measure(`spot-check population, county ${COUNTY}, ${MONTH}`, undefined, {}, population);
    await before('spot-check population (date inside the view)', [populationBefore(COUNTY, MONTH)]);
    const counties = await recorded(pool, (p) => spotChecksRepository(p).counties(MONTH));
    await measure(`spot-check counties of ${MONTH}`, undefined, {}, counties);
    await before('spot-check counties (date inside the view)', [countiesBefore(MONTH)]);

    // The complaints ledger (R-O4): first page, a cursor page halfway down, a filtered page, the counts.
    for (const region of [COUNTY, '14', `${COUNTY}101`]) {
      const headers = as('supervisor', region);
      const total = Number((await get(`/v1/complaints/counts?region=${region}`, headers)).total);
      const middle = await pool.query(
        `SELECT received_on::text AS d, complaint_id AS c FROM complaints
         WHERE ${region.length === 2 ? 'left(county_code, 2)' : region.length === 6 ? 'county_code' : 'township_code'} = $1
         ORDER BY received_on DESC, complaint_id DESC OFFSET $2 LIMIT 1`,
        [region, Math.floor(total / 2)],
      );
      const key = { receivedOn: middle.rows[0].d as string, complaintId: middle.rows[0].c as string };
      const scope = `region ${region} (${total.toLocaleString('en')} lines)`;
      const page = (after?: typeof key, filter: object = {}) =>
        recorded(pool, (p) =>
          complaintsRepository(p).ledger({ region, limit: LIMIT, ...filter, ...(after ? { after } : {}) }),
        );
      await measure(
        `ledger first page, ${scope}`,
        `/v1/complaints?region=${region}&limit=${LIMIT}`,
        headers,
        await page(),
      );
      await measure(
        `ledger deep cursor page (middle), ${scope}`,
        `/v1/complaints?region=${region}&limit=${LIMIT}&cursor=${encodeLedgerCursor(key)}`,
        headers,
        await page(key),
      );
      await measure(
        `ledger open and overdue, first page, ${scope}`,
        `/v1/complaints?region=${region}&limit=${LIMIT}&stage=open&overdue=true`,
        headers,
        await page(undefined, { stage: 'open', overdue: true }),
      );
      const counts = await recorded(pool, (p) => complaintsRepository(p).ledgerCounts({ region }));
      await measure(
        `ledger counts (asked for on their own), ${scope}`,
        `/v1/complaints/counts?region=${region}`,
        headers,
        counts,
      );
      await before(`ledger first page with its count, ${scope}`, ledgerBefore(region, LIMIT, 0));
      await before(
        `ledger middle page (OFFSET) with its count, ${scope}`,
        ledgerBefore(region, LIMIT, Math.floor(total / 2)),
      );
    }
    return rows;
  } finally {
    await api.close();
    await pool.end();
    await dropDatabase(url('postgres'), name);
  }
}

function printTable(rows: Row[]) {
  const f = (x?: number) => (x === undefined ? '' : x.toFixed(2));
  console.log(
    '| N rows per table | request | route p50 ms | route p99 ms | SQL p50 ms | SQL p99 ms |\n|--:|---|--:|--:|--:|--:|',
  );
  for (const r of rows)
    console.log(
      `| ${r.n.toLocaleString('en')} | ${r.what} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.sqlP50)} | ${f(r.sqlP99)} |`,
    );
}

async function main() {
  const { cluster, stop } = await scratchPostgres(ROOT, 'bench-lists');
  try {
    await ensureDatabase(cluster.url('postgres'), 'bench_template');
    await migrate(cluster.url('bench_template'), 'up', true);
    const rows: Row[] = [];
    for (const n of SIZES) rows.push(...(await benchSize(cluster.url, n)));
    const cpu = os.cpus();
    console.log(
      `\nlists ${new Date().toISOString()}; ${REQUESTS} requests each (before: ${BEFORE_REQUESTS}), c=1, limit ${LIMIT}`,
    );
    console.log(
      `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      'route: HTTP over loopback (fetch, keep-alive) to the API plugin; SQL: the same statements on the pool\n',
    );
    printTable(rows);
  } finally {
    await stop();
  }
}

await main();
