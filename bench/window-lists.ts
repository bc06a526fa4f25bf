import os from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import type pg from 'pg';
import { app as apiPlugin } from '../api/app';
import { ListCursors, type ListKey } from '../api/list-cursor';
import { serverOptions } from '../api/server-options';
import { derivationSecretOf, parseConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { applicationNameSql, applicationPageSql } from '../db/repositories/application-list';
import { caseNameSql, casePageSql } from '../db/repositories/case-list';
import { listScope, named } from '../db/repositories/list-sql';
import { makeIdNumber } from '../domain/idnumber';
import { ensureDatabase } from '../scripts/lib/postgres';
import { scratchPostgres } from './scratch-postgres';
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
const LIMIT = 50;
const COUNTY = '140801';
const TOWNSHIP = '140801001';
const VILLAGE = '140801001001';

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

interface Scenario {
  who: string;
  region: string;
  role: string;
  what: string;
  path: string;
  sql?: { text: string; values: unknown[] };
  method?: 'POST';
  body?: unknown;
}

async function middle(pool: pg.Pool, sql: string, values: unknown[]) {
  const { rows } = await pool.query(sql, values);
  return rows[0];
}

async function scenarios(pool: pg.Pool, cursors: ListCursors): Promise<Scenario[]> {
  const county = listScope(COUNTY);
  const province = listScope('14');
  const bound = (region: string, extra: Record<string, unknown> = {}) => ({
    region,
    village: undefined,
    township: undefined,
    status: undefined,
    category: undefined,
    q: undefined,
    ...extra,
  });
  const seal = (list: string, b: Record<string, unknown>, key: ListKey) => cursors.seal(list, b, key);
  const countyCount = (
    await pool.query('SELECT count(*)::int AS n FROM cases WHERE county_code = $1', [COUNTY])
  ).rows[0].n;
  const mid = await middle(
    pool,
    'SELECT village_code, case_id FROM cases WHERE county_code = $1 ORDER BY village_code, case_id OFFSET $2 LIMIT 1',
    [COUNTY, Math.floor(countyCount / 2)],
  );
  const midKey = { village: mid.village_code, id: mid.case_id };
  const wangCount = (
    await pool.query(
      `SELECT count(*)::int AS n FROM person_names WHERE holder_kind = 'case' AND county_code = $1 AND name LIKE '王%'`,
      [COUNTY],
    )
  ).rows[0].n;
  const wang = await middle(
    pool,
    `SELECT name, holder_id FROM person_names WHERE holder_kind = 'case' AND county_code = $1 AND name >= '王' AND name < '王\u{10FFFF}'
     ORDER BY name, holder_id OFFSET $2 LIMIT 1`,
    [COUNTY, Math.floor(wangCount / 2)],
  );
  const wangKey = { name: wang.name, id: wang.holder_id };
  // The seed's ID numbers are shaped only; the look-up's body is validated: one person gets a real one.
  const person = makeIdNumber('140801', '1960-01-01', 123);
  const old = (
    await pool.query(`SELECT members->0->>'idNumber' AS id FROM cases WHERE case_id = $1`, [mid.case_id])
  ).rows[0].id as string;
  await pool.query(
    `UPDATE cases SET members = jsonb_set(members, '{0,idNumber}', to_jsonb($2::text)) WHERE case_id = $1`,
    [mid.case_id, person],
  );
  await pool.query('UPDATE person_enrolments SET id_number = $2 WHERE id_number = $1', [old, person]);
  const c = (who: string, region: string, role: string) => ({ who, region, role });
  const cc = c(`county ${COUNTY}`, COUNTY, 'county_staff');
  const pr = c('province 14', '14', 'supervisor');
  const tw = c(`township ${TOWNSHIP}`, TOWNSHIP, 'township_staff');
  return [
    {
      ...cc,
      what: 'cases, first page',
      path: `/v1/cases?limit=${LIMIT}`,
      sql: casePageSql(county, {}, LIMIT + 1),
    },
    {
      ...cc,
      what: `cases, cursor page in the middle (${countyCount.toLocaleString('en')} cases)`,
      path: `/v1/cases?limit=${LIMIT}&cursor=${seal('cases', bound(COUNTY), midKey)}`,
      sql: casePageSql(county, {}, LIMIT + 1, midKey),
    },
    {
      ...cc,
      what: 'cases, status=suspended',
      path: `/v1/cases?limit=${LIMIT}&status=suspended`,
      sql: casePageSql(county, { status: 'suspended' }, LIMIT + 1),
    },
    {
      ...cc,
      what: 'cases, status=tapering & category=expenditure_type (rare)',
      path: `/v1/cases?limit=${LIMIT}&status=tapering&category=expenditure_type`,
      sql: casePageSql(county, { status: 'tapering', category: 'expenditure_type' }, LIMIT + 1),
    },
    {
      ...cc,
      what: 'cases, village',
      path: `/v1/cases?limit=${LIMIT}&village=${VILLAGE}`,
      sql: casePageSql(listScope(VILLAGE), {}, LIMIT + 1),
    },
    {
      ...cc,
      what: 'cases, q=王 (7 % of names)',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}`,
      sql: caseNameSql(county, {}, '王', LIMIT + 1),
    },
    {
      ...cc,
      what: `cases, q=王, cursor page in the middle (${wangCount.toLocaleString('en')} names)`,
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}&cursor=${seal('cases', bound(COUNTY, { q: '王' }), wangKey)}`,
      sql: caseNameSql(county, {}, '王', LIMIT + 1, wangKey),
    },
    {
      ...cc,
      what: 'cases, q=王 & status=closed',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}&status=closed`,
      sql: caseNameSql(county, { status: 'closed' }, '王', LIMIT + 1),
    },
    {
      ...cc,
      what: 'cases, q=上官 (rare)',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('上官')}`,
      sql: caseNameSql(county, {}, '上官', LIMIT + 1),
    },
    {
      ...cc,
      what: 'applications, first page',
      path: `/v1/applications?limit=${LIMIT}`,
      sql: applicationPageSql(county, {}, LIMIT + 1),
    },
    {
      ...cc,
      what: 'applications, stage=open & overdue=true',
      path: `/v1/applications?limit=${LIMIT}&stage=open&overdue=true`,
      sql: applicationPageSql(county, { stage: 'open', overdue: true }, LIMIT + 1),
    },
    {
      ...cc,
      what: 'applications, q=李',
      path: `/v1/applications?limit=${LIMIT}&q=${encodeURIComponent('李')}`,
      sql: applicationNameSql(county, {}, '李', LIMIT + 1),
    },
    {
      ...cc,
      what: 'POST /v1/people/lookup (audited)',
      path: '/v1/people/lookup',
      method: 'POST',
      body: { idNumber: person },
    },
    {
      ...tw,
      what: 'cases, first page',
      path: `/v1/cases?limit=${LIMIT}`,
      sql: casePageSql(listScope(TOWNSHIP), {}, LIMIT + 1),
    },
    {
      ...tw,
      what: 'cases, q=王',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}`,
      sql: caseNameSql(listScope(TOWNSHIP), {}, '王', LIMIT + 1),
    },
    {
      ...pr,
      what: 'cases, first page',
      path: `/v1/cases?limit=${LIMIT}`,
      sql: casePageSql(province, {}, LIMIT + 1),
    },
    {
      ...pr,
      what: 'cases, status=suspended & category=extreme_poverty',
      path: `/v1/cases?limit=${LIMIT}&status=suspended&category=extreme_poverty`,
      sql: casePageSql(province, { status: 'suspended', category: 'extreme_poverty' }, LIMIT + 1),
    },
    {
      ...pr,
      what: 'cases, q=王',
      path: `/v1/cases?limit=${LIMIT}&q=${encodeURIComponent('王')}`,
      sql: caseNameSql(province, {}, '王', LIMIT + 1),
    },
    {
      ...pr,
      what: 'applications, stage=open',
      path: `/v1/applications?limit=${LIMIT}&stage=open`,
      sql: applicationPageSql(province, { stage: 'open' }, LIMIT + 1),
    },
  ];
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
