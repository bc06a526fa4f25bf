import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { payrollActivities, type RosterPage } from '../../activities/payroll';
import {
  type PayrollResult,
  paymentResultsSignal,
  paymentResultsUpdate,
  payrollStateQuery,
  payrollWorkflowId,
} from '../../workflows/messages';
import { freshDatabase } from '../helpers/db';
import { testEnv } from '../helpers/env';
import { seedAdjustment, seedCase, seedMonth, seedPolicy } from '../helpers/seed';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// The payroll with its real activities on Postgres and the time-skipping server (R-M1, R-M2, R-M8,
// R-E6). Months are past ones, so the roster cut-off has passed and the payroll starts at once.

const COUNTY = '140802';
const V1 = '140802101201';
const V2 = '140802102203';
let env: TestWorkflowEnvironment;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let pool: pg.Pool;
let worker: Worker;
let running: Promise<void>;
let files: string;
const taskQueue = `payroll-${Math.random().toString(36).slice(2)}`;

beforeEach(async () => {
  env = await createTimeSkippingEnv();
  db = await freshDatabase();
  pool = db.pool;
  files = mkdtempSync(join(tmpdir(), 'payfiles-'));
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv('TEST_WORKFLOW_BUNDLE') },
    activities: createActivities({ pool, paymentFilesDir: files }),
  });
  running = worker.run();
}, 60_000);
afterEach(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.drop();
});

async function startPayroll(month: string, suffix = '') {
  return env.client.workflow.start('payrollWorkflow', {
    taskQueue,
    workflowId: `${payrollWorkflowId(COUNTY, month)}${suffix}`,
    args: [{ countyCode: COUNTY, month, pageSize: 2 }],
  });
}
type Handle = Awaited<ReturnType<typeof startPayroll>>;

