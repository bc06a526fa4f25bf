import pg from 'pg';

// Which statements cost Postgres more per call as a caseload grows: with BENCH_PG_STATEMENTS=1 the
// import's Postgres loads pg_stat_statements (every database: the project's and, on the cluster,
// Temporal's own), and each progress line of bench/import.ts prints the statements that took the
// most server time since the last line, with their calls, mean ms and rows per call. A statement
// whose mean grows from line to line at the same rows per call is one the growing tables slow.

export const STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1';

/** The Postgres settings that load the extension (empty when off). */
export const statementSettings = () =>
  STATEMENTS ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.max=2000'] : [];

interface Row {
  key: string;
  db: string;
  query: string;
  calls: number;
  ms: number;
  rows: number;
}

export async function statementSampler(pgUrl: string, top = 8) {
  const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
  await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const read = async () => {
    const { rows } = await pool.query<Row>(
      `SELECT s.queryid::text || ':' || s.dbid::text AS key, d.datname AS db,
              regexp_replace(s.query, '\\s+', ' ', 'g') AS query,
              s.calls::float8 AS calls, s.total_exec_time AS ms, s.rows::float8 AS rows
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid`,
    );
    return new Map(rows.map((r) => [r.key, r]));
  };
  let last = await read();
  return {
    /** The top statements by server time since the last call, as a Markdown table. */
    async print(label: string) {
      const now = await read();
      const delta = [...now.values()].map((r) => {
        const b = last.get(r.key);
        return {
          ...r,
          calls: r.calls - (b?.calls ?? 0),
          ms: r.ms - (b?.ms ?? 0),
          rows: r.rows - (b?.rows ?? 0),
        };
      });
      last = now;
      const total = delta.reduce((s, r) => s + r.ms, 0);
      console.log(
        `\n[bench] statements since the last line (${label}): ${(total / 1000).toFixed(1)} s in Postgres`,
      );
      console.log('| db | statement | calls | mean ms | rows/call | s |\n|---|---|--:|--:|--:|--:|');
      for (const r of delta.sort((a, b) => b.ms - a.ms).slice(0, top))
        console.log(
          `| ${r.db} | \`${r.query.slice(0, 90)}\` | ${r.calls} | ${(r.ms / Math.max(r.calls, 1)).toFixed(3)} | ${(r.rows / Math.max(r.calls, 1)).toFixed(1)} | ${(r.ms / 1000).toFixed(1)} |`,
        );
    },
    end: () => pool.end(),
  };
}
