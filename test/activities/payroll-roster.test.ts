import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payrollActivities, type RosterPage } from '../../activities/payroll';
import { freshDatabase } from '../helpers/db';
import { seedAdjustment, seedCase, seedPolicy } from '../helpers/seed';

// The roster's set-based writes against the private Postgres cluster: the settlement of
// adjustments in the server (R-M2, R-M8) and the ledger history written once per statement (R-M1).
let db: Awaited<ReturnType<typeof freshDatabase>>;
let acts: ReturnType<typeof payrollActivities>;
const COUNTY = '140802';
const V = '140802101201';
const env = new MockActivityEnvironment();

beforeAll(async () => {
  db = await freshDatabase();
  acts = payrollActivities({ pool: db.pool });
  await seedPolicy(db.pool, COUNTY);
});
afterAll(async () => {
  await db?.drop();
});

const open = (month: string) =>
  acts.openPayroll({
    payrollId: `${COUNTY}:${month}`,
    countyCode: COUNTY,
    month,
    rosterDate: `${month}-04`,
    paymentDate: `${month}-10`,
  });
const page = (month: string) =>
  env.run(acts.rosterPage, {
    payrollId: `${COUNTY}:${month}`,
    countyCode: COUNTY,
    month,
    quarterlyExtremePoverty: false,
    limit: 100,
  }) as Promise<RosterPage>;
const settled = async (caseId: string) =>
  (
    await db.pool.query(
      'SELECT adjustment_key, settled_amount FROM case_adjustments WHERE case_id = $1 ORDER BY adjustment_key',
      [caseId],
    )
  ).rows.map((r) => `${r.adjustment_key} ${r.settled_amount}`);

describe('payroll roster (Postgres, set-based)', () => {
  it('R-M2 R-M8 R-M10: recoveries are offset in the order recorded, each by what is left above the floor and of the back-pay, to the fen; a retried page settles nothing twice', async () => {
    const c = { caseId: 'S1', villageCode: V, amount: '1000.01', months: ['2026-09'] };
    await seedCase(db.pool, c);
    await seedAdjustment(db.pool, c, 'S1:a-back', 'back_pay', '50.25');
    await seedAdjustment(db.pool, c, 'S1:r1', 'recovery', '700.10');
    await seedAdjustment(db.pool, c, 'S1:r2', 'recovery', '500.00');
    await seedAdjustment(db.pool, c, 'S1:r3', 'recovery', '10.00');
    // Recorded in this order (r3 first: the order is the recording time, not the key).
    await db.pool.query(
      `UPDATE case_adjustments SET recorded_at = CASE adjustment_key WHEN 'S1:r3' THEN '2026-01-01'
         WHEN 'S1:a-back' THEN '2026-01-02' WHEN 'S1:r1' THEN '2026-01-03' ELSE '2026-01-04' END::timestamptz
       WHERE case_id = 'S1'`,
    );
    await open('2026-09');
    const first = await page('2026-09');
    expect(first).toMatchObject({ cases: 1, rows: 3, done: true });
    const again = await page('2026-09');
    expect(again.rows).toBe(0);
    const { rows } = await db.pool.query(
      `SELECT kind, amount, source_keys FROM ledger WHERE case_id = 'S1' ORDER BY kind`,
    );
    // Available: what is above the floor of 1000.01 (the household keeps half, 500.005: 500.00 is
    // offset, rounded down) + the back-pay 50.25 = 550.25: r3 10.00, r1 the rest 540.25, r2 none yet.
    expect(rows).toEqual([
      { kind: 'back_pay', amount: '50.25', source_keys: ['S1:a-back'] },
      { kind: 'recovery_offset', amount: '-550.25', source_keys: ['S1:r3', 'S1:r1'] },
      { kind: 'regular', amount: '1000.01', source_keys: [] },
    ]);
    expect(await settled('S1')).toEqual(['S1:a-back 50.25', 'S1:r1 540.25', 'S1:r2 0.00', 'S1:r3 10.00']);
  });

  it('R-M1: each inserted row and each status change leaves one history row (written per statement); an update that changes nothing leaves none', async () => {
    const c = { caseId: 'H1', villageCode: V, amount: '321.09', months: ['2026-10'] };
    await seedCase(db.pool, c);
    await open('2026-10');
    await page('2026-10');
    await db.pool.query(`UPDATE ledger SET updated_at = now() WHERE case_id = 'H1'`); // no change
    await db.pool.query(`UPDATE ledger SET status = 'sent' WHERE case_id = 'H1'`);
    const { rows } = await db.pool.query(
      `SELECT payroll_id, from_status, to_status, amount, attempts FROM ledger_history WHERE case_id = 'H1' ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        payroll_id: '140802:2026-10',
        from_status: null,
        to_status: 'scheduled',
        amount: '321.09',
        attempts: 1,
      },
      {
        payroll_id: '140802:2026-10',
        from_status: 'scheduled',
        to_status: 'sent',
        amount: '321.09',
        attempts: 1,
      },
    ]);
  });

  it('R-M1: a ledger row or bank line of an unknown payroll is refused, a payroll is never deleted, and a ledger key never changes', async () => {
    await expect(
      db.pool.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status)
         VALUES ('H1', '2026-11', 'regular', '140802:1999-01', $1, '140802101', $2, 'dibao', 'rural', 1, '1.00', 'scheduled')`,
        [COUNTY, V],
      ),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      db.pool.query(`UPDATE ledger SET payroll_id = '140802:1999-01' WHERE case_id = 'H1'`),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      db.pool.query(
        `INSERT INTO payment_lines (line_id, payroll_id, case_id, card_number, payee_name, amount, months, status)
         VALUES ('x', '140802:1999-01', 'H1', '', '', '1.00', '2026-11', 'sent')`,
      ),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(db.pool.query(`DELETE FROM payrolls WHERE payroll_id = '140802:2026-10'`)).rejects.toThrow();
    await expect(db.pool.query(`UPDATE ledger SET month = '2026-12' WHERE case_id = 'H1'`)).rejects.toThrow(
      /ledger key/,
    );
  });
});
