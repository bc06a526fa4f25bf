import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { civilDateOf, yearOf } from '../../domain/dates';
import { paymentDate, rosterDate } from '../../domain/deadlines';
import { payrollWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { firstWeekdaysOf, unpublishedYear } from '../helpers/calendar';
import { seedPolicy } from '../helpers/seed';

// R-M1 R-T2: a payroll of a month whose year has no published calendar shows its roster and payment
// dates as provisional (Monday–Friday); when the year's calendar arrives, the waiting payroll
// recomputes them and waits for the new roster date. The year is one the shipped calendar does not
// know and that has not begun (whichever years the installed package ships); what the test expects is
// computed on the calendar, not written down.

const COUNTY = '140802';
const YEAR = unpublishedYear(yearOf(civilDateOf(new Date())) + 1);
const MONTH = `${YEAR}-01`;
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
    const builtin = WorkingCalendar.builtin();
    const dates = (cal: WorkingCalendar) => {
      const [roster, payment] = [rosterDate(cal, MONTH), paymentDate(cal, MONTH)];
      return {
        rosterDate: roster.date,
        paymentDate: payment.date,
        datesProvisional: roster.provisional || payment.provisional,
      };
    };
    expect(dates(builtin).datesProvisional).toBe(true);
    expect(before).toMatchObject(dates(builtin));

    // Published with the first working days of January as holidays: the roster moves into December.
    const published = { holidays: firstWeekdaysOf(YEAR, 5), makeUpWorkdays: [] };
    const expected = dates(builtin.withYear({ year: YEAR, ...published, source: 'runtime' }));
    expect(expected.rosterDate < `${YEAR}-01-01`).toBe(true);
    const put = await env.api.inject({
      method: 'PUT',
      url: `/v1/admin/calendar/${YEAR}`,
      headers: env.as('admin', '14'),
      payload: published,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().payrollsSignalled).toBeGreaterThanOrEqual(1);
    const after = await until(async () => {
      const v = await view();
      return v.rosterDate === expected.rosterDate && v;
    }, 'the dates recomputed');
    expect(after).toMatchObject(expected);
  });
});
