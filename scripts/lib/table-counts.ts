import type pg from 'pg';

// Row counts of every table of the public schema (the migrations' own bookkeeping aside), taken
// once the workflows have stopped writing: an API answer comes before the workflow it started
// writes its rows, so a count taken too early would blame the next request.

export async function countRows(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'pgmigrations'
      ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = rows[0]?.n ?? 0;
  }
  return counts;
}

/** Counts that stayed the same over three reads a second apart (or the last read after `maxMs`). */
export async function settledCounts(pool: pg.Pool, maxMs = 30_000): Promise<Record<string, number>> {
  const deadline = Date.now() + maxMs;
  let last = await countRows(pool);
  let same = 0;
  while (same < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await countRows(pool);
    same = JSON.stringify(now) === JSON.stringify(last) ? same + 1 : 0;
    last = now;
  }
  return last;
}
