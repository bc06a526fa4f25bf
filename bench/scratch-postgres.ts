import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type PgCluster, startPostgres } from '../scripts/lib/postgres';
import { freePort } from '../scripts/lib/procs';

// A throw-away Postgres cluster for a read bench: under `.test-data/<name>-<pid>/`, on a free port,
// durability off (seeding millions of rows is the slow part; reads do not depend on it). `stop`
// stops it and removes its folder; Ctrl-C does the same.

export async function scratchPostgres(
  root: string,
  name: string,
): Promise<{ cluster: PgCluster; stop(): Promise<void> }> {
  const dir = join(root, '.test-data', `${name}-${process.pid}`);
  const cluster = await startPostgres({
    dataDir: join(dir, 'postgres'),
    port: await freePort(),
    logFile: join(dir, 'postgres.log'),
    settings: ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'],
  });
  const stop = async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  return { cluster, stop };
}
