import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintsRepository } from '../../db/repositories/complaints';
import { publicityRepository } from '../../db/repositories/publicity';
import { spotChecksRepository } from '../../db/repositories/spot-checks';
import { freshDatabase } from '../helpers/db';
import { LIST_COUNTIES, seedLists } from '../helpers/list-seed';

// Three lists read an index range, not the table: the village notice board (R-A4, R-A9), the
// spot-check population of a county and month (R-O2, by the decision's own date column) and a page
// of the complaints ledger (R-O4, keyset after a cursor, no count). Each repository call is recorded
// as it reaches Postgres and its statement explained with sequential and bitmap scans off, so the
// plan shows whether an index serves the condition, and the order, at all on a small table;
// bench/lists.ts prints the planner's own choice at 1,000,000 rows.

let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
  await seedLists(db.pool, 30_000);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

interface Sent {
  text: string;
  values: unknown[];
}
/** The pool as a repository sees it, recording every statement it sends. */
function recording(pool: pg.Pool): { pool: pg.Pool; sent: Sent[] } {
  const sent: Sent[] = [];
  const query = (q: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
    sent.push(
      typeof q === 'string' ? { text: q, values: values ?? [] } : { text: q.text, values: q.values ?? [] },
    );
    return pool.query(q as string, values);
  };
  return { pool: { query } as unknown as pg.Pool, sent };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (p: PlanNode): PlanNode[] => [p, ...(p.Plans ?? []).flatMap(nodes)];

async function plan(s: Sent): Promise<PlanNode[]> {
  const c = await db.pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SET LOCAL enable_seqscan = off');
    await c.query('SET LOCAL enable_bitmapscan = off');
    const { rows } = await c.query(`EXPLAIN (FORMAT JSON) ${s.text}`, s.values);
    await c.query('ROLLBACK');
    return nodes(rows[0]['QUERY PLAN'][0].Plan);
  } finally {
    c.release();
  }
}
const indexConds = (ns: PlanNode[]) => ns.map((n) => n['Index Cond'] ?? '').join(' ');
const types = (ns: PlanNode[]) => ns.map((n) => n['Node Type']);

const county = LIST_COUNTIES[0]!;

describe('indexed lists (Postgres)', () => {
  it('R-A4 R-A9: the village notice board reads the village’s applications in publicity and its cases in benefit from index ranges, in order', async () => {
    // A village with an application in publicity and cases in benefit.
    const { rows } = await db.pool.query(
      `SELECT village_code FROM applications WHERE stage = 'publicity' ORDER BY village_code LIMIT 1`,
    );
    const village = rows[0].village_code as string;
    const r = recording(db.pool);
    const repo = publicityRepository(r.pool);
    expect((await repo.inPublicity(village)).length).toBeGreaterThan(0);
    expect((await repo.published(village)).length).toBeGreaterThan(0);
    expect(r.sent).toHaveLength(2);
    for (const s of r.sent) {
      const p = await plan(s);
      expect(indexConds(p)).toContain('village_code');
      expect(types(p)).not.toContain('Sort');
      expect(types(p)).not.toContain('Seq Scan');
    }
  });

  it('R-O2: the spot-check population of a county and month, and the counties of a month, are index ranges of the decision date', async () => {
    const r = recording(db.pool);
    const repo = spotChecksRepository(r.pool);
    const month = '2026-06';
    const population = await repo.population(county, month);
    expect(population.length).toBeGreaterThan(0);
    expect(population.every((u) => u.decidedOn.startsWith(month))).toBe(true);
    expect(await repo.counties(month)).toEqual(LIST_COUNTIES);
    expect(r.sent).toHaveLength(2);
    for (const s of r.sent) {
      const p = await plan(s);
      expect(indexConds(p)).toContain('decided_on');
      expect(types(p)).not.toContain('Seq Scan');
    }
    expect(indexConds(await plan(r.sent[0]!))).toContain('county_code');
  });

  it('R-O4: a page of the complaints ledger after a cursor is one index range of its scope, in order, with no count', async () => {
    const scopes = {
      province: '14',
      city: '1408',
      county,
      township: `${county}101`,
      village: `${county}101201`,
    };
    for (const [level, region] of Object.entries(scopes)) {
      const r = recording(db.pool);
      const repo = complaintsRepository(r.pool);
      const first = await repo.ledger({ region, limit: 3 });
      expect(first.rows, level).toHaveLength(3);
      const second = await repo.ledger({ region, limit: 3, after: first.next });
      expect(second.rows, level).toHaveLength(3);
      const keys = [...first.rows, ...second.rows].map((l) => `${l.receivedOn}|${l.complaintId}`);
      expect(keys, level).toEqual([...keys].sort().reverse());
      expect(r.sent.map((s) => s.text).join('\n')).not.toMatch(/count\(/i);
      const p = await plan(r.sent.at(-1)!);
      expect(indexConds(p), level).toContain(
        level === 'city' ? 'county_code, 2' : `${level === 'province' ? 'county' : level}_code`,
      );
      expect(indexConds(p), level).toContain('received_on');
      expect(types(p), level).not.toContain('Sort');
      expect(types(p), level).not.toContain('Seq Scan');
    }
  });
});
