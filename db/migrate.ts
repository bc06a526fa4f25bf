import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import { scrub } from '../config/logging';

// Migrations are plain SQL files in db/migrations (node-pg-migrate's SQL loader: `-- Up Migration`
// and `-- Down Migration` sections). Run at start (scripts/stack.ts) and in tests.
export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export async function migrate(databaseUrl: string, direction: 'up' | 'down' = 'up', quiet = false) {
  return runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    migrationsTable: 'pgmigrations',
    direction,
    count: direction === 'up' ? Number.POSITIVE_INFINITY : 1,
    checkOrder: true,
    singleTransaction: true,
    log: quiet ? () => {} : (msg: string) => console.log(`[migrate] ${msg}`),
  });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { loadConfigOrExit } = await import('../config/env');
  const direction = process.argv[2] === 'down' ? 'down' : 'up';
  const config = loadConfigOrExit();
  await migrate(config.DATABASE_URL, direction).catch((err: Error) => {
    console.error(`[migrate] failed: ${scrub(err.message)}`);
    process.exit(1);
  });
}
