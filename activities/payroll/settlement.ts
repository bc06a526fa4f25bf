import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';
import { add, compare, min, neg, sub, toMoney } from '../../domain/money';

// Adjustments (R-M2 recoveries, R-M8 back-pay) are settled by the roster page that pays them, in
// the same transaction as their ledger rows.

/**
 * Open back-pay becomes one `back_pay` row per case; open recoveries become one negative
 * `recovery_offset` row, no larger than the case's other money this payroll (R-M2: offsets future
 * payments). Adjustments are settled only when their row was written now, so a retry settles nothing twice.
 */
export async function settleAdjustments(
  db: pg.PoolClient,
  payrollId: string,
  countyCode: string,
  month: YearMonth,
  caseIds: string[],
): Promise<number> {
  if (!caseIds.length) return 0;
  const open = await db.query(
    `SELECT a.adjustment_key, a.case_id, a.kind, a.amount - a.settled_amount AS open, a.category,
       c.township_code, c.village_code, coalesce(c.persons, jsonb_array_length(c.members)) AS persons,
       coalesce(c.view->>'residence',
         (SELECT m.residence FROM case_months m WHERE m.case_id = c.case_id ORDER BY m.month DESC LIMIT 1)) AS residence
     FROM case_adjustments a JOIN cases c ON c.case_id = a.case_id
     WHERE a.case_id = ANY($1) AND a.settled_amount < a.amount
     ORDER BY a.case_id, a.recorded_at, a.adjustment_key FOR UPDATE OF a`,
    [caseIds],
  );
  if (!open.rows.length) return 0;
  const money = await db.query(
    `SELECT case_id, sum(amount) AS total FROM ledger WHERE payroll_id = $1 AND case_id = ANY($2) AND amount > 0
     GROUP BY case_id`,
    [payrollId, caseIds],
  );
  const outgoing = new Map(money.rows.map((r) => [r.case_id as string, r.total as string]));
  const byCase = new Map<string, typeof open.rows>();
  for (const r of open.rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
  let written = 0;
  for (const [caseId, adjustments] of byCase) {
    const first = adjustments[0]!;
    const row = async (kind: 'back_pay' | 'recovery_offset', amount: string, keys: string[]) => {
      const r = await db.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status, source_keys)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'scheduled', $12) ON CONFLICT DO NOTHING`,
        [
          caseId,
          month,
          kind,
          payrollId,
          countyCode,
          first.township_code,
          first.village_code,
          first.category,
          first.residence ?? 'rural',
          first.persons ?? 1,
          amount,
          keys,
        ],
      );
      return (r.rowCount ?? 0) > 0;
    };
    const backPay = adjustments.filter((a) => a.kind === 'back_pay');
    let available = outgoing.get(caseId) ?? '0';
    if (backPay.length) {
      const total = backPay.reduce((s, a) => add(s, a.open), '0');
      if (
        await row(
          'back_pay',
          toMoney(total),
          backPay.map((a) => a.adjustment_key),
        )
      ) {
        written++;
        available = add(available, total);
        for (const a of backPay)
          await db.query('UPDATE case_adjustments SET settled_amount = amount WHERE adjustment_key = $1', [
            a.adjustment_key,
          ]);
      }
    }
    const recoveries = adjustments.filter((a) => a.kind === 'recovery');
    if (recoveries.length && compare(available, 0) > 0) {
      const settled: [string, string][] = [];
      let left = available;
      for (const a of recoveries) {
        if (compare(left, 0) <= 0) break;
        const take = min(a.open, left);
        settled.push([a.adjustment_key, take]);
        left = sub(left, take);
      }
      const total = settled.reduce((s, [, t]) => add(s, t), '0');
      if (
        await row(
          'recovery_offset',
          toMoney(neg(total)),
          settled.map(([k]) => k),
        )
      ) {
        written++;
        for (const [key, take] of settled)
          await db.query(
            'UPDATE case_adjustments SET settled_amount = settled_amount + $2 WHERE adjustment_key = $1',
            [key, take],
          );
      }
    }
  }
  return written;
}
