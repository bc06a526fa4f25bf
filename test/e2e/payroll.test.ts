import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateOf, monthOf } from '../../domain/dates';
import { ensurePayrollSchedule, PAYROLL_SCHEDULE_ID } from '../../worker/schedules';
import { payrollStateQuery, payrollWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { seedCase, seedPolicy } from '../helpers/seed';

// The payroll end to end on the dev server: the monthly Temporal Schedule, a payroll started by
// hand through the API, the bank file, the bank's results and the case's payments view (R-M1).

const COUNTY = '140802';
type PayrollJson = { file?: { amount: string; lines: number }; lines: Record<string, number>; stage: string };
const V1 = '140802101201';
let env: ApiEnv;
let api: ApiEnv['api'];
let pool: ApiEnv['pool'];
let client: ApiEnv['client'];

beforeAll(async () => {
  env = await startApiEnv({ sub: 'pay' });
  ({ api, pool, client } = env);
  await seedPolicy(pool, COUNTY);
  const thisMonth = monthOf(civilDateOf(new Date()));
  for (const id of ['P1', 'P2'])
    await seedCase(pool, { caseId: id, villageCode: V1, amount: '987.65', months: ['2026-09', thisMonth] });
});

afterAll(async () => {
  await client?.schedule
    .getHandle(PAYROLL_SCHEDULE_ID)
    .delete()
    .catch(() => {});
  await env?.stop();
});

const as = (role: string, region: string) => env.as(role, region);

describe('payroll through the API and the schedule (dev server)', () => {
  it('R-M1: the monthly schedule (01:00 on the 1st, Asia/Shanghai) starts a payroll for each county with open cases', async () => {
    expect(await ensurePayrollSchedule(client, env.taskQueue)).toBe('created');
    expect(await ensurePayrollSchedule(client, env.taskQueue)).toBe('exists');
    const handle = client.schedule.getHandle(PAYROLL_SCHEDULE_ID);
    const d = await handle.describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }] });
    await handle.trigger();
    const month = monthOf(civilDateOf(new Date()));
    const view = await until(
      () => client.workflow.getHandle(payrollWorkflowId(COUNTY, month)).query(payrollStateQuery),
      'the scheduled payroll',
    );
    expect(view).toMatchObject({ countyCode: COUNTY, month });
  });

  it('R-M1: a payroll started by hand writes the ledger and the bank file; bank results (good, repeated, unknown, bad) complete it', async () => {
    const body = { countyCode: COUNTY, month: '2026-09' };
    const county = as('county_staff', COUNTY);
    const start = await api.inject({ method: 'POST', url: '/v1/payrolls', headers: county, payload: body });
    expect(start.statusCode).toBe(202);
    expect(start.json()).toMatchObject({ payrollId: `${COUNTY}:2026-09`, started: true });
    const again = await api.inject({ method: 'POST', url: '/v1/payrolls', headers: county, payload: body });
    expect(again.json().started).toBe(false); // one payroll per county and month
    const other = await api.inject({
      method: 'POST',
      url: '/v1/payrolls',
      headers: as('county_staff', '140821'),
      payload: body,
    });
    expect(other.statusCode).toBe(403);
    // A township-level caller does not act for its whole county (the same reach rule as the standards).
    const township = await api.inject({
      method: 'POST',
      url: '/v1/payrolls',
      headers: as('county_staff', '140802101'),
      payload: body,
    });
    expect(township.statusCode).toBe(403);

    const sent = await until(async (): Promise<PayrollJson | undefined> => {
      const r = await api.inject({ url: `/v1/payrolls/${COUNTY}/2026-09`, headers: county });
      return r.json().file ? r.json() : undefined;
    }, 'the bank file');
    expect(sent).toMatchObject({ rosterDate: '2026-09-04', paymentDate: '2026-09-10', file: { lines: 2 } });
    expect(sent.file?.amount).toBe('1975.30');
    const file = await api.inject({ url: `/v1/payrolls/${COUNTY}/2026-09/file`, headers: county });
    expect(file.headers['content-type']).toContain('text/csv');
    const lines = file.body.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^140802:2026-09:P1,\d{17}[\dX],张三,987\.65,2026-09$/);

    const bank = as('integration', COUNTY);
    const at = '2026-09-10T03:00:00Z';
    const results = await api.inject({
      method: 'POST',
      url: '/v1/integrations/payment-results',
      headers: bank,
      payload: {
        results: [
          { resultId: 'b1', lineId: `${COUNTY}:2026-09:P1`, outcome: 'paid', reportedAt: at },
          { resultId: 'b1', lineId: `${COUNTY}:2026-09:P1`, outcome: 'paid', reportedAt: at },
          { resultId: 'b2', lineId: `${COUNTY}:2026-09:P2`, outcome: 'paid', reportedAt: at },
          { resultId: 'b3', lineId: `${COUNTY}:2026-09:NOPE`, outcome: 'paid', reportedAt: at },
          { resultId: 'b4', lineId: `${COUNTY}:2026-09:P2`, outcome: 'lost' },
        ],
      },
    });
    expect(results.statusCode).toBe(200);
    expect(results.json().results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'applied',
      'duplicate',
      'applied',
      'unknown_line',
      'invalid',
    ]);
    const done = await until(async (): Promise<PayrollJson | undefined> => {
      const r = await api.inject({ url: `/v1/payrolls/${COUNTY}/2026-09`, headers: county });
      return r.json().stage === 'completed' ? r.json() : undefined;
    }, 'the payroll to complete');
    expect(done.lines).toEqual({ paid: 2 });
    const payments = await api.inject({
      url: '/v1/cases/P1/payments',
      headers: as('township_staff', '140802101'),
    });
    expect(payments.statusCode).toBe(200);
    const september = payments.json().ledger.filter((l: { month: string }) => l.month === '2026-09');
    expect(september).toEqual([
      expect.objectContaining({ month: '2026-09', kind: 'regular', amount: '987.65', status: 'paid' }),
    ]);
    // R-O5: the month's statistics reconcile with the ledger.
    const report = await api.inject({
      url: `/v1/reports/payments?region=${COUNTY}&month=2026-09`,
      headers: as('supervisor', COUNTY),
    });
    expect(report.statusCode).toBe(200);
    expect(JSON.stringify(report.json())).toContain('1975.30');
  });

  it('R-M1: a return after the payroll completed is applied by the payroll (a results-only run), never lost', async () => {
    const bank = as('integration', COUNTY);
    const late = await api.inject({
      method: 'POST',
      url: '/v1/integrations/payment-results',
      headers: bank,
      payload: {
        results: [
          {
            resultId: 'b9',
            lineId: `${COUNTY}:2026-09:P2`,
            outcome: 'returned',
            reason: 'account closed',
            reportedAt: '2026-10-02T03:00:00Z',
          },
          // No payroll of that month: nothing is started by a bank message.
          {
            resultId: 'b10',
            lineId: `${COUNTY}:2026-03:P2`,
            outcome: 'paid',
            reportedAt: '2026-10-02T03:00:00Z',
          },
        ],
      },
    });
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json().results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'applied',
      'unknown_line',
    ]);
    const line = await pool.query(`SELECT status FROM payment_lines WHERE line_id = $1`, [
      `${COUNTY}:2026-09:P2`,
    ]);
    expect(line.rows[0].status).toBe('returned');
    const march = await client.workflow
      .getHandle(`payroll:${COUNTY}:2026-03`)
      .describe()
      .catch(() => undefined);
    expect(march).toBeUndefined();
    const done = await until(
      async (): Promise<PayrollJson | undefined> => {
        const r = await api.inject({
          url: `/v1/payrolls/${COUNTY}/2026-09`,
          headers: as('county_staff', COUNTY),
        });
        return r.json().lines?.returned === 1 ? r.json() : undefined;
        // A results-only run of the completed payroll: a new run and its activity, slow on a busy machine.
      },
      'the returned line in the payroll view',
      { tries: 600 },
    );
    expect(done.lines).toEqual({ paid: 1, returned: 1 });
    expect(done.file).toMatchObject({ lines: 2, amount: '1975.30' }); // the first run's file, still shown
  });
});
