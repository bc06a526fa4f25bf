import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Proc, startProc, waitFor } from './procs';

// A private PostgreSQL cluster under the project's data folder, on a port of its own. initdb and
// postgres refuse to run as root, so as root they run as the Debian `postgres` user via setpriv.

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(a) - Number(b)) : [];
  const v = versions.at(-1);
  if (!v) throw new Error('PostgreSQL server not installed: run scripts/install.sh postgres');
  return join(base, v, 'bin');
}

function asPgUser(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [cmd, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]];
}

function pgUserIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export interface PgCluster {
  port: number;
  proc: Proc;
  url(database: string): string;
  stop(): Promise<void>;
}

export async function startPostgres(opts: {
  dataDir: string;
  port: number;
  logFile?: string;
  /** Extra `-c name=value` settings (tests turn off fsync). */
  settings?: string[];
}): Promise<PgCluster> {
  const bin = binDir();
  const root = process.getuid?.() === 0;
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) {
    console.log(`[postgres] initdb ${opts.dataDir}`);
    mkdirSync(opts.dataDir, { recursive: true });
    if (root) {
      const { uid, gid } = pgUserIds();
      chownSync(opts.dataDir, uid, gid);
    }
    chmodSync(opts.dataDir, 0o700);
    const [cmd, args] = asPgUser(join(bin, 'initdb'), [
      '-D',
      opts.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ]);
    // --auth=trust is acceptable only because the cluster listens on loopback and is private to this checkout.
    try {
      execFileSync(cmd, args, { stdio: 'pipe' });
    } catch (err) {
      const e = err as { stderr?: Buffer };
      throw new Error(
        `initdb failed: ${e.stderr?.toString() ?? err}\nfix: the postgres user must be able to reach ${opts.dataDir} (every parent folder needs o+x)`,
      );
    }
  }
  const [cmd, args] = asPgUser(join(bin, 'postgres'), [
    '-D',
    opts.dataDir,
    '-p',
    String(opts.port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${opts.dataDir}`,
    '-c',
    'max_connections=200',
    ...(opts.settings ?? []).flatMap((s) => ['-c', s]),
  ]);
  const proc = startProc('postgres', cmd, args, { logFile: opts.logFile });
  const url = (database: string) => `postgres://postgres@127.0.0.1:${opts.port}/${database}`;
  await waitFor(
    `PostgreSQL on port ${opts.port}`,
    async () => {
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      await c.end();
      return true;
    },
    { timeoutMs: 60_000, proc },
  );
  // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
  return { port: opts.port, proc, url, stop: () => proc.stop('SIGINT', 30_000) };
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    }
  } finally {
    await c.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** The login the API and the worker use: a member of `dibao_app` (migration …170), owning nothing. */
export const APP_LOGIN = 'dibao_api';

/**
 * R-O7 least privilege: creates the app's login role once per cluster (a member of `dibao_app`,
 * which the migrations create and grant; a password where the cluster asks for one) and answers the
 * app's URL of `adminUrl`'s database as that role. Run after the migrations.
 */
export async function appLogin(adminUrl: string, password?: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_LOGIN]);
    if (!rowCount) {
      await c.query(`CREATE ROLE ${APP_LOGIN} LOGIN IN ROLE dibao_app`).catch((err: { code?: string }) => {
        if (err.code !== '42710' && err.code !== '23505') throw err; // created meanwhile
      });
    }
    if (password !== undefined) {
      await c.query(`ALTER ROLE ${APP_LOGIN} PASSWORD ${pg.escapeLiteral(password)}`);
    }
  } finally {
    await c.end();
  }
  const url = new URL(adminUrl);
  url.username = APP_LOGIN;
  url.password = password ?? '';
  return url.toString();
}
