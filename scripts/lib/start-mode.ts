import { join } from 'node:path';
import { parseConfig } from '../../config/env';
import { migrate } from '../../db/migrate';
import { APP_LOGIN, appLogin, ensureDatabase, startPostgres } from './postgres';
import { portIsOpen, startProc, waitFor } from './procs';
import { startDevServer } from './temporal';

// `scripts/stack.ts start` (README "Start"): Postgres, the Temporal dev server, the migrations, then
// the worker and the API as their own processes under the app's login (R-O7 least privilege);
// prints the URLs once /ready answers and runs until a signal or a child's exit.

export async function startMode(
  ROOT: string,
  hooks: { stops: (() => Promise<void>)[]; stopAll(): Promise<void>; onSignals(): void },
) {
  const { stops, stopAll } = hooks;
  const config = parseConfig();
  const data = join(ROOT, '.data');
  const pgPort = Number(new URL(config.DATABASE_URL).port || 5432);
  const [, temporalPort] = config.TEMPORAL_ADDRESS.split(':');
  const uiPort = Number(new URL(config.TEMPORAL_UI_URL).port);
  for (const [what, port] of [
    ['PostgreSQL', pgPort],
    ['Temporal', Number(temporalPort)],
    ['Temporal UI', uiPort],
    ['API', config.HTTP_PORT],
  ] as const) {
    if (await portIsOpen(port)) {
      throw new Error(
        `${what} port ${port} is already in use (another start running?); stop it or change the port`,
      );
    }
  }
  hooks.onSignals();
  const t0 = Date.now();
  const pg = await startPostgres({
    dataDir: join(data, 'postgres'),
    port: pgPort,
    logFile: join(data, 'logs', 'postgres.log'),
  });
  stops.push(pg.stop);
  const dbName = new URL(config.DATABASE_URL).pathname.slice(1);
  await ensureDatabase(pg.url('postgres'), dbName);
  const base = `http://${config.HTTP_HOST}:${config.HTTP_PORT}`;
  const temporal = await startDevServer({
    port: Number(temporalPort),
    uiPort,
    // R-O7: histories are encrypted; the UI decodes through the API's codec server (supervisor, admin).
    codecEndpoint: `${base}/codec`,
    dbFile: join(data, 'temporal', 'dev.sqlite'),
    logFile: join(data, 'logs', 'temporal.log'),
  });
  stops.push(temporal.stop);
  await migrate(config.DATABASE_URL);
  // R-O7 least privilege: the migrations ran as the owner; the worker and the API connect as the
  // app's login, which owns nothing and cannot change the audit.
  const appEnv = { ...process.env, DATABASE_URL: await appLogin(config.DATABASE_URL) };

  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const worker = startProc('worker', tsx, [join(ROOT, 'worker', 'main.ts')], { env: appEnv });
  stops.push(() => worker.stop('SIGTERM', 40_000));
  const api = startProc('api', tsx, [join(ROOT, 'api', 'server.ts')], { env: appEnv });
  stops.push(() => api.stop('SIGTERM', 15_000));
  await waitFor('API /ready', async () => (await fetch(`${base}/ready`)).status === 200, {
    timeoutMs: 120_000,
    proc: api,
  });

  console.log(`
[stack] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s
  API          ${base}
  OpenAPI UI   ${base}/docs      (document: ${base}/docs/json)
  Temporal UI  ${temporal.uiUrl}   (payloads decoded by ${base}/codec for supervisors and admins)
  Postgres     ${config.DATABASE_URL} (the worker and the API as ${APP_LOGIN}, R-O7)
  A token:     npm run token -- township_staff <region code>
Ctrl-C stops everything.`);
  const first = await Promise.race([
    worker.exited.then((c) => `worker exited (${c})`),
    api.exited.then((c) => `api exited (${c})`),
  ]);
  console.error(`[stack] ${first}; stopping`);
  await stopAll();
  process.exit(1);
}
