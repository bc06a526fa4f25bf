import { rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import { app as apiPlugin } from '../api/app';
import { serverOptions } from '../api/server-options';
import { parseConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { ensureDatabase, startPostgres } from '../scripts/lib/postgres';
import { freePort } from '../scripts/lib/procs';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../test/helpers/fixtures';
import { seedCase } from '../test/helpers/seed';

// R-O7: what auditing every read of a person's record (api/plugins/read-audit.ts: one audit_events
// row per 200 answer, before the answer leaves) costs a GET. Two reads over HTTP against the real
// API plugin — a case's payments and a register household, both from the read model — with the
// audit as shipped and, as the baseline in the same run, with the audit's insert replaced by a
// no-op on the same app (bench only: the product has no switch). Blocks of requests alternate
// between the two so that the machine's load falls on both alike.
// Usage: npm run bench:read-audit -- [--requests=2000] [--block=100] [--fsync=off]

const ROOT = join(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const REQUESTS = Number(flag('requests') ?? 2000);
const BLOCK = Number(flag('block') ?? 100);
const FSYNC = flag('fsync') !== 'off';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main() {
  const dir = join(ROOT, '.test-data', `bench-read-audit-${process.pid}`);
  const cluster = await startPostgres({
    dataDir: join(dir, 'postgres'),
    port: await freePort(),
    logFile: join(dir, 'postgres.log'),
    settings: FSYNC ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'],
  });
  const url = cluster.url('bench');
  const pool = createPool(url, 10);
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
  });
  // The routes measured never call Temporal: a lazy connection that is never opened.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const api = Fastify(serverOptions(config, { enabled: false }));
  try {
    await ensureDatabase(cluster.url('postgres'), 'bench');
    await migrate(url, 'up', true);
    const caseId = `A${COUNTY}20260105BE0C0A0D0E01`;
    await seedCase(pool, { caseId, villageCode: VILLAGE, months: ['2026-01', '2026-02', '2026-03'] });
    const key = `H-dev1-${'cd'.repeat(16)}`;
    const members = household().members.map(({ idNumber, name, relation }) => ({ idNumber, name, relation }));
    await api.register(apiPlugin, { config, pool, temporal });
    await api.repos.register.save(
      {
        householdKey: key,
        countyCode: COUNTY,
        villageCode: VILLAGE,
        registeredOn: '2026-01-05',
        groups: ['marginal'],
        countyGroups: [],
        sources: [],
        members,
        tasks: [],
        visits: [],
        referrals: [],
        seen: [],
        revision: 1,
        historySeq: 0,
      },
      [],
    );
    const base = await api.listen({ host: '127.0.0.1', port: 0 });
    const auth = {
      authorization: `Bearer ${api.jwt.sign({ sub: 'bench-clerk', role: 'township_staff', region: TOWNSHIP } as never)}`,
    };
    const shipped = api.repos.audit.recordRead;
    const noAudit = async () => {};
    const rows: string[] = [];
    for (const path of [`/v1/cases/${caseId}/payments`, `/v1/register/households/${key}`]) {
      const get = async () => {
        const res = await fetch(`${base}${path}`, { headers: auth });
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        await res.arrayBuffer();
      };
      for (let i = 0; i < 50; i++) await get(); // warm-up: plans, buffers, keep-alive
      const times = { audited: [] as number[], baseline: [] as number[] };
      for (let done = 0; done < REQUESTS; done += BLOCK) {
        for (const mode of ['audited', 'baseline'] as const) {
          api.repos.audit.recordRead = mode === 'audited' ? shipped : noAudit;
          for (let i = 0; i < BLOCK; i++) {
            const t0 = performance.now();
            await get();
            times[mode].push(performance.now() - t0);
          }
        }
      }
      api.repos.audit.recordRead = shipped;
      const [a, b] = [times.audited, times.baseline];
      rows.push(
        `| ${path.replace(caseId, '{id}').replace(key, '{id}')} | ${pct(b, 50).toFixed(2)} | ${pct(b, 99).toFixed(2)} | ${pct(a, 50).toFixed(2)} | ${pct(a, 99).toFixed(2)} | ×${(pct(a, 99) / pct(b, 99)).toFixed(2)} |`,
      );
    }
    const audited = (await pool.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'read'`))
      .rows[0].n;
    const cpu = os.cpus();
    console.log(
      `\nread audit ${new Date().toISOString()}; ${REQUESTS} requests per mode in blocks of ${BLOCK}, c=1; fsync ${FSYNC ? 'on' : 'off'}; ${audited} read events written`,
    );
    console.log(
      `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
    console.log('| GET | before p50 ms | before p99 ms | audited p50 ms | audited p99 ms | p99 ratio |');
    console.log('|---|--:|--:|--:|--:|--:|');
    for (const r of rows) console.log(r);
  } finally {
    await api.close();
    await pool.end();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
