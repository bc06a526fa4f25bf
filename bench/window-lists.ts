import os from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import type pg from 'pg';
import { app as apiPlugin } from '../api/app';
import { ListCursors } from '../api/list-cursor';
import { serverOptions } from '../api/server-options';
import { derivationSecretOf, parseConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { named } from '../db/repositories/list-sql';
import { ensureDatabase } from '../scripts/lib/postgres';
import { scratchPostgres } from './scratch-postgres';
import { LIMIT, scenarios, TOWNSHIP } from './window-lists/scenarios';
import { seedWindow } from './window-lists/seed';

// API.md "Applications", "Cases in benefit": the window's lists and the person look-up at a
// province's size (default 1,000,000 cases, a third as many applications), over HTTP against the
// real API plugin, each request's SQL timed bare in the same run and EXPLAINed. The target: p99
// under 100 ms for every page, whatever the filters, the region and the depth of the cursor.
// Usage: npm run bench:window -- [1000000] [--requests=200] [--explain=off]

const ROOT = join(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const sizes = argv.filter((a) => /^\d[\d_]*$/.test(a)).map((a) => Number(a.replaceAll('_', '')));
const N = sizes[0] ?? 1_000_000;
const REQUESTS = Number(flag('requests') ?? 200);
const EXPLAIN = flag('explain') !== 'off';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
async function timeIt(count: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(5, count); i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 50), p99: pct(ms, 99), max: Math.max(...ms) };
}

async function explain(pool: pg.Pool, title: string, q: { text: string; values: unknown[] }) {
  if (!EXPLAIN) return;
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
  console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS): ${title}`);
  for (const r of rows) console.log(r['QUERY PLAN']);
}

async function main() {
  const { cluster, stop } = await scratchPostgres(ROOT, 'bench-window');
  const rows: string[] = [];
  try {
    await ensureDatabase(cluster.url('postgres'), 'bench_window');
    await migrate(cluster.url('bench_window'), 'up', true);
    const pool = createPool(cluster.url('bench_window'), 10);
    const t0 = performance.now();
    const seeded = await seedWindow(pool, N);
    console.log(
      `[bench] ${seeded.cases.toLocaleString('en')} cases, ${seeded.applications.toLocaleString('en')} applications, ` +
        `${seeded.names.toLocaleString('en')} names seeded and analysed in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    const config = parseConfig({
      NODE_ENV: 'test',
      DATABASE_URL: cluster.url('bench_window'),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000000',
    });
    // The routes measured never call Temporal: a lazy connection that is never opened.
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const api = Fastify(serverOptions(config, { enabled: false }));
    await api.register(apiPlugin, { config, pool, temporal });
    const base = await api.listen({ host: '127.0.0.1', port: 0 });
    const cursors = new ListCursors(derivationSecretOf(config));
    try {
      for (const s of await scenarios(pool, cursors)) {
        const auth = {
          authorization: `Bearer ${api.jwt.sign({ sub: 'bench', role: s.role, region: s.region } as never)}`,
        };
        const call = async () => {
          const res = await fetch(`${base}${s.path}`, {
            method: s.method ?? 'GET',
            headers: { ...auth, ...(s.body ? { 'content-type': 'application/json' } : {}) },
            ...(s.body ? { body: JSON.stringify(s.body) } : {}),
          });
          if (res.status !== 200) throw new Error(`${s.path}: ${res.status} ${await res.text()}`);
          return res.json();
        };
        if (s.sql) await explain(pool, `${s.who}: ${s.what}`, s.sql);
        const route = await timeIt(REQUESTS, call);
        const sql = s.sql ? await timeIt(REQUESTS, () => pool.query(named('bench', s.sql!))) : undefined;
        const line = `| ${s.who} | ${s.what} | ${route.p50.toFixed(2)} | ${route.p99.toFixed(2)} | ${sql ? sql.p50.toFixed(2) : ''} | ${sql ? sql.p99.toFixed(2) : ''} |`;
        rows.push(line);
        console.log(`[bench] ${line}`);
      }
      const roster = await timeIt(5, async () => {
        const auth = {
          authorization: `Bearer ${api.jwt.sign({ sub: 'bench', role: 'township_staff', region: TOWNSHIP } as never)}`,
        };
        const res = await fetch(`${base}/v1/cases?format=csv`, { headers: auth });
        if (res.status !== 200) throw new Error(`roster: ${res.status}`);
        return res.text();
      });
      rows.push(
        `| township ${TOWNSHIP} | roster CSV (whole township) | ${roster.p50.toFixed(2)} | ${roster.max.toFixed(2)} (max of 5) | | |`,
      );
    } finally {
      await api.close();
      await pool.end();
    }
    const cpu = os.cpus();
    console.log(
      `\nwindow lists ${new Date().toISOString()}; N=${N.toLocaleString('en')} cases; ${REQUESTS} requests each, c=1, limit ${LIMIT}`,
    );
    console.log(
      `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      '| caller | request | route p50 ms | route p99 ms | SQL p50 ms | SQL p99 ms |\n|---|---|--:|--:|--:|--:|',
    );
    for (const r of rows) console.log(r);
  } finally {
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
