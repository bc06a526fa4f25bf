import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createPool } from '../../db/pool';
import { dropDatabase, ensureDatabase } from '../../scripts/lib/postgres';
import { testEnv } from './env';

/** A fresh database per test file, cloned from the migrated template (fast, isolated). */
export async function freshDatabase(): Promise<{ url: string; pool: pg.Pool; drop(): Promise<void> }> {
  const admin = testEnv('TEST_PG_ADMIN_URL');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(admin, name, testEnv('TEST_PG_TEMPLATE'));
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const pool = createPool(url, 5);
  // DROP DATABASE … WITH (FORCE) may end a connection the pool is still closing: not a failure.
  pool.on('error', (err) => {
    if (!/terminating connection due to administrator command/.test(err.message)) throw err;
  });
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      await dropDatabase(admin, name);
    },
  };
}
