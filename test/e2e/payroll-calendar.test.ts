import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payrollWorkflowId } from '../../workflows/messages';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { seedPolicy } from '../helpers/seed';

// R-M1 R-T2: a payroll of a month whose year has no published calendar shows its roster and payment
// dates as provisional (Monday–Friday); when the year's calendar arrives, the waiting payroll
// recomputes them and waits for the new roster date.

const COUNTY = '140802';
const MONTH = '2027-01';
let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({ sub: 'paycal' });
  await seedPolicy(env.pool, COUNTY);
});
afterAll(async () => {
  await env?.client.workflow
    .getHandle(payrollWorkflowId(COUNTY, MONTH))
    .terminate('test over')
    .catch(() => {});
  await env?.stop();
});

type View = { rosterDate: string; paymentDate: string; datesProvisional?: boolean };

describe('payroll dates of a year not yet published', () => {
  it('R-M1 R-T2: provisional until the calendar arrives, then recomputed (holidays move the roster into the old year)', async () => {
    const county = env.as('county_staff', COUNTY);
    const started = await env.api.inject({
      method: 'POST',
      url: '/v1/payrolls',
      headers: county,
      payload: { countyCode: COUNTY, month: MONTH },
    });
    expect(started.statusCode).toBe(202);
    const view = async () =>
      (await env.api.inject({ url: `/v1/payrolls/${COUNTY}/${MONTH}`, headers: county })).json() as View;
    const before = await until(async () => {
      const v = await view();
      return v.datesProvisional !== undefined && v;
    }, 'the payroll view from the workflow');
    expect(before).toMatchObject({
      rosterDate: '2027-01-05',
      paymentDate: '2027-01-08',
      datesProvisional: true,
    });

    const published = await env.api.inject({
      method: 'PUT',
      url: '/v1/admin/calendar/2027',
      headers: env.as('admin', '14'),
      payload: { holidays: ['2027-01-01', '2027-01-04', '2027-01-05', '2027-01-08'], makeUpWorkdays: [] },
    });
    expect(published.statusCode).toBe(200);
    expect(published.json().payrollsSignalled).toBeGreaterThanOrEqual(1);
    const after = await until(async () => {
      const v = await view();
      return v.datesProvisional === false && v;
    }, 'the dates recomputed');
    expect(after).toMatchObject({
      rosterDate: '2026-12-31',
      paymentDate: '2027-01-07',
      datesProvisional: false,
    });
  });
});
