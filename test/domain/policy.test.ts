import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compare, mul } from '../../domain/money';
import { DEFAULT_POLICY, defaultPolicy, policyParametersSchema, selectEffective } from '../../domain/policy';

const base = {
  countyCode: '140802',
  effectiveFrom: '2025-01-01',
  standardUrban: '733.33',
  standardRural: '600.00',
};

describe('county policy parameters', () => {
  test('R-E1: defaultPolicy fills every documented default', () => {
    const p = defaultPolicy(base);
    expect(p).toMatchObject(DEFAULT_POLICY);
    expect(p).toMatchObject({
      version: '140802-2025-01-01',
      marginalFactor: '1.5', // R-E2
      rounding: { scale: 2, mode: 'half_up' }, // R-E1
      taperPayments: 6, // R-M3
      paymentStartOffsetMonths: 1, // R-A8
      review: { intervalMonths: 12, unstableIncomeIntervalMonths: 6 }, // R-M4
      spotCheck: { decisionRatio: '0.3', closeRelativeRatio: '0.6' }, // R-O2
      assetLimits: {
        financialPerCapita: { basis: 'annual_standard_multiple', multiple: '2' },
        maxVehicles: 0,
      },
      incomeExemptions: { disabledAdultWithoutWork: ['support_from_sibling', 'support_from_elderly_60plus'] }, // R-E4
    });
  });

  test('R-E6: extreme-poverty support is monthly from October 2024, quarterly before', () => {
    expect(defaultPolicy({ ...base, effectiveFrom: '2024-09-30' }).extremePoverty.paymentFrequency).toBe(
      'quarterly',
    );
    expect(defaultPolicy({ ...base, effectiveFrom: '2024-10-01' }).extremePoverty.paymentFrequency).toBe(
      'monthly',
    );
  });

  test('R-E6: the derived basic support is never below 1.3 × the standard', () => {
    const p = defaultPolicy(base);
    expect(p.extremePoverty.basicSupportUrban).toBe('953.33'); // 953.329 rounded up
    expect(p.extremePoverty.basicSupportRural).toBe('780.00');
    expect(compare(p.extremePoverty.basicSupportUrban, mul('733.33', '1.3'))).toBeGreaterThanOrEqual(0);
  });

  test('R-E5: overrides replace defaults and are validated', () => {
    const p = defaultPolicy({
      ...base,
      employmentCostDeduction: { mode: 'fixed', amountPerEarner: '200.00', kinds: ['wage', 'business'] },
      expenseDeductions: { illness: '2000.00' },
    });
    expect(p.employmentCostDeduction).toEqual({
      mode: 'fixed',
      amountPerEarner: '200.00',
      kinds: ['wage', 'business'],
    });
    expect(p.expenseDeductions).toEqual({ illness: '2000.00', disability: '500.00', schooling: '500.00' });
    expect(() =>
      defaultPolicy({
        ...base,
        employmentCostDeduction: { mode: 'fraction', fraction: '1.2', kinds: ['wage'] },
      }),
    ).toThrow();
  });

  test('R-E1: the schema refuses a bad county, date, standard or factor', () => {
    const good = defaultPolicy(base);
    const bad = (patch: object) => policyParametersSchema.safeParse({ ...good, ...patch }).success;
    expect(bad({})).toBe(true);
    expect(bad({ countyCode: '1408' })).toBe(false);
    expect(bad({ effectiveFrom: '2025-02-30' })).toBe(false);
    expect(bad({ standardUrban: '0.00' })).toBe(false);
    expect(bad({ standardRural: '-1.00' })).toBe(false);
    expect(bad({ standardRural: 600 })).toBe(false); // money is never a JS number
    expect(bad({ marginalFactor: '0.9' })).toBe(false);
    expect(bad({ spotCheck: { decisionRatio: '1.5' } })).toBe(false);
  });

  test('R-M8: selectEffective picks the latest version in force on the date', () => {
    const v2024 = defaultPolicy({ ...base, effectiveFrom: '2024-01-01' });
    const v2025 = defaultPolicy({ ...base, effectiveFrom: '2025-01-01', standardUrban: '760.00' });
    const versions = [v2025, v2024];
    expect(selectEffective(versions, '2023-12-31')).toBeUndefined();
    expect(selectEffective(versions, '2024-01-01')).toBe(v2024);
    expect(selectEffective(versions, '2024-12-31')).toBe(v2024);
    expect(selectEffective(versions, '2025-01-01')).toBe(v2025);
    expect(selectEffective(versions, '2030-06-30')).toBe(v2025);
  });

  test('R-M8: a correction with the same effective date supersedes the earlier entry', () => {
    const first = defaultPolicy({ ...base, version: 'a' });
    const correction = defaultPolicy({ ...base, version: 'b', standardUrban: '740.00' });
    expect(selectEffective([first, correction], '2025-03-01')?.version).toBe('b');
  });

  test.prop([
    fc.uniqueArray(fc.integer({ min: 0, max: 3650 }), { minLength: 1, maxLength: 8 }),
    fc.integer({ min: -10, max: 3700 }),
  ])('R-M8: the version in force does not depend on list order', (offsets, day) => {
    const date = (n: number) => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
    const versions = offsets.map((n) => ({ effectiveFrom: date(n), version: String(n) }));
    const expected = offsets.filter((n) => n <= day).sort((a, b) => b - a)[0];
    const picked = selectEffective(versions, date(day));
    expect(picked?.version).toBe(expected === undefined ? undefined : String(expected));
    expect(selectEffective([...versions].reverse(), date(day))).toBe(picked);
  });
});
