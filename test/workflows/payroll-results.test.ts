import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { paymentResultsUpdate, payrollStateQuery } from '../../workflows/contracts';
import { COUNTY, usePayrollEnv } from '../helpers/payroll-env';
import { seedCase, seedMonth, seedPolicy } from '../helpers/seed';

// The bank's results (R-M1) applied by the payroll itself, through its Update: once each, in the
// bank's order, failed lines retried then escalated, and a late result after the payroll completed
// applied by a results-only run of the same payroll.

const V1 = '140802101201';
const t = usePayrollEnv();
const { startPayroll, untilSent, payAll, ledger } = t;

describe('bank results through the payroll (time-skipping + Postgres)', () => {
  it('R-M1: bank results sent twice and out of order apply once and in the bank’s order', async () => {
    await seedPolicy(t.pool, COUNTY);
    await seedCase(t.pool, { caseId: 'R', villageCode: V1, months: ['2026-09'] });
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
    const l = await t.pool.query('SELECT status FROM payment_lines WHERE line_id = $1', [line]);
    expect(l.rows[0].status).toBe('returned');
    expect((await ledger())[0].status).toBe('returned');
    const alert = await t.pool.query(`SELECT deadline_kind FROM supervision_alerts WHERE subject_id = $1`, [
      line,
    ]);
    expect(alert.rows).toEqual([{ deadline_kind: 'payment_returned' }]);
    // The Update itself wakes the payroll (no signal needed): every line answered, it completes.
    expect((await h.result()).stage).toBe('completed');
  });

  it('R-M1: a failed line is retried in the next payroll, then escalated after the limit; the payroll is flagged overdue while results are missing', async () => {
    await seedPolicy(t.pool, COUNTY, { payment: { maxAttempts: 2 } });
    const f = { caseId: 'F', villageCode: V1, months: ['2026-08'] };
    await seedCase(t.pool, f);
    const aug = await startPayroll('2026-08');
    await untilSent(aug);
    // The payment date is long past: the payroll is overdue while the bank has not answered.
    const v = await aug.query(payrollStateQuery);
    expect(v).toMatchObject({ overdue: true, stage: 'overdue' });
    await payAll(aug, '140802:2026-08', 'failed');
    await aug.result();

    await seedMonth(t.pool, f, '2026-09');
    const sep = await startPayroll('2026-09');
    const s = await untilSent(sep);
    expect(s.retried).toBe(1);
    const retried = await t.pool.query(
      `SELECT amount, months, attempt FROM payment_lines WHERE line_id = '140802:2026-09:F'`,
    );
    expect(retried.rows[0]).toEqual({ amount: '2000.00', months: '2026-08;2026-09', attempt: 2 });
    await payAll(sep, '140802:2026-09', 'failed');
    await seedMonth(t.pool, f, '2026-10');
    const oct = await startPayroll('2026-10');
    const o = await untilSent(oct);
    expect(o).toMatchObject({ retried: 0, escalated: 1 });
    const alert = await t.pool.query(
      `SELECT deadline_kind FROM supervision_alerts WHERE subject_id = '140802:2026-09:F'`,
    );
    expect(alert.rows).toEqual([{ deadline_kind: 'payment_failed' }]);
    const aug8 = (await ledger()).find((r) => r.month === '2026-08');
    expect(aug8).toMatchObject({ status: 'failed', attempts: 2, payroll_id: '140802:2026-09' });
    // The Update wakes the payroll at once: every line answered (failed), it completes.
    expect((await sep.result()).stage).toBe('completed');
    await oct.terminate();
  });

  it('R-M1: a result for a line of another payroll is refused before anything is written', async () => {
    await seedPolicy(t.pool, COUNTY);
    await seedCase(t.pool, { caseId: 'X', villageCode: V1, months: ['2026-09'] });
    const h = await startPayroll('2026-09');
    await untilSent(h);
    const update = h.executeUpdate(paymentResultsUpdate, {
      args: [
        {
          results: [
            {
              resultId: 'x1',
              lineId: '140802:2026-08:X',
              outcome: 'paid',
              reportedAt: '2026-09-10T02:00:00Z',
            },
          ],
        },
      ],
    });
    await expect(update).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const seen = await t.pool.query('SELECT count(*)::int AS n FROM payment_results');
    expect(seen.rows[0].n).toBe(0);
    const l = await t.pool.query(`SELECT status FROM payment_lines WHERE line_id = '140802:2026-09:X'`);
    expect(l.rows[0].status).toBe('sent');
    await h.terminate();
  });

  it('R-M1: a return after the payroll completed is applied by a results-only run, never lost', async () => {
    await seedPolicy(t.pool, COUNTY);
    await seedCase(t.pool, { caseId: 'L', villageCode: V1, months: ['2026-09'] });
    const h = await startPayroll('2026-09');
    await untilSent(h);
    await payAll(h, '140802:2026-09');
    expect(await h.result()).toMatchObject({ stage: 'completed', lines: { paid: 1 } });
    // The same workflow id, a new run that only applies what the bank sends now.
    const late = await startPayroll('2026-09', '', { resultsOnly: true });
    const outcomes = await late.executeUpdate(paymentResultsUpdate, {
      args: [
        {
          results: [
            {
              resultId: 'r1',
              lineId: '140802:2026-09:L',
              outcome: 'returned',
              reportedAt: new Date(Date.now() + 86_400_000).toISOString(),
            },
          ],
        },
      ],
    });
    expect(outcomes).toEqual(['applied']);
    expect(await late.result()).toMatchObject({ stage: 'completed', lines: { returned: 1 } });
    expect((await ledger()).map((r) => r.status)).toEqual(['returned']);
    expect((await late.query(payrollStateQuery)).file).toMatchObject({ lines: 1, amount: '1000.00' });
    const alert = await t.pool.query(
      `SELECT deadline_kind FROM supervision_alerts WHERE subject_id = '140802:2026-09:L'`,
    );
    expect(alert.rows).toEqual([{ deadline_kind: 'payment_returned' }]);
    // The results-only run wrote no roster and no second file.
    const history = await late.fetchHistory();
    const types = (history.events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes
        ? [e.activityTaskScheduledEventAttributes.activityType?.name]
        : [],
    );
    expect(types).not.toContain('rosterPage');
    expect(types).not.toContain('writeBankFile');
  });

  it('R-M1: a long wait for results continues as new as a results-only run of the same payroll, which completes it', async () => {
    await seedPolicy(t.pool, COUNTY);
    await seedCase(t.pool, { caseId: 'N', villageCode: V1, months: ['2026-09'] });
    const h = await startPayroll('2026-09', '', { continueAsNewAfter: 1 });
    await untilSent(h);
    expect(await payAll(h, '140802:2026-09')).toEqual(['applied']);
    expect(await h.result()).toMatchObject({ stage: 'completed', lines: { paid: 1 } });
    const first = await t.env.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId).fetchHistory();
    const last = first.events?.at(-1);
    expect(last?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect((await ledger()).map((r) => `${r.case_id} ${r.status}`)).toEqual(['N paid']);
  });
});
