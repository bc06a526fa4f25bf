import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseActivities } from '../../activities/cases';
import { approvedCase } from '../helpers/case-rows';
import { freshDatabase } from '../helpers/db';
import { policy, VILLAGE } from '../helpers/fixtures';

// The case workflow's records against the private Postgres cluster: months, rates, adjustments,
// filings and death notices, each written once however often Temporal retries the activity.
let db: Awaited<ReturnType<typeof freshDatabase>>;
let acts: ReturnType<typeof caseActivities>;
beforeAll(async () => {
  db = await freshDatabase();
  acts = caseActivities({ pool: db.pool });
});
afterAll(async () => {
  await db?.drop();
});

const count = async (sql: string, params: unknown[]) =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n as number;

describe('case records (Postgres)', () => {
  it('R-M1: a rostered month is recorded once however often the activity is retried', async () => {
    const input = await approvedCase(db.pool);
    const caseId = input.applicationId;
    const month = {
      caseId,
      villageCode: VILLAGE,
      category: 'dibao' as const,
      residence: 'rural' as const,
      month: { month: '2026-03', amount: '1000.00', persons: 2, status: 'regular' as const },
      rosteredOn: '2026-03-05',
      parameterVersion: policy().version,
    };
    await acts.recordMonth(month);
    await acts.recordMonth(month);
    await acts.recordMonth({ ...month, month: { ...month.month, amount: '999.00' } }); // same month: no change
    const { rows } = await db.pool.query(
      `SELECT month, county_code, township_code, amount, persons, status, rostered_on FROM case_months
       WHERE case_id = $1`,
      [caseId],
    );
    expect(rows).toEqual([
      {
        month: '2026-03',
        county_code: '140802',
        township_code: '140802101',
        amount: '1000.00',
        persons: 2,
        status: 'regular',
        rostered_on: '2026-03-05',
      },
    ]);
  });

  it('R-M8: a rate entry is recorded once per key', async () => {
    const input = await approvedCase(db.pool);
    const caseId = input.applicationId;
    const rate = {
      caseId,
      entry: {
        key: `${caseId}:2026-07:standard`,
        fromMonth: '2026-07',
        monthlyAmount: '1100.00',
        persons: 2,
        reason: 'standard raised (R-M8)',
        parameterVersion: '140802-2026-07-01',
      },
      recordedOn: '2026-07-02',
    };
    await acts.recordRate(rate);
    await acts.recordRate(rate);
    const { rows } = await db.pool.query(
      'SELECT effective_month, monthly_amount, parameter_version FROM entitlements WHERE case_id = $1 ORDER BY 1',
      [caseId],
    );
    expect(rows).toEqual([
      { effective_month: '2026-03', monthly_amount: '1000.00', parameter_version: expect.any(String) },
      { effective_month: '2026-07', monthly_amount: '1100.00', parameter_version: '140802-2026-07-01' },
    ]);
  });

  it('R-M2 R-M8: an adjustment is recorded once per key and never with an amount of zero or less', async () => {
    const input = await approvedCase(db.pool);
    const caseId = input.applicationId;
    const adjustment = {
      key: `${caseId}:back_pay:2026-07`,
      kind: 'back_pay' as const,
      amount: '200.00',
      months: ['2026-07', '2026-08'],
      reason: 'standard raised (R-M8)',
      on: '2026-08-12',
      parameterVersion: '140802-2026-07-01',
    };
    const args = { caseId, villageCode: VILLAGE, category: 'dibao' as const, adjustment };
    await acts.recordAdjustment(args);
    await acts.recordAdjustment(args);
    const { rows } = await db.pool.query(
      `SELECT kind, amount, months, decided_on, settled_amount, county_code FROM case_adjustments
       WHERE case_id = $1`,
      [caseId],
    );
    expect(rows).toEqual([
      {
        kind: 'back_pay',
        amount: '200.00',
        months: ['2026-07', '2026-08'],
        decided_on: '2026-08-12',
        settled_amount: '0.00',
        county_code: '140802',
      },
    ]);
    for (const amount of ['0.00', '-5.00']) {
      await expect(
        acts.recordAdjustment({ ...args, adjustment: { ...adjustment, key: `${caseId}:${amount}`, amount } }),
      ).rejects.toMatchObject({ type: 'InvalidStep', nonRetryable: true });
    }
    expect(await count('case_adjustments WHERE case_id = $1', [caseId])).toBe(1);
  });

  it('R-M2 R-O6: the case records a death notice it received (the one writer): case, outcome, reporter; a retry is one row', async () => {
    const notice = {
      noticeId: 'DN-2',
      idNumber: '140802196503120011',
      diedOn: '2026-04-04',
      source: 'staff' as const,
      receivedOn: '2026-04-05',
      reportedBy: { sub: 'clerk-7', role: 'township_staff' as const, region: '140802101' },
    };
    await acts.recordDeathNotice({ caseId: 'C-2', notice, outcome: 'applied' });
    await acts.recordDeathNotice({ caseId: 'C-2', notice, outcome: 'applied' });
    const { rows } = await db.pool.query(
      `SELECT notice_id, id_number, died_on, source, case_id, outcome, reported_by FROM death_notices
       WHERE notice_id = 'DN-2'`,
    );
    expect(rows).toEqual([
      {
        notice_id: 'DN-2',
        id_number: notice.idNumber,
        died_on: '2026-04-04',
        source: 'staff',
        case_id: 'C-2',
        outcome: 'applied',
        reported_by: 'clerk-7',
      },
    ]);
  });
});
