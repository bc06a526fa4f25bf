import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import Fastify, { type FastifyInstance } from 'fastify';
import { createActivities } from '../activities';
import { app as apiPlugin } from '../api/app';
import { dataConverter } from '../codec/payload-codec';
import { idKeysOf, parseConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { addDays, civilDateOf } from '../domain/dates';
import { makeIdNumber } from '../domain/idnumber';
import { ensureDatabase, startPostgres } from '../scripts/lib/postgres';
import { freePort } from '../scripts/lib/procs';
import { startDevServer } from '../scripts/lib/temporal';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../test/helpers/fixtures';
import { workflowBundleOptions } from '../worker/bundle';
import { fmtMs, pct, ratio } from './staff-step/measure';

// R-O7: what the payload codec costs a staff step. One run, one Postgres and one dev server; two
// task queues, each with its worker and an API instance (Fastify inject) — one with the codec, one
// without — and `POST /v1/applications/{id}/investigation` timed on both, alternating, at c=1.

const STEPS = Number(process.env.BENCH_CODEC_STEPS ?? 150);
const today = () => civilDateOf(new Date());
type Mode = 'plain' | 'codec';
let seq = 0;

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = join(import.meta.dirname, '..', '.test-data', `bench-codec-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const pg = await startPostgres({
      dataDir: join(dir, 'pg'),
      port: await freePort(),
      logFile: join(dir, 'pg.log'),
    });
    stops.push(pg.stop);
    await ensureDatabase(pg.url('postgres'), 'dibao');
    await migrate(pg.url('dibao'), 'up', true);
    const temporal = await startDevServer({ port: await freePort(), logFile: join(dir, 'temporal.log') });
    stops.push(temporal.stop);
    const pool = createPool(pg.url('dibao'), 10, () => {});
    stops.push(() => pool.end());
    const bundle = await bundleWorkflowCode({
      ...workflowBundleOptions(),
      logger: new DefaultLogger('WARN'),
    });
    const native = await NativeConnection.connect({ address: temporal.address });
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(
      () => connection.close(),
      () => native.close(),
    );

    const apis = {} as Record<Mode, FastifyInstance>;
    for (const mode of ['plain', 'codec'] as const) {
      const config = parseConfig({
        NODE_ENV: 'test',
        DATABASE_URL: pg.url('dibao'),
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: `bench-${mode}`,
        LOG_LEVEL: 'warn',
      });
      const converter = mode === 'codec' ? { dataConverter: dataConverter(config) } : {};
      const worker = await Worker.create({
        connection: native,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowBundle: bundle,
        activities: createActivities({ pool, idKeys: idKeysOf(config), paymentFilesDir: join(dir, 'files') }),
        ...converter,
      });
      const running = worker.run();
      stops.push(async () => {
        worker.shutdown();
        await running;
      });
      const api = Fastify({ logger: false });
      await api.register(apiPlugin, { config, pool, temporal: new Client({ connection, ...converter }) });
      await api.ready();
      stops.push(() => api.close());
      apis[mode] = api;
    }
    const token = (role: string, region: string) => ({
      authorization: `Bearer ${apis.plain.jwt.sign({ sub: `${role}-bench`, role, region } as never)}`,
    });
    await apis.plain.inject({
      method: 'PUT',
      url: '/v1/admin/standards',
      headers: token('admin', '14'),
      payload: {
        countyCode: COUNTY,
        effectiveFrom: '2020-01-01',
        standardUrban: '800.00',
        standardRural: '650.00',
      },
    });

    const township = token('township_staff', TOWNSHIP);
    const accepted = addDays(today(), -20);
    const receive = async (mode: Mode) => {
      const hh = household();
      // Unique ID numbers in the run (R-A1 refuses a person enrolled twice; fixtures' repeat).
      for (const m of hh.members) {
        const k = seq++;
        const born = addDays(m.relation === 'applicant' ? '1955-01-01' : '1990-01-01', Math.floor(k / 1000));
        m.idNumber = makeIdNumber(COUNTY, born, k % 1000);
      }
      const res = await apis[mode].inject({
        method: 'POST',
        url: '/v1/applications',
        headers: township,
        payload: {
          category: 'dibao',
          villageCode: VILLAGE,
          acceptedOn: accepted,
          delegated: false,
          closeRelative: false,
          household: hh,
        },
      });
      if (res.statusCode !== 201) throw new Error(`receipt ${res.statusCode}: ${res.body}`);
      return { id: res.json().applicationId as string, hh };
    };
    const investigate = async (mode: Mode, app: { id: string; hh: unknown }) => {
      const t = performance.now();
      const res = await apis[mode].inject({
        method: 'POST',
        url: `/v1/applications/${app.id}/investigation`,
        headers: { ...township, 'idempotency-key': `inv-${app.id}` },
        payload: { household: app.hh, findings: 'visited', visitedOn: addDays(accepted, 1) },
      });
      if (res.statusCode !== 200) throw new Error(`investigation ${res.statusCode}: ${res.body}`);
      return performance.now() - t;
    };

    console.log(`[bench] receiving ${STEPS + 10} applications per mode`);
    const apps = { plain: [] as { id: string; hh: unknown }[], codec: [] as { id: string; hh: unknown }[] };
    for (let i = 0; i < STEPS + 10; i++)
      for (const mode of ['plain', 'codec'] as const) apps[mode].push(await receive(mode));
    await new Promise((r) => setTimeout(r, 3000)); // let the receipts' activities drain
    const ms = { plain: [] as number[], codec: [] as number[] };
    for (let i = 0; i < STEPS + 10; i++) {
      // Alternating (and swapping who goes first) so noise from elsewhere hits both alike.
      const order: Mode[] = i % 2 ? ['plain', 'codec'] : ['codec', 'plain'];
      for (const mode of order) {
        const t = await investigate(mode, apps[mode][i]!);
        if (i >= 10) ms[mode].push(t); // the first 10 of each warm up
      }
    }
    const row = (mode: Mode) => [mode, ms[mode].length, fmtMs(pct(ms[mode], 50)), fmtMs(pct(ms[mode], 99))];
    console.log(`\nstaff step POST …/investigation through the API (inject), c=1, n=${STEPS} each`);
    console.log('| mode | n | p50 | p99 |\n|---|--:|--:|--:|');
    for (const mode of ['plain', 'codec'] as const) console.log(`| ${row(mode).join(' | ')} |`);
    const p = (q: number) => `${ratio(pct(ms.codec, q), pct(ms.plain, q))}`;
    console.log(`codec ÷ plain: p50 ${p(50)}, p99 ${p(99)}`);
    // The codec alone: seal and open an application's workflow input (the largest payload of a step).
    const codec = dataConverter(parseConfig({ NODE_ENV: 'test' })).payloadCodecs![0]!;
    const input = defaultPayloadConverter.toPayload({ household: household(), filler: 'x'.repeat(1000) });
    const one: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await codec.decode(await codec.encode([input]));
      one.push(performance.now() - t);
    }
    const us = (q: number) => `${(pct(one, q) * 1000).toFixed(0)} µs`;
    console.log(
      `codec alone, encode + decode of one ${input.data!.length}-byte payload: p50 ${us(50)}, p99 ${us(99)}`,
    );
    // What the server stores for one application of each mode (read without any codec).
    const raw = new Client({ connection });
    for (const mode of ['plain', 'codec'] as const) {
      const h = await raw.workflow.getHandle(`application:${apps[mode][0]!.id}`).fetchHistory();
      const input = h.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      const meta = Object.entries(input?.metadata ?? {}).map(([k, v]) => `${k}=${Buffer.from(v).toString()}`);
      const data = Buffer.from(input?.data ?? []);
      const shown = mode === 'codec' ? data.toString('base64') : data.toString('utf8');
      console.log(
        `\n${mode}: workflow input as stored (${data.length} bytes; ${meta.join(', ')}):\n  ${shown.slice(0, 240)}…`,
      );
    }
  } finally {
    for (const s of stops.reverse()) await s().catch((e: Error) => console.error(e.message));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
