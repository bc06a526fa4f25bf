import pg from 'pg';

// Civil dates stay 'YYYY-MM-DD' strings (pg would turn DATE into a local-time JS Date) and NUMERIC
// stays a decimal string (money is never a JS number).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

type Warn = (obj: { err: Error }, msg: string) => void;

/**
 * A pool that outlives a Postgres restart: an idle client that loses its server emits 'error' on
 * the pool, which would kill the process without a listener; the pool drops that client and
 * connects anew on the next query, so the API and the worker carry on (and /ready says 503 until
 * the server is back).
 */
export function createPool(connectionString: string, max = 10, warn?: Warn): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  pool.on('error', (err) => {
    if (warn) warn({ err }, 'idle Postgres connection lost; the pool reconnects on next use');
  });
  return pool;
}

// Class 08 (connection exception), 57P01..57P03 (admin shutdown, crash shutdown, cannot connect
// now), 53300 (too many connections) and socket errors: the server is away, the request may be
// retried. Everything else is an answer.
const TRANSIENT_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const TRANSIENT_MESSAGE =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i;

/** Postgres is unreachable or restarting (not a refusal of the statement). */
export function isTransientDbError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && TRANSIENT_SQLSTATE.test(e.code)) return true;
  if (typeof e.code === 'string' && /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT)$/.test(e.code)) return true;
  return typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message);
}

/** Runs `fn` in a transaction on one client; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    // A client whose server went away is destroyed, not handed to the next caller.
    if (isTransientDbError(err)) lost = err as Error;
    throw err;
  } finally {
    client.release(lost);
  }
}
