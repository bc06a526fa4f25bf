// R-A10 temporary assistance (临时救助): its own procedure, not a monthly case. Who may act, which
// level decides, and when a grant paid first must be documented. Pure and deterministic: the
// temporary-assistance workflow, its activities and the API import it (no zod here: the schema of
// the limits is in domain/policy.ts, which no workflow imports as a value).
import type { Deadline, WorkingCalendar } from './calendar';
import { type CivilDate, compareDates, yearOf } from './dates';
import { atRiskDate } from './deadlines';
import { add, compare, type Money } from './money';

/**
 * R-A10: sudden, urgent hardships [000 §二, 002 §四, 003 §三(二)]: illness, accident, disaster, a
 * public emergency, and unemployment without insurance after 3 months without income.
 */
export const HARDSHIP_KINDS = [
  'illness',
  'accident',
  'disaster',
  'public_emergency',
  'uninsured_unemployment',
] as const;
export type HardshipKind = (typeof HARDSHIP_KINDS)[number];

/** R-A10 [000 §二(一)]: unemployed people qualify after this many months without income. */
export const UNEMPLOYMENT_MONTHS_WITHOUT_INCOME = 3;

/** What the receipt says of an unemployment hardship (R-A10). */
export interface UnemploymentFacts {
  monthsWithoutIncome: number;
  unemploymentInsurance: boolean;
}

/**
 * R-A10: why a hardship does not qualify, or undefined. Unemployment qualifies only without
 * unemployment insurance and after 3 months without income.
 */
export function hardshipProblem(kind: HardshipKind, unemployment?: UnemploymentFacts): string | undefined {
  if (kind !== 'uninsured_unemployment') return undefined;
  if (!unemployment) return 'an unemployment hardship states the months without income and the insurance';
  if (unemployment.unemploymentInsurance)
    return 'unemployment insurance covers this person: temporary assistance is for the uninsured';
  if (unemployment.monthsWithoutIncome < UNEMPLOYMENT_MONTHS_WITHOUT_INCOME)
    return `unemployment qualifies after ${UNEMPLOYMENT_MONTHS_WITHOUT_INCOME} months without income`;
  return undefined;
}

/**
 * R-A10: a county's limits of the township's reserve fund (备用金) and the documentation deadline,
 * effective-dated like every county parameter (schema: domain/policy.ts).
 */
export interface TemporaryAssistanceLimits {
  countyCode: string;
  /** `<county>-<date>-ta<n>`, or `default` when the county has set none. */
  version: string;
  effectiveFrom: CivilDate;
  /** The most the township grants at once from its reserve fund. */
  perGrant: Money;
  /** The most the township grants one household within a calendar year, all grants together. */
  perHouseholdYear: Money;
  /** A grant paid first is documented within this many working days of its decision. */
  documentationWorkingDays: number;
  /** R-O3: the documentation is flagged at risk this many working days before it is due. */
  documentationAtRiskWorkingDays: number;
}

/**
 * A county that has set no limits: the township's reserve fund grants nothing on its own, every
 * grant is the county's decision; a grant paid first is documented within 5 working days (R-A10).
 */
export const defaultTemporaryAssistanceLimits = (countyCode: string): TemporaryAssistanceLimits => ({
  countyCode,
  version: 'default',
  effectiveFrom: '2000-01-01',
  perGrant: '0.00',
  perHouseholdYear: '0.00',
  documentationWorkingDays: 5,
  documentationAtRiskWorkingDays: 2,
});

export type DecidingLevel = 'township' | 'county';

export interface LevelAssessment {
  level: DecidingLevel;
  /** Why the county decides (the township's limit a grant would pass), when it does. */
  reason?: 'per_grant' | 'per_household_year';
}

/**
 * R-A10: who decides a grant of `amount` to a household already granted `grantedThisYear` in the
 * same calendar year: the township, paying first from its reserve fund, while the grant stays
 * within both its limits; the county above either of them.
 */
export function decidingLevel(
  amount: Money,
  grantedThisYear: Money,
  limits: Pick<TemporaryAssistanceLimits, 'perGrant' | 'perHouseholdYear'>,
): LevelAssessment {
  if (compare(amount, limits.perGrant) > 0) return { level: 'county', reason: 'per_grant' };
  if (compare(add(grantedThisYear, amount), limits.perHouseholdYear) > 0)
    return { level: 'county', reason: 'per_household_year' };
  return { level: 'township' };
}

/** R-A10: grants of one household count together within the calendar year of their decision. */
export const sameGrantYear = (a: CivilDate, b: CivilDate): boolean => yearOf(a) === yearOf(b);

export interface DocumentationDue {
  due: Deadline;
  atRiskOn: CivilDate;
}

/**
 * R-A10, R-T1: a grant paid first from the reserve fund is documented afterwards, within
 * `documentationWorkingDays` working days of its decision (the decision day not counted); R-O3:
 * flagged at risk `documentationAtRiskWorkingDays` working days before, never before the decision.
 */
export function documentationDue(
  cal: WorkingCalendar,
  decidedOn: CivilDate,
  limits: Pick<TemporaryAssistanceLimits, 'documentationWorkingDays' | 'documentationAtRiskWorkingDays'>,
): DocumentationDue {
  const due = cal.addWorkingDays(decidedOn, Math.max(1, limits.documentationWorkingDays));
  const atRisk = atRiskDate(cal, due, limits.documentationAtRiskWorkingDays, decidedOn);
  return { due, atRiskOn: compareDates(atRisk.date, decidedOn) < 0 ? decidedOn : atRisk.date };
}
