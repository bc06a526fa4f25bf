import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { compareDates } from '../../domain/dates';
import { add, compare } from '../../domain/money';
import { temporaryAssistanceLimitsSchema } from '../../domain/policy';
import {
  decidingLevel,
  defaultTemporaryAssistanceLimits,
  documentationDue,
  hardshipProblem,
} from '../../domain/temporary-assistance';

const limits = { perGrant: '1000.00', perHouseholdYear: '3000.00' };
const cal = WorkingCalendar.builtin();

describe('temporary assistance rules (R-A10)', () => {
  it('R-A10: the township decides a grant within its per-grant limit and the household’s yearly limit', () => {
    expect(decidingLevel('1000.00', '0', limits)).toEqual({ level: 'township' });
    expect(decidingLevel('1000.00', '2000.00', limits)).toEqual({ level: 'township' });
  });

  it('R-A10: above the per-grant limit the county decides', () => {
    expect(decidingLevel('1000.01', '0', limits)).toEqual({ level: 'county', reason: 'per_grant' });
  });

  it('R-A10: repeated grants to one household within the year respect the yearly limit', () => {
    expect(decidingLevel('500.00', '2600.00', limits)).toEqual({
      level: 'county',
      reason: 'per_household_year',
    });
  });

  test.prop([
    fc.integer({ min: 1, max: 500_000 }).map((f) => (f / 100).toFixed(2)),
    fc.integer({ min: 0, max: 1_000_000 }).map((f) => (f / 100).toFixed(2)),
  ])('R-A10: the township never decides a grant that would pass either limit', (amount, before) => {
    const { level } = decidingLevel(amount, before, limits);
    const within =
      compare(amount, limits.perGrant) <= 0 && compare(add(before, amount), limits.perHouseholdYear) <= 0;
    expect(level === 'township').toBe(within);
  });

  it('R-A10: a county without limits leaves every grant to the county; documentation within 5 working days', () => {
    const d = defaultTemporaryAssistanceLimits('140802');
    expect(decidingLevel('0.01', '0', d).level).toBe('county');
    expect(d.documentationWorkingDays).toBe(5);
  });

  it('R-A10 R-T1: documentation is due 5 working days after the decision (Friday → next Friday), at risk 2 before', () => {
    // 2026-03-06 is a Friday with no holiday in the next week.
    const { due, atRiskOn } = documentationDue(cal, '2026-03-06', {
      documentationWorkingDays: 5,
      documentationAtRiskWorkingDays: 2,
    });
    expect(due.date).toBe('2026-03-13');
    expect(atRiskOn).toBe('2026-03-11');
  });

  it('R-A10 R-T2: working days skip the statutory holiday (decided before the National Day week)', () => {
    const { due } = documentationDue(cal, '2026-09-30', {
      documentationWorkingDays: 5,
      documentationAtRiskWorkingDays: 0,
    });
    expect(due.date).toBe(cal.addWorkingDays('2026-09-30', 5).date);
    expect(compareDates(due.date, '2026-10-08')).toBeGreaterThan(0);
  });

  it('R-A10: uninsured unemployment qualifies after 3 months without income, without insurance', () => {
    expect(hardshipProblem('illness')).toBeUndefined();
    expect(hardshipProblem('uninsured_unemployment')).toMatch(/months without income/);
    expect(
      hardshipProblem('uninsured_unemployment', { monthsWithoutIncome: 2, unemploymentInsurance: false }),
    ).toMatch(/3 months/);
    expect(
      hardshipProblem('uninsured_unemployment', { monthsWithoutIncome: 4, unemploymentInsurance: true }),
    ).toMatch(/insurance/);
    expect(
      hardshipProblem('uninsured_unemployment', { monthsWithoutIncome: 3, unemploymentInsurance: false }),
    ).toBeUndefined();
  });

  it('R-A10: the limits schema fills the documentation deadline and refuses a grant limit above the yearly one', () => {
    const ok = temporaryAssistanceLimitsSchema.parse({
      countyCode: '140802',
      effectiveFrom: '2026-01-01',
      perGrant: '1000.00',
      perHouseholdYear: '3000.00',
    });
    expect(ok).toMatchObject({ documentationWorkingDays: 5, documentationAtRiskWorkingDays: 2 });
    const bad = temporaryAssistanceLimitsSchema.safeParse({ ...ok, perGrant: '3000.01' });
    expect(bad.success).toBe(false);
  });
});
