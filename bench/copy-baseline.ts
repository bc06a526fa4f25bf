import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

// The payroll benchmarks' baseline (bench/payroll.ts, bench/province.ts): the raw write speed of
// this Postgres for ledger rows, measured in the same run as the payroll it is compared with.

/** Baseline: COPY FROM STDIN of `count` ledger-shaped rows, generated here, into an empty logged twin. */
export async function runCopy(pool: pg.Pool, count: number, county: string, month: string): Promise<number> {
  await pool.query('CREATE TABLE ledger_copy (LIKE ledger INCLUDING ALL)');
  function* lines() {
    const batch: string[] = [];
    for (let i = 1; i <= count; i++) {
      const village = `${county}${101 + (i % 12)}${201 + (i % 25)}`;
      const amount = `${250 + ((i * 37) % 600)}.${String(i % 100).padStart(2, '0')}`;
      batch.push(
        `B${String(i).padStart(7, '0')}\t${month}\tregular\t${county}:${month}\t${county}\t${village.slice(0, 9)}\t` +
          `${village}\tdibao\trural\t${1 + (i % 4)}\t${amount}\tscheduled\n`,
      );
      if (batch.length === 1000) yield batch.splice(0).join('');
    }
    if (batch.length) yield batch.join('');
  }
  const db = await pool.connect();
  try {
    const t0 = performance.now();
    await pipeline(
      Readable.from(lines()),
      db.query(
        copyFrom(`COPY ledger_copy (case_id, month, kind, payroll_id, county_code, township_code, village_code,
          category, residence, persons, amount, status) FROM STDIN`),
      ),
    );
    return (performance.now() - t0) / 1000;
  } finally {
    db.release();
  }
}

/**
 * Baseline with history rows included: every row the payroll leaves behind — its ledger rows in
 * their final state, their `ledger_history` rows and its `payment_lines` — read out with COPY TO
 * (untimed), then written back with COPY FROM into empty logged twins with the same indexes and
 * no triggers (timed). What a database would need at the least to hold the payroll's result.
 */
export async function runCopyWritten(pool: pg.Pool, payrollId: string): Promise<{ s: number; rows: number }> {
  const tables = ['ledger', 'ledger_history', 'payment_lines'] as const;
  const db = await pool.connect();
  try {
    const data: Buffer[][] = [];
    for (const t of tables) {
      await db.query(`CREATE TABLE ${t}_twin (LIKE ${t} INCLUDING ALL)`);
      const chunks: Buffer[] = [];
      const out = db.query(copyTo(`COPY (SELECT * FROM ${t} WHERE payroll_id = '${payrollId}') TO STDOUT`));
      for await (const c of out) chunks.push(c as Buffer);
      data.push(chunks);
    }
    const rows = data.flat().reduce((n, b) => n + b.reduce((k, x) => k + (x === 10 ? 1 : 0), 0), 0);
    const t0 = performance.now();
    for (const [i, t] of tables.entries()) {
      await pipeline(Readable.from(data[i]!), db.query(copyFrom(`COPY ${t}_twin FROM STDIN`)));
    }
    return { s: (performance.now() - t0) / 1000, rows };
  } finally {
    db.release();
  }
}
