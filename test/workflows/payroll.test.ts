import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { payrollActivities, type RosterPage } from '../../activities/payroll';
import type { PayrollResult } from '../../workflows/contracts';
import { COUNTY, usePayrollEnv } from '../helpers/payroll-env';
import { seedAdjustment, seedCase, seedMonth, seedPolicy } from '../helpers/seed';

// The payroll with its real activities on Postgres and the time-skipping server (R-M1, R-M2, R-M8,
// R-E6). Months are past ones, so the roster cut-off has passed and the payroll starts at once.
// The bank's results are in payroll-results.test.ts.

const V1 = '140802101201';
const V2 = '140802102203';
const t = usePayrollEnv();
const { startPayroll, untilSent, payAll, ledger } = t;

describe('monthly payroll (time-skipping + Postgres)', () => {
  it('R-M1: one ledger row per case and month, one bank line per case, the same file when run twice; results complete it', async () => {
    await seedPolicy(t.pool, COUNTY);
    for (const [i, v] of [V1, V1, V2, V2, V2].entries())
      await seedCase(t.pool, {
        caseId: `C${i}`,
        villageCode: v,
        amount: `${1000 + i}.50`,
        months: ['2026-09'],
      });
    await seedCase(t.pool, { caseId: 'C9-closed', villageCode: V1, months: [], status: 'closed' }); // nothing after closure
    await seedCase(t.pool, { caseId: 'C8-late', villageCode: V1, months: [] }); // open, but handed no month
    const h = await startPayroll('2026-09');
    const sent = await untilSent(h);
    expect(sent).toMatchObject({ casesDone: 5, rowsWritten: 5, file: { lines: 5, amount: '5012.50' } });
    // Never silently lost: the open case that handed no month is counted and raised to supervisors.
    expect(sent.missingCases).toBe(1);
    const alert = await t.pool.query(
      `SELECT deadline_kind FROM supervision_alerts WHERE subject_id = '140802:2026-09'`,
    );
    expect(alert.rows.map((r) => r.deadline_kind)).toContain('roster_incomplete');
    const csv = readFileSync(join(t.files, sent.file!.fileName), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('line_id,card_number,name,amount,months');
    expect(csv[1]).toMatch(/^140802:2026-09:C0,\d{17}[\dX],张三,1000\.50,2026-09$/);

    // Run twice: a second payroll run for the same county and month writes nothing new.
    const twice = await startPayroll('2026-09', ':again');
    const again = await untilSent(twice);
    expect(again.rowsWritten).toBe(0);
    expect(again.file?.sha256).toBe(sent.file?.sha256);
    expect((await ledger()).length).toBe(5);

    await payAll(h, '140802:2026-09');
    // The Update itself wakes the payroll (no signal needed).
    const done: PayrollResult = await h.result();
    expect(done).toMatchObject({ stage: 'completed', lines: { paid: 5 } });
    expect((await ledger()).every((r) => r.status === 'paid')).toBe(true);
    // Every status change left a history row: inserted (scheduled) → sent → paid.
    const hist = await t.pool.query(`SELECT to_status FROM ledger_history WHERE case_id = 'C0' ORDER BY id`);
    expect(hist.rows.map((r) => r.to_status)).toEqual(['scheduled', 'sent', 'paid']);
    await twice.terminate();
  });

  it('R-M1: a roster page that crashes midway is retried without a duplicate or a missing row', async () => {
    await seedPolicy(t.pool, COUNTY);
    for (let i = 0; i < 5; i++)
      await seedCase(t.pool, { caseId: `K${i}`, villageCode: V1, months: ['2026-09'] });
    await seedAdjustment(t.pool, { caseId: 'K1', villageCode: V1 }, 'K1:back_pay:std', 'back_pay', '200.00');
    await t.pool.query(
      `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
       VALUES ('140802:2026-09', $1, '2026-09', '2026-09-04', '2026-09-10', 'rostering')`,
      [COUNTY],
    );
    // A t.pool whose connection dies on the page's last statement: the page's transaction rolls back.
    let crashes = 1;
    const crashing = new Proxy(t.pool, {
      get(target, prop) {
        if (prop !== 'connect') return Reflect.get(target, prop);
        return async () => {
          const client = await target.connect();
          const query = client.query.bind(client);
          (client as unknown as { query: unknown }).query = (sql: unknown, ...rest: unknown[]) => {
            if (typeof sql === 'string' && sql.startsWith('UPDATE payrolls SET lines_done') && crashes-- > 0)
              return Promise.reject(new Error('connection lost'));
            return (query as (...a: unknown[]) => unknown)(sql, ...rest);
          };
          return client;
        };
      },
    });
    const { MockActivityEnvironment } = await import('@temporalio/testing');
    const activity = new MockActivityEnvironment();
    const page = (p: pg.Pool) =>
      activity.run(payrollActivities({ pool: p }).rosterPage, {
        payrollId: '140802:2026-09',
        countyCode: COUNTY,
        month: '2026-09',
        quarterlyExtremePoverty: false,
        limit: 10,
      }) as Promise<RosterPage>;
    await expect(page(crashing)).rejects.toThrow('connection lost');
    expect(await ledger()).toEqual([]);
    const first = await page(t.pool); // the retry
    const second = await page(t.pool); // and a retry of a page that had committed
    expect(first.rows).toBe(6);
    expect(second.rows).toBe(0);
    const rows = await ledger();
    expect(rows.map((r) => `${r.case_id}:${r.kind}:${r.amount}`)).toEqual([
      'K0:regular:1000.00',
      'K1:back_pay:200.00',
      'K1:regular:1000.00',
      'K2:regular:1000.00',
      'K3:regular:1000.00',
      'K4:regular:1000.00',
    ]);
    const adj = await t.pool.query(
      `SELECT settled_amount FROM case_adjustments WHERE adjustment_key = 'K1:back_pay:std'`,
    );
    expect(adj.rows[0].settled_amount).toBe('200.00');
  });

  it('R-M2 R-M8 R-M10: back-pay is paid with the month; a recovery offsets the money of later months, never below half of it, until settled', async () => {
    await seedPolicy(t.pool, COUNTY);
    const a = { caseId: 'A', villageCode: V1, months: ['2026-08'] };
    const b = { caseId: 'B', villageCode: V1, amount: '600.00', months: ['2026-08'] };
    await seedCase(t.pool, a);
    await seedCase(t.pool, b);
    await seedAdjustment(t.pool, a, 'A:back_pay:standard:v2', 'back_pay', '200.00');
    await seedAdjustment(t.pool, b, 'B:recovery:death', 'recovery', '1000.00');
    const aug = await startPayroll('2026-08');
    const s1 = await untilSent(aug);
    expect(s1.file?.amount).toBe('1500.00'); // A: 1000 + 200 back-pay; B: 600 − 300 offset (R-M10: half kept)
    await seedMonth(t.pool, b, '2026-09');
    await seedMonth(t.pool, a, '2026-09');
    const sep = await startPayroll('2026-09');
    await untilSent(sep);
    const rows = (await ledger()).map((r) => `${r.case_id} ${r.month} ${r.kind} ${r.amount} ${r.status}`);
    expect(rows).toEqual([
      'A 2026-08 back_pay 200.00 sent',
      'A 2026-08 regular 1000.00 sent',
      'A 2026-09 regular 1000.00 sent',
      'B 2026-08 recovery_offset -300.00 sent',
      'B 2026-08 regular 600.00 sent',
      'B 2026-09 recovery_offset -300.00 sent',
      'B 2026-09 regular 600.00 sent',
    ]);
    // 400.00 of the recovery waits for later payments.
    const rec = await t.pool.query(`SELECT settled_amount FROM case_adjustments WHERE case_id = 'B'`);
    expect(rec.rows[0].settled_amount).toBe('600.00');
    const line = await t.pool.query(`SELECT amount FROM payment_lines WHERE line_id = '140802:2026-09:B'`);
    expect(line.rows[0].amount).toBe('300.00');
    await aug.terminate();
    await sep.terminate();
  });

  it('R-E6: a quarterly county pays extreme-poverty support for the quarter at its start', async () => {
    await seedPolicy(t.pool, COUNTY, {
      extremePoverty: {
        paymentFrequency: 'quarterly',
        basicSupportUrban: '1100.00',
        basicSupportRural: '900.00',
      },
    });
    const ep = {
      caseId: 'EP',
      villageCode: V1,
      category: 'extreme_poverty',
      amount: '900.00',
      persons: 1,
      months: ['2026-10'],
    };
    const db2 = { caseId: 'DB', villageCode: V1, months: ['2026-10'] };
    await seedCase(t.pool, ep);
    await seedCase(t.pool, db2);
    const oct = await startPayroll('2026-10');
    const s = await untilSent(oct);
    expect(s.quarterlyExtremePoverty).toBe(true);
    const line = await t.pool.query(
      `SELECT amount, months FROM payment_lines WHERE line_id = '140802:2026-10:EP'`,
    );
    expect(line.rows[0]).toEqual({ amount: '2700.00', months: '2026-10;2026-11;2026-12' });
    await seedMonth(t.pool, ep, '2026-11');
    await seedMonth(t.pool, db2, '2026-11');
    const nov = await startPayroll('2026-11');
    await untilSent(nov);
    const novLines = await t.pool.query(
      `SELECT case_id FROM payment_lines WHERE payroll_id = '140802:2026-11'`,
    );
    expect(novLines.rows.map((r) => r.case_id)).toEqual(['DB']); // November was paid in October
    await oct.terminate();
    await nov.terminate();
  });

  it('R-M1: a month handed over after its payroll read the roster is paid in the next payroll, once', async () => {
    await seedPolicy(t.pool, COUNTY);
    const on = { caseId: 'ON', villageCode: V1, months: ['2026-09'] };
    const late = { caseId: 'LATE', villageCode: V1, months: [] as string[] };
    await seedCase(t.pool, on);
    await seedCase(t.pool, late);
    const sep = await startPayroll('2026-09');
    const s1 = await untilSent(sep);
    expect(s1.missingCases).toBe(1);
    await seedMonth(t.pool, late, '2026-09'); // the case's timer fired after the payroll had read
    await seedMonth(t.pool, late, '2026-10');
    await seedMonth(t.pool, on, '2026-10');
    const oct = await startPayroll('2026-10');
    await untilSent(oct);
    const line = await t.pool.query(
      `SELECT amount, months FROM payment_lines WHERE line_id = '140802:2026-10:LATE'`,
    );
    expect(line.rows[0]).toEqual({ amount: '2000.00', months: '2026-09;2026-10' });
    const onLine = await t.pool.query(`SELECT months FROM payment_lines WHERE line_id = '140802:2026-10:ON'`);
    expect(onLine.rows[0].months).toBe('2026-10'); // September was paid in September
    const twice = await startPayroll('2026-10', ':again');
    expect((await untilSent(twice)).rowsWritten).toBe(0);
    for (const h of [sep, oct, twice]) await h.terminate();
  });
});
