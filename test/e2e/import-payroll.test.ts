import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { importedCaseId } from '../../domain/caseload-import';
import { civilDateOf, startOfCivilDay } from '../../domain/dates';
import { firstMonthToRoster, rosterCutoff } from '../../domain/entitlement';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY_CODE, households, reviewMonthAhead, toCsv } from '../helpers/caseload';
import { testIdKeys } from '../helpers/env';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

// An imported case and the payroll (R-M1): the roster cut-off is real workflow time, so this runs on
// the time-skipping server through the HTTP API, with the real worker, activities and Postgres.

let ts: TestWorkflowEnvironment;
let env: ApiEnv;

beforeAll(async () => {
  ts = await createTimeSkippingEnv();
  env = await startApiEnv({ timeSkipping: ts, sub: 'import-pay' });
  const res = await env.api.inject({
    method: 'PUT',
    url: '/v1/admin/standards',
    headers: env.as('admin', '14'),
    payload: {
      countyCode: COUNTY_CODE,
      effectiveFrom: '2020-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    },
  });
  expect(res.statusCode).toBe(200);
}, 120_000);

afterAll(async () => {
  await env?.stop();
  await ts?.teardown();
});

const rows = async (sql: string, args: unknown[]) => (await env.pool.query(sql, args)).rows;

describe('imported cases and the payroll (time-skipping server)', () => {
  it('R-M1: an imported case hands the next payroll its first month only, and that payroll pays it with no back-pay for earlier months', async () => {
    const hh = households(1, {
      size: 3,
      amount: '704.30',
      startMonth: '2022-01',
      nextReview: reviewMonthAhead(6),
    });
    const res = await env.api.inject({
      method: 'POST',
      url: `/v1/imports/cases?countyCode=${COUNTY_CODE}`,
      headers: { ...env.as('admin', COUNTY_CODE), 'content-type': 'text/csv' },
      payload: toCsv(hh),
    });
    expect(res.statusCode).toBe(202);
    const importId = res.json().importId as string;
    const caseId = importedCaseId(testIdKeys(), COUNTY_CODE, hh[0]!.key);
    await until(
      async () => {
        const r = await rows('SELECT revision FROM cases WHERE case_id = $1', [caseId]);
        return r[0]?.revision > 0 ? true : undefined;
      },
      'the imported case saved',
      { tries: 300, everyMs: 200 },
    );
    const p = await env.api.inject({ url: `/v1/imports/${importId}`, headers: env.as('admin', COUNTY_CODE) });
    expect(p.json()).toMatchObject({ status: 'completed', created: 1 });

    const today = civilDateOf(new Date(await ts.currentTimeMs()));
    const cal = WorkingCalendar.builtin();
    const first = firstMonthToRoster(cal, today, '2022-01');
    expect(await rows('SELECT month FROM case_months WHERE case_id = $1', [caseId])).toEqual([]);
    // Workflow time moves to the day after the first month's roster cut-off.
    const cutoff = startOfCivilDay(rosterCutoff(cal, first)).getTime();
    await ts.sleep(cutoff - (await ts.currentTimeMs()) + 24 * 3_600_000);
    const months = await until(
      async () => {
        const r = await rows('SELECT month, amount, persons, status FROM case_months WHERE case_id = $1', [
          caseId,
        ]);
        return r.length ? r : undefined;
      },
      'the first month rostered',
      { tries: 300, everyMs: 200 },
    );
    expect(months).toEqual([{ month: first, amount: '704.30', persons: 3, status: 'regular' }]);

    const start = await env.api.inject({
      method: 'POST',
      url: '/v1/payrolls',
      headers: env.as('county_staff', COUNTY_CODE),
      payload: { countyCode: COUNTY_CODE, month: first },
    });
    expect(start.statusCode).toBe(202);
    const ledger = await until(
      async () => {
        const r = await rows('SELECT month, kind, amount FROM ledger WHERE case_id = $1', [caseId]);
        return r.length ? r : undefined;
      },
      'the ledger written',
      { tries: 300, everyMs: 200 },
    );
    expect(ledger).toEqual([{ month: first, kind: 'regular', amount: '704.30' }]);
    expect(await rows('SELECT adjustment_key FROM case_adjustments WHERE case_id = $1', [caseId])).toEqual(
      [],
    );
  }, 240_000);
});
