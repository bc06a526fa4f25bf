import { join } from 'node:path';
import { migrate } from '../../db/migrate';
import { DEFAULT_PORTS, startCluster } from './cluster';
import { appLogin, ensureDatabase, startPostgres } from './postgres';
import { portIsOpen } from './procs';

// The production topology on this machine (`scripts/stack.ts cluster`, README "Production
// topology"): a Postgres cluster of its own, Temporal's four services, two workers, two APIs on the
// fixed ports of DEFAULT_PORTS; prints the URLs and runs until a signal.

/** `scripts/stack.ts cluster`: `stops` collects what Ctrl-C stops; `onSignals` installs the handler. */
export async function clusterMode(
  ROOT: string,
  hooks: { stops: (() => Promise<void>)[]; onSignals(): void },
) {
  const { stops } = hooks;
  const dir = join(ROOT, '.data', 'cluster');
  const pgPort = Number(process.env.CLUSTER_PG_PORT ?? 55433);
  for (const port of [
    pgPort,
    DEFAULT_PORTS.temporal.frontend.grpc,
    ...DEFAULT_PORTS.apis.map((a) => a.http),
  ]) {
    if (await portIsOpen(port))
      throw new Error(`port ${port} is already in use (scripts/start.sh or another cluster running?)`);
  }
  hooks.onSignals();
  const t0 = Date.now();
  const pg = await startPostgres({
    dataDir: join(dir, 'postgres'),
    port: pgPort,
    logFile: join(dir, 'logs', 'postgres.log'),
  });
  stops.push(pg.stop);
  await ensureDatabase(pg.url('postgres'), 'dibao');
  await migrate(pg.url('dibao'));
  const c = await startCluster({
    dir,
    pg: { host: '127.0.0.1', port: pgPort, user: 'postgres' },
    databaseUrl: pg.url('dibao'),
    appDatabaseUrl: await appLogin(pg.url('dibao')),
    ports: DEFAULT_PORTS,
    shards: Number(process.env.CLUSTER_HISTORY_SHARDS ?? 16),
    restartDelayMs: { temporal: 2000, app: 2000 },
    onStop: (fn) => stops.push(fn),
  });
  const t = DEFAULT_PORTS.temporal;
  console.log(`
[stack] cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (Temporal server ${c.temporalVersion})
  API            ${c.apis.join('  ')}   (OpenAPI UI: ${c.apis[0]}/docs)
  API metrics    ${c.apiMetrics.join('  ')}
  Worker metrics ${c.workerMetrics.join('  ')}
  Temporal       frontend ${c.temporalAddress} (HTTP :${t.frontend.http}), history :${t.history.grpc}, matching :${t.matching.grpc}, worker :${t.worker.grpc}
  Temporal metrics  http://127.0.0.1:{${t.frontend.metrics},${t.history.metrics},${t.matching.metrics},${t.worker.metrics}}/metrics
  Postgres       ${pg.url('dibao')} (and temporal, temporal_visibility)
  Processes      ${c.stateFile} (pids; a process that dies is started again)
  A token:       set -a; . .data/cluster/secrets.env; set +a; npm run -s token -- admin 14
Ctrl-C stops everything.`);
  await new Promise(() => {}); // until a signal
}
