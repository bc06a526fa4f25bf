import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';

// The settlement of open adjustments (R-M2 recoveries, R-M8 back-pay) for a set of cases, in the
// server, in the roster's transaction: one statement however many cases carry an adjustment.
// Exact to the fen: numeric arithmetic only. Exactly once: an adjustment is settled only by the
// statement that wrote its ledger row (ON CONFLICT DO NOTHING … RETURNING), so a retried page
// settles nothing twice.
//
// Per case, in the order the adjustments were recorded (recorded_at, key):
// - open back-pay becomes one `back_pay` row (their sum) and is settled in full;
// - open recoveries become one negative `recovery_offset` row, no larger than the part of the
//   case's positive money in this payroll (what was there before the statement) above `floor` ×
//   that money, rounded down to the fen (R-M10: the household keeps the floor), plus the back-pay
//   row written by the statement; each recovery takes min(open, what is left after the earlier
//   ones), in order, and is settled by that much. Recoveries a repayment demand took over
//   (demand_id) are left alone.
// The rows carry the coordinates of the case (township, village, persons, residence) and the
// category of its first open adjustment.
const SETTLE = `
WITH open AS (
  SELECT a.adjustment_key, a.case_id, a.kind, a.amount - a.settled_amount AS open, a.category, a.recorded_at
  FROM case_adjustments a
  WHERE a.case_id = ANY($4::text[]) AND a.settled_amount < a.amount AND a.demand_id IS NULL),
firsts AS (
  SELECT DISTINCT ON (o.case_id) o.case_id, o.category, c.township_code, c.village_code,
    coalesce(c.persons, jsonb_array_length(c.members), 1) AS persons,
    coalesce(c.view->>'residence',
      (SELECT m.residence FROM case_months m WHERE m.case_id = c.case_id ORDER BY m.month DESC LIMIT 1),
      'rural') AS residence
  FROM open o JOIN cases c ON c.case_id = o.case_id
  ORDER BY o.case_id, o.recorded_at, o.adjustment_key),
back_pay AS (
  SELECT case_id, sum(open) AS total, array_agg(adjustment_key ORDER BY recorded_at, adjustment_key) AS keys
  FROM open WHERE kind = 'back_pay' GROUP BY case_id),
back_pay_rows AS (
  INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
    residence, persons, amount, status, source_keys)
  SELECT b.case_id, $3, 'back_pay', $1, $2, f.township_code, f.village_code, f.category, f.residence, f.persons,
    b.total, 'scheduled', b.keys
  FROM back_pay b JOIN firsts f USING (case_id)
  ON CONFLICT DO NOTHING RETURNING case_id, amount, source_keys),
back_pay_settled AS (
  UPDATE case_adjustments a SET settled_amount = a.amount
  FROM back_pay_rows r WHERE a.adjustment_key = ANY(r.source_keys) RETURNING 1),
available AS (
  SELECT f.case_id, coalesce(r.amount, 0) + trunc(o.money - o.money * $5::numeric, 2) AS available
  FROM firsts f
  CROSS JOIN LATERAL (SELECT coalesce(sum(l.amount), 0) AS money FROM ledger l
    WHERE l.case_id = f.case_id AND l.payroll_id = $1 AND l.amount > 0) o
  LEFT JOIN back_pay_rows r USING (case_id)),
takes AS (
  SELECT o.adjustment_key, o.case_id, o.recorded_at,
    least(o.open, greatest(v.available - (sum(o.open) OVER w - o.open), 0)) AS take
  FROM open o JOIN available v USING (case_id) WHERE o.kind = 'recovery'
  WINDOW w AS (PARTITION BY o.case_id ORDER BY o.recorded_at, o.adjustment_key ROWS UNBOUNDED PRECEDING)),
recovery AS (
  SELECT case_id, sum(take) AS total, array_agg(adjustment_key ORDER BY recorded_at, adjustment_key) AS keys
  FROM takes WHERE take > 0 GROUP BY case_id),
recovery_rows AS (
  INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
    residence, persons, amount, status, source_keys)
  SELECT r.case_id, $3, 'recovery_offset', $1, $2, f.township_code, f.village_code, f.category, f.residence,
    f.persons, -r.total, 'scheduled', r.keys
  FROM recovery r JOIN firsts f USING (case_id)
  ON CONFLICT DO NOTHING RETURNING case_id),
recovery_settled AS (
  UPDATE case_adjustments a SET settled_amount = a.settled_amount + t.take
  FROM takes t JOIN recovery_rows r USING (case_id)
  WHERE t.take > 0 AND a.adjustment_key = t.adjustment_key RETURNING 1)
SELECT (SELECT count(*) FROM back_pay_rows)::int + (SELECT count(*) FROM recovery_rows)::int AS written`;

export function settlementStatements(db: pg.PoolClient) {
  return {
    /**
     * Locks the cases' open adjustments until the transaction ends, so that two payrolls of the
     * county (two months) never settle the same money: the second waits, then reads it settled.
     */
    async lockOpenAdjustments(caseIds: string[]): Promise<number> {
      const r = await db.query(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM case_adjustments
           WHERE case_id = ANY($1::text[]) AND settled_amount < amount AND demand_id IS NULL FOR UPDATE) x`,
        [caseIds],
      );
      return r.rows[0].n;
    },

    /** Settles the cases' open adjustments into ledger rows of `month`; the number of rows written. */
    async settleAdjustments(
      payrollId: string,
      county: string,
      month: YearMonth,
      caseIds: string[],
      floor: string,
    ) {
      const r = await db.query(SETTLE, [payrollId, county, month, caseIds, floor]);
      return r.rows[0].written as number;
    },
  };
}
