import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../workflows/contracts/search-attributes';
import { waitFor } from './procs';
import type { Supervised, Supervisor } from './supervisor';
import { TEMPORAL_BIN, TOOLS_DIR } from './temporal';

// The real Temporal server (built by `scripts/install.sh temporal-server`) on the project's
// Postgres: schemas with temporal-sql-tool, then frontend, history, matching and worker as four
// processes from deploy/temporal/temporal.yaml.tmpl (the file docker-compose.yml runs too), then the
// namespace and the project's search attributes.

const run = promisify(execFile);
const SERVER_DIR = join(TOOLS_DIR, 'temporal-server');
const CONFIG_ROOT = join(import.meta.dirname, '..', '..', 'deploy', 'temporal');
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
type Service = (typeof TEMPORAL_SERVICES)[number];

export interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
  /** The frontend's HTTP API. */
  http?: number;
}

export function temporalServerVersion(): string {
  const bin = join(SERVER_DIR, 'bin', 'temporal-server');
  if (!existsSync(bin)) throw new Error('Temporal server missing: run scripts/install.sh temporal-server');
  return readFileSync(join(SERVER_DIR, '.version'), 'utf8').trim();
}

/** create, setup-schema -v 0.0, update-schema: idempotent, as docker-compose.yml's schema job. */
export async function setupTemporalSchemas(pg: { host: string; port: number; user: string }): Promise<void> {
  const tool = join(SERVER_DIR, 'bin', 'temporal-sql-tool');
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user];
  for (const [db, dir] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const versioned = join(SERVER_DIR, 'schema', 'postgresql', 'v12', dir, 'versioned');
    for (const args of [['create'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', versioned]]) {
      await run(tool, [...base, '--db', db, ...args]).catch((err: Error & { stderr?: string }) => {
        throw new Error(`temporal-sql-tool --db ${db} ${args[0]}: ${err.stderr ?? err.message}`);
      });
    }
  }
}

/**
 * How the server is told its config file: `--config-file` (1.30 and later, as docker-compose.yml
 * runs it), or for an older build the same file copied as `<dir>/cluster.yaml` (`--config --env`).
 */
function configArgs(bin: string, logDir: string): string[] {
  const help = execFileSync(bin, ['--help']).toString();
  if (help.includes('--config-file')) return ['--config-file', 'temporal.yaml.tmpl'];
  const dir = join(logDir, '..', 'temporal-config');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(CONFIG_ROOT, 'temporal.yaml.tmpl'), join(dir, 'cluster.yaml'));
  return ['--root', '/', '--config', dir, '--env', 'cluster'];
}

/** The four services, one process each, restarted by the supervisor when they die. */
export function startTemporalServices(
  sup: Supervisor,
  opts: {
    pg: { host: string; port: number; user: string; password?: string };
    shards: number;
    ports: Record<Service, ServicePorts>;
    logDir: string;
    restartDelayMs: number;
  },
): Record<Service, Supervised> {
  const p = opts.ports;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: process.env.TEMPORAL_LOG_LEVEL ?? 'warn',
    NUM_HISTORY_SHARDS: String(opts.shards),
    POSTGRES_SEEDS: opts.pg.host,
    DB_PORT: String(opts.pg.port),
    POSTGRES_USER: opts.pg.user,
    POSTGRES_PWD: opts.pg.password ?? '',
    // Four processes with their own pools share the one Postgres (max_connections 200).
    SQL_MAX_CONNS: '10',
    SQL_VIS_MAX_CONNS: '5',
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(p.frontend.grpc),
    FRONTEND_HTTP_PORT: String(p.frontend.http),
    FRONTEND_MEMBERSHIP_PORT: String(p.frontend.membership),
    HISTORY_GRPC_PORT: String(p.history.grpc),
    HISTORY_MEMBERSHIP_PORT: String(p.history.membership),
    MATCHING_GRPC_PORT: String(p.matching.grpc),
    MATCHING_MEMBERSHIP_PORT: String(p.matching.membership),
    WORKER_GRPC_PORT: String(p.worker.grpc),
    WORKER_MEMBERSHIP_PORT: String(p.worker.membership),
  };
  const bin = join(SERVER_DIR, 'bin', 'temporal-server');
  const config = configArgs(bin, opts.logDir);
  const out = {} as Record<Service, Supervised>;
  for (const service of TEMPORAL_SERVICES) {
    out[service] = sup.start({
      name: `temporal-${service}`,
      cmd: bin,
      args: [...config, '--allow-no-auth', 'start', '--service', service],
      // The dynamic config path in temporal.yaml.tmpl is relative to the working directory.
      opts: {
        cwd: CONFIG_ROOT,
        env: { ...env, TEMPORAL_METRICS_PORT: String(p[service].metrics) },
        logFile: join(opts.logDir, `temporal-${service}.log`),
      },
      restartDelayMs: opts.restartDelayMs,
      info: { grpcPort: p[service].grpc, metricsUrl: `http://127.0.0.1:${p[service].metrics}/metrics` },
    });
  }
  return out;
}

/** Waits for the frontend, then creates the namespace and the search attributes (idempotent). */
export async function prepareNamespace(address: string, namespace: string, retention: string): Promise<void> {
  await waitFor(
    `Temporal frontend on ${address}`,
    async () => {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.getSystemInfo({});
        return true;
      } finally {
        await conn.close();
      }
    },
    { timeoutMs: 180_000, intervalMs: 1000 },
  );
  const cli = (...args: string[]) => run(TEMPORAL_BIN, ['operator', ...args, '--address', address]);
  const has = await cli('namespace', 'describe', '--namespace', namespace).then(
    () => true,
    () => false,
  );
  if (!has) {
    await waitFor(
      'namespace create',
      async () => {
        await cli('namespace', 'create', '--namespace', namespace, '--retention', retention);
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 2000 },
    );
  }
  const cliType: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', BOOL: 'Bool' };
  // A new namespace reaches every service's cache within seconds: retry until all are listed.
  await waitFor(
    'search attributes',
    async () => {
      const { stdout } = await cli('search-attribute', 'list', '--namespace', namespace, '-o', 'json');
      const listed = JSON.stringify(JSON.parse(stdout));
      const missing = CUSTOM_SEARCH_ATTRIBUTES.filter((k) => !listed.includes(`"${k.name}"`));
      if (missing.length === 0) return true;
      await cli(
        'search-attribute',
        'create',
        '--namespace',
        namespace,
        ...missing.flatMap((k) => ['--name', k.name, '--type', cliType[k.type] ?? k.type]),
      ).catch(() => {});
      return false;
    },
    { timeoutMs: 120_000, intervalMs: 2000 },
  );
}
