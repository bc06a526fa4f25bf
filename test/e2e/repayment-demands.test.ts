import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonthsToYearMonth, dayInMonth } from '../../domain/dates';
import { caseWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { caseCalls, createCase, month, rosteredSince, type Task } from '../helpers/e2e-cases';
import { COUNTY, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// R-M10 end to end on the dev server: offsets never leave a household below half its money; what a
// closed case cannot offset becomes a repayment demand with a notice, repaid and written off through
// the API, shown in the case's payments and in the statistics' recovery lines.
let env: ApiEnv;
let calls: ReturnType<typeof caseCalls>;
beforeAll(async () => {
  env = await startApiEnv({ sub: 'demands' });
  calls = caseCalls(env);
  await seedPolicy(env.pool, COUNTY);
});
afterAll(async () => {
  await env?.stop();
});

type Payments = {
  adjustments: { kind: string; amount: string; settledAmount: string; demandId: string | null }[];
  ledger: { kind: string; amount: string; month: string }[];
  demands: {
    demandId: string;
    amount: string;
    status: string;
    noticeId: string | null;
    outstanding: string;
  }[];
};
const county = () => env.as('county_staff', COUNTY, 'county-clerk-3');
const township = () => env.as('township_staff', TOWNSHIP);
const payments = async (id: string): Promise<Payments> =>
  (await env.api.inject({ url: `/v1/cases/${id}/payments`, headers: county() })).json();

describe('repayment demands (dev server)', () => {
  it('R-M10: a recovery on a case in benefit is offset by the payroll, never below half the household money; the rest stays open for later payments', async () => {
    const c = await createCase(env, VILLAGE, 3);
    const died = await calls.post(`/v1/cases/${c.caseId}/deaths`, township(), {
      noticeId: `staff-${c.caseId}`,
      idNumber: c.ids[2],
      diedOn: dayInMonth(c.startMonth, 2),
    });
    expect(died.statusCode).toBe(202);
    const review = await calls.taskOf(c.caseId, (t: Task) => t.kind === 'death_review');
    const res = await calls.post(`/v1/cases/${c.caseId}/reviews/${review.taskId}`, county(), {
      outcome: 'adjust',
      monthlyAmount: '100.00',
      fromMonth: c.startMonth,
      reasons: 'two persons left, income from a pension',
    });
    expect(res.statusCode).toBe(200);
    // 900.00 for each month rostered from last month on (this month too once its cut-off passed).
    const recovered = rosteredSince(res.json(), c.startMonth);
    const recovery = await until(
      async () => (await payments(c.caseId)).adjustments.find((a) => a.kind === 'recovery'),
      'the recovery',
    );
    expect(recovery.amount).toBe((900 * recovered.length).toFixed(2));
    // The payroll of the month paid at 1000.00 offsets at most 500.00 of it.
    const start = await calls.post('/v1/payrolls', county(), { countyCode: COUNTY, month: c.startMonth });
    expect(start.statusCode).toBe(202);
    const offset = await until(
      async () => (await payments(c.caseId)).ledger.find((l) => l.kind === 'recovery_offset'),
      'the offset',
    );
    const p = await payments(c.caseId);
    const regular = p.ledger.filter((l) => l.kind === 'regular' && l.month === c.startMonth);
    expect(regular.map((l) => l.amount)).toEqual(['1000.00']);
    expect(offset.amount).toBe('-500.00');
    expect(p.adjustments.find((a) => a.kind === 'recovery')).toMatchObject({
      settledAmount: '500.00',
      demandId: null,
    });
    expect(p.demands).toEqual([]);
  });

  it('R-M10 R-M2: a one-person case closed by a death before admission — the demand, its notice, a repayment, a refused over-payment and a write-off through the API; the recovery lines count them', async () => {
    const c = await createCase(env, VILLAGE, 1);
    const died = await calls.post(`/v1/cases/${c.caseId}/deaths`, township(), {
      noticeId: `staff-${c.caseId}`,
      idNumber: c.ids[0],
      diedOn: dayInMonth(addMonthsToYearMonth(c.startMonth, -1), 10),
    });
    expect(died.statusCode).toBe(202);
    const demand = await until(async () => (await payments(c.caseId)).demands[0], 'the demand');
    expect(demand).toMatchObject({ demandId: `D-${c.caseId}-1`, status: 'open' });
    // R-M2: a death before admission recovers every month paid, from the first: 1000.00 each.
    const view = await calls.caseView(c.caseId);
    expect(demand.amount).toBe((1000 * rosteredSince(view, c.startMonth).length).toFixed(2));
    const owed = demand.amount;
    // Nothing of it is left for a payroll to offset (the demand took the recoveries over).
    const adjustments = (await payments(c.caseId)).adjustments.filter((a) => a.kind === 'recovery');
    expect(adjustments.every((a) => a.demandId === demand.demandId)).toBe(true);
    const noticeId = await until(async () => (await payments(c.caseId)).demands[0]?.noticeId, 'the notice');
    const notice = await env.api.inject({ url: `/v1/notices/${noticeId}`, headers: county() });
    expect(notice.json()).toMatchObject({
      kind: 'repayment_demand',
      details: { demandId: demand.demandId, amount: owed },
    });
    expect(notice.json().reasons).toContain(owed);

    const url = `/v1/cases/${c.caseId}/demands/${demand.demandId}`;
    const paidOn = dayInMonth(month(), 1);
    const before = await calls.count('repayment_demands');
    expect(
      (await calls.post(`${url}/repayments`, township(), { amount: '1.00', paidOn, reference: 'r' }))
        .statusCode,
    ).toBe(403);
    const over = await calls.post(`${url}/repayments`, county(), {
      amount: '99999.00',
      paidOn,
      reference: 'bank 77',
    });
    expect(over.statusCode).toBe(422);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(
      (await calls.post(`${url}/repayments`, county(), { amount: '-1', paidOn, reference: 'x' })).statusCode,
    ).toBe(400);
    const key = { ...county(), 'idempotency-key': `repay-${c.caseId}` };
    const paid = await calls.post(`${url}/repayments`, key, {
      amount: '300.00',
      paidOn,
      reference: 'bank 78',
    });
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'open', repaid: '300.00' });
    const again = await calls.post(`${url}/repayments`, key, {
      amount: '300.00',
      paidOn,
      reference: 'bank 78',
    });
    expect(again.json()).toMatchObject({ repaid: '300.00' });
    const off = await calls.post(`${url}/write-off`, county(), {
      decidedOn: paidOn,
      decisionRef: '县民政局〔2026〕31号',
      reasons: 'no estate to repay from',
    });
    expect(off.statusCode).toBe(200);
    const left = (Number(owed) - 300).toFixed(2);
    expect(off.json()).toMatchObject({ status: 'written_off', repaid: '300.00', writtenOff: left });
    expect(off.json().steps.map((s: { by: { sub: string } }) => s.by.sub)).toEqual([
      'county-clerk-3',
      'county-clerk-3',
    ]);
    expect(await calls.count('repayment_demands')).toBe(before);
    const closedAgain = await calls.post(`${url}/repayments`, county(), {
      amount: '1.00',
      paidOn,
      reference: 'late',
    });
    expect(closedAgain.statusCode).toBe(409);

    const shown = (await payments(c.caseId)).demands[0];
    expect(shown).toMatchObject({ status: 'written_off', outstanding: '0.00' });
    // The case ends once nothing is owed.
    await until(
      async () =>
        (await env.client.workflow.getHandle(caseWorkflowId(c.caseId)).describe()).status.name ===
        'COMPLETED',
      'the case workflow ends',
    );
    const report = await env.api.inject({
      url: `/v1/reports/payments?region=${COUNTY}&month=${month()}`,
      headers: env.as('supervisor', COUNTY),
    });
    expect(report.statusCode).toBe(200);
    expect(report.json().recoveries.demands).toEqual({
      issued: { count: 1, amount: owed },
      repaid: '300.00',
      writtenOff: left,
      open: { count: 0, amount: '0.00' },
    });
  });
});