/** Waits until the bank file is out (the payroll then waits for results). */
async function untilSent(h: Handle) {
  for (let i = 0; i < 200; i++) {
    const v = await h.query(payrollStateQuery);
    if (v.file) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('payroll did not send its file');
}

/** The bank answers every sent line, through the payroll's Update (the one writer of its lines). */
async function payAll(h: Handle, payrollId: string, outcome: 'paid' | 'failed' = 'paid') {
  const { rows } = await pool.query(
    'SELECT line_id FROM payment_lines WHERE payroll_id = $1 AND status = $2',
    [payrollId, 'sent'],
  );
  return h.executeUpdate(paymentResultsUpdate, {
    args: [
      {
        results: rows.map((r, i) => ({
          resultId: `${r.line_id}:${outcome}:${i}`,
          lineId: r.line_id,
          outcome,
          reportedAt: new Date().toISOString(),
        })),
      },
    ],
  });
}

const ledger = async () =>
  (
    await pool.query(
      `SELECT case_id, month, kind, amount, status, attempts, payroll_id FROM ledger ORDER BY case_id, month, kind`,
    )
  ).rows;

describe('monthly payroll (time-skipping + Postgres)', () => {
  it('R-M1: one ledger row per case and month, one bank line per case, the same file when run twice; results complete it', async () => {
    await seedPolicy(pool, COUNTY);
    for (const [i, v] of [V1, V1, V2, V2, V2].entries())
      await seedCase(pool, {
        caseId: `C${i}`,
        villageCode: v,
        amount: `${1000 + i}.50`,
        months: ['2026-09'],
      });
    await seedCase(pool, { caseId: 'C9-closed', villageCode: V1, months: [], status: 'closed' }); // nothing after closure
    await seedCase(pool, { caseId: 'C8-late', villageCode: V1, months: [] }); // open, but handed no month
    const h = await startPayroll('2026-09');
    const sent = await untilSent(h);
    expect(sent).toMatchObject({ casesDone: 5, rowsWritten: 5, file: { lines: 5, amount: '5012.50' } });
    // Never silently lost: the open case that handed no month is counted and raised to supervisors.
    expect(sent.missingCases).toBe(1);
    const alert = await pool.query(
      `SELECT deadline_kind FROM supervision_alerts WHERE subject_id = '140802:2026-09'`,
    );
    expect(alert.rows.map((r) => r.deadline_kind)).toContain('roster_incomplete');
    const csv = readFileSync(join(files, sent.file!.fileName), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('line_id,card_number,name,amount,months');
    expect(csv[1]).toMatch(/^140802:2026-09:C0,\d{17}[\dX],张三,1000\.50,2026-09$/);

    // Run twice: a second payroll run for the same county and month writes nothing new.
    const twice = await startPayroll('2026-09', ':again');
    const again = await untilSent(twice);
    expect(again.rowsWritten).toBe(0);
    expect(again.file?.sha256).toBe(sent.file?.sha256);
    expect((await ledger()).length).toBe(5);

    await payAll(h, '140802:2026-09');
    await h.signal(paymentResultsSignal, { received: 5 });
    const done: PayrollResult = await h.result();
    expect(done).toMatchObject({ stage: 'completed', lines: { paid: 5 } });
    expect((await ledger()).every((r) => r.status === 'paid')).toBe(true);
    // Every status change left a history row: inserted (scheduled) → sent → paid.
    const hist = await pool.query(`SELECT to_status FROM ledger_history WHERE case_id = 'C0' ORDER BY id`);
    expect(hist.rows.map((r) => r.to_status)).toEqual(['scheduled', 'sent', 'paid']);
    await twice.terminate();
  });

  it('R-M1: a roster page that crashes midway is retried without a duplicate or a missing row', async () => {
    await seedPolicy(pool, COUNTY);
    for (let i = 0; i < 5; i++)
      await seedCase(pool, { caseId: `K${i}`, villageCode: V1, months: ['2026-09'] });
    await seedAdjustment(pool, { caseId: 'K1', villageCode: V1 }, 'K1:back_pay:std', 'back_pay', '200.00');
    await pool.query(
      `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
       VALUES ('140802:2026-09', $1, '2026-09', '2026-09-04', '2026-09-10', 'rostering')`,
      [COUNTY],
    );
    // A pool whose connection dies on the page's last statement: the page's transaction rolls back.
    let crashes = 1;
    const crashing = new Proxy(pool, {
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
    const first = await page(pool); // the retry
    const second = await page(pool); // and a retry of a page that had committed
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
    const adj = await pool.query(
      `SELECT settled_amount FROM case_adjustments WHERE adjustment_key = 'K1:back_pay:std'`,
    );
    expect(adj.rows[0].settled_amount).toBe('200.00');
  });

  it('R-M2 R-M8: back-pay is paid with the month; a recovery offsets the money of later months until settled', async () => {
    await seedPolicy(pool, COUNTY);
    const a = { caseId: 'A', villageCode: V1, months: ['2026-08'] };
    const b = { caseId: 'B', villageCode: V1, amount: '600.00', months: ['2026-08'] };
    await seedCase(pool, a);
    await seedCase(pool, b);
    await seedAdjustment(pool, a, 'A:back_pay:standard:v2', 'back_pay', '200.00');
    await seedAdjustment(pool, b, 'B:recovery:death', 'recovery', '1000.00');
    const aug = await startPayroll('2026-08');
    const s1 = await untilSent(aug);
    expect(s1.file?.amount).toBe('1200.00'); // A: 1000 + 200 back-pay; B: 600 − 600 offset, nothing sent
    await seedMonth(pool, b, '2026-09');
    await seedMonth(pool, a, '2026-09');
    const sep = await startPayroll('2026-09');
    await untilSent(sep);
    const rows = (await ledger()).map((r) => `${r.case_id} ${r.month} ${r.kind} ${r.amount} ${r.status}`);
    expect(rows).toEqual([
      'A 2026-08 back_pay 200.00 sent',
      'A 2026-08 regular 1000.00 sent',
      'A 2026-09 regular 1000.00 sent',
      'B 2026-08 recovery_offset -600.00 paid',
      'B 2026-08 regular 600.00 paid',
      'B 2026-09 recovery_offset -400.00 sent',
      'B 2026-09 regular 600.00 sent',
    ]);
    const rec = await pool.query(`SELECT settled_amount FROM case_adjustments WHERE case_id = 'B'`);
    expect(rec.rows[0].settled_amount).toBe('1000.00');
    const line = await pool.query(`SELECT amount FROM payment_lines WHERE line_id = '140802:2026-09:B'`);
    expect(line.rows[0].amount).toBe('200.00');
    await aug.terminate();
    await sep.terminate();
  });

  it('R-E6: a quarterly county pays extreme-poverty support for the quarter at its start', async () => {
    await seedPolicy(pool, COUNTY, {
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
    await seedCase(pool, ep);
    await seedCase(pool, db2);
    const oct = await startPayroll('2026-10');
    const s = await untilSent(oct);
    expect(s.quarterlyExtremePoverty).toBe(true);
    const line = await pool.query(
      `SELECT amount, months FROM payment_lines WHERE line_id = '140802:2026-10:EP'`,
    );
    expect(line.rows[0]).toEqual({ amount: '2700.00', months: '2026-10;2026-11;2026-12' });
    await seedMonth(pool, ep, '2026-11');
    await seedMonth(pool, db2, '2026-11');
    const nov = await startPayroll('2026-11');
    await untilSent(nov);
    const novLines = await pool.query(
      `SELECT case_id FROM payment_lines WHERE payroll_id = '140802:2026-11'`,
    );
    expect(novLines.rows.map((r) => r.case_id)).toEqual(['DB']); // November was paid in October
    await oct.terminate();
    await nov.terminate();
  });

  it('R-M1: bank results sent twice and out of order apply once and in the bank’s order', async () => {
    await seedPolicy(pool, COUNTY);
    await seedCase(pool, { caseId: 'R', villageCode: V1, months: ['2026-09'] });
    const h = await startPayroll('2026-09');
    await untilSent(h);
    const line = '140802:2026-09:R';
    const t1 = '2026-09-10T02:00:00Z';
    const t2 = '2026-09-15T02:00:00Z';
    const outcomes = await h.executeUpdate(paymentResultsUpdate, {
      args: [
        {
          results: [
            {
              resultId: 'bank-2',
              lineId: line,
              outcome: 'returned',
              reportedAt: t2,
              reason: 'account closed',
            },
            { resultId: 'bank-1', lineId: line, outcome: 'paid', reportedAt: t1 },
            { resultId: 'bank-2', lineId: line, outcome: 'returned', reportedAt: t2 },
            { resultId: 'bank-9', lineId: `${line}-no-such-case`, outcome: 'paid', reportedAt: t1 },
          ],
        },
      ],
    });
    expect(outcomes).toEqual(['applied', 'stale', 'duplicate', 'unknown_line']);
    const l = await pool.query('SELECT status FROM payment_lines WHERE line_id = $1', [line]);
    expect(l.rows[0].status).toBe('returned');
    expect((await ledger())[0].status).toBe('returned');
    const alert = await pool.query(`SELECT deadline_kind FROM supervision_alerts WHERE subject_id = $1`, [
      line,
    ]);
    expect(alert.rows).toEqual([{ deadline_kind: 'payment_returned' }]);
    await h.signal(paymentResultsSignal, { received: 1 });
    expect((await h.result()).stage).toBe('completed');
  });

  it('R-M1: a failed line is retried in the next payroll, then escalated after the limit; the payroll is flagged overdue while results are missing', async () => {
    await seedPolicy(pool, COUNTY, { payment: { maxAttempts: 2 } });
    const f = { caseId: 'F', villageCode: V1, months: ['2026-08'] };
    await seedCase(pool, f);
    const aug = await startPayroll('2026-08');
    await untilSent(aug);
    // The payment date is long past: the payroll is overdue while the bank has not answered.
    const v = await aug.query(payrollStateQuery);
    expect(v).toMatchObject({ overdue: true, stage: 'overdue' });
    await payAll(aug, '140802:2026-08', 'failed');
    await aug.signal(paymentResultsSignal, { received: 1 });
    await aug.result();

    await seedMonth(pool, f, '2026-09');
    const sep = await startPayroll('2026-09');
    const s = await untilSent(sep);
    expect(s.retried).toBe(1);
    const retried = await pool.query(
      `SELECT amount, months, attempt FROM payment_lines WHERE line_id = '140802:2026-09:F'`,
    );
    expect(retried.rows[0]).toEqual({ amount: '2000.00', months: '2026-08;2026-09', attempt: 2 });
    await payAll(sep, '140802:2026-09', 'failed');
    await seedMonth(pool, f, '2026-10');
    const oct = await startPayroll('2026-10');
    const o = await untilSent(oct);
    expect(o).toMatchObject({ retried: 0, escalated: 1 });
    const alert = await pool.query(
      `SELECT deadline_kind FROM supervision_alerts WHERE subject_id = '140802:2026-09:F'`,
    );
    expect(alert.rows).toEqual([{ deadline_kind: 'payment_failed' }]);
    const aug8 = (await ledger()).find((r) => r.month === '2026-08');
    expect(aug8).toMatchObject({ status: 'failed', attempts: 2, payroll_id: '140802:2026-09' });
    await sep.terminate();
    await oct.terminate();
  });

  it('R-M1: a month handed over after its payroll read the roster is paid in the next payroll, once', async () => {
    await seedPolicy(pool, COUNTY);
    const on = { caseId: 'ON', villageCode: V1, months: ['2026-09'] };
    const late = { caseId: 'LATE', villageCode: V1, months: [] as string[] };
    await seedCase(pool, on);
    await seedCase(pool, late);
    const sep = await startPayroll('2026-09');
    const s1 = await untilSent(sep);
    expect(s1.missingCases).toBe(1);
    await seedMonth(pool, late, '2026-09'); // the case's timer fired after the payroll had read
    await seedMonth(pool, late, '2026-10');
    await seedMonth(pool, on, '2026-10');
    const oct = await startPayroll('2026-10');
    await untilSent(oct);
    const line = await pool.query(
      `SELECT amount, months FROM payment_lines WHERE line_id = '140802:2026-10:LATE'`,
    );
    expect(line.rows[0]).toEqual({ amount: '2000.00', months: '2026-09;2026-10' });
    const onLine = await pool.query(`SELECT months FROM payment_lines WHERE line_id = '140802:2026-10:ON'`);
    expect(onLine.rows[0].months).toBe('2026-10'); // September was paid in September
    const twice = await startPayroll('2026-10', ':again');
    expect((await untilSent(twice)).rowsWritten).toBe(0);
    for (const h of [sep, oct, twice]) await h.terminate();
  });
});
