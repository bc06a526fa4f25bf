import { z } from 'zod';
import { type CivilDate, isCivilDate } from './dates';
import { incomeKinds } from './household';
import { compare, DEFAULT_ROUNDING, isDecimal, isMoney, type Money, mul, roundMoney } from './money';
import { decimalSchema, moneySchema, roundingRuleSchema } from './money-schema';
import { countyCodeSchema } from './region-schema';

// Effective-dated county parameters (DOMAIN.md: "a parameter ... per county without a code change,
// effective-dated"). A new standard is a new version with a later `effectiveFrom` (R-M8); nothing is
// edited in place, so any past assessment can be recomputed with the version then in force (R-O6).

const civilDateSchema = z.string().refine(isCivilDate, 'a calendar date YYYY-MM-DD');

// Each comparison runs only on a well-formed string: zod runs refinements after a failed regex, and
// Decimal throws a RangeError on "" (a 500 instead of the 400 naming the field).
export const positiveMoney = moneySchema.refine(
  (m) => !isMoney(m) || compare(m, 0) > 0,
  'must be greater than zero',
);
const ratio = decimalSchema.refine((r) => !isDecimal(r) || compare(r, 1) <= 0, 'a ratio between 0 and 1');

// Asset test (R-E1, R-E2): per-capita financial assets, as a multiple of the annual standard
// (standard × 12) or an absolute amount; motor vehicles and extra housing as counts/flags.
export const assetLimitsSchema = z.object({
  financialPerCapita: z
    .discriminatedUnion('basis', [
      z.object({ basis: z.literal('annual_standard_multiple'), multiple: decimalSchema }),
      z.object({ basis: z.literal('absolute'), amount: moneySchema }),
    ])
    .default({ basis: 'annual_standard_multiple', multiple: '2' }),
  maxVehicles: z.int().min(0).default(0),
  extraHousingAllowed: z.boolean().default(false),
});

// R-E4: kinds exempt for everyone, and kinds exempt for a disabled adult without work ability.
export const incomeExemptionsSchema = z.object({
  always: z.array(z.enum(incomeKinds)).default([]),
  disabledAdultWithoutWork: z
    .array(z.enum(incomeKinds))
    .default(['support_from_sibling', 'support_from_elderly_60plus']),
});

// R-E5: monthly caps per kind, for the assessed unit (the household, or one person assessed alone).
export const expenseDeductionsSchema = z.object({
  illness: moneySchema.default('1000.00'),
  disability: moneySchema.default('500.00'),
  schooling: moneySchema.default('500.00'),
});

// R-E5 / 002 §二: employment cost, per earning member, on the listed earned-income kinds; a fixed
// amount never exceeds the member's earned income.
export const employmentCostSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fraction'), fraction: ratio, kinds: z.array(z.enum(incomeKinds)) }),
  z.object({ mode: z.literal('fixed'), amountPerEarner: moneySchema, kinds: z.array(z.enum(incomeKinds)) }),
]);

export const marginalFactorSchema = decimalSchema.refine(
  (f) => !isDecimal(f) || compare(f, 1) >= 0,
  'at least 1',
); // R-E2

export const extremePovertySchema = z.object({
  paymentFrequency: z.enum(['monthly', 'quarterly']), // R-E6
  basicSupportUrban: positiveMoney, // per person per month
  basicSupportRural: positiveMoney,
});

export const reviewSchema = z.object({
  intervalMonths: z.int().min(1).default(12), // R-M4
  unstableIncomeIntervalMonths: z.int().min(1).default(6),
  durationMonths: z.int().min(1).default(3), // "2-3 months"
});

// R-M1: a failed bank line is retried in the next payrolls, then escalated to supervisors.
export const paymentSchema = z.object({
  maxAttempts: z.int().min(1).max(12).default(3),
  /**
   * R-M10: a recovery is offset against later payments, but never so far that the household gets
   * less than this share of its money that month; the rest waits for the next payments.
   */
  recoveryOffsetFloor: ratio.default('0.5'),
});

export const spotCheckSchema = z.object({
  decisionRatio: ratio.default('0.3'), // R-O2
  closeRelativeRatio: ratio.default('0.6'),
});

export const policyParametersSchema = z.object({
  countyCode: countyCodeSchema,
  version: z.string().trim().min(1).max(100),
  effectiveFrom: civilDateSchema,
  standardUrban: positiveMoney, // per person per month (R-E1)
  standardRural: positiveMoney,
  marginalFactor: marginalFactorSchema.default('1.5'), // R-E2
  assetLimits: assetLimitsSchema.prefault({}),
  rounding: roundingRuleSchema.default(DEFAULT_ROUNDING), // R-E1
  incomeExemptions: incomeExemptionsSchema.prefault({}),
  expenseDeductions: expenseDeductionsSchema.prefault({}),
  employmentCostDeduction: employmentCostSchema.default({
    mode: 'fraction',
    fraction: '0.1',
    kinds: ['wage'],
  }),
  extremePoverty: extremePovertySchema,
  review: reviewSchema.prefault({}),
  taperPayments: z.int().min(0).default(6), // R-M3
  paymentStartOffsetMonths: z.int().min(0).default(1), // R-A8
  spotCheck: spotCheckSchema.prefault({}),
  payment: paymentSchema.prefault({}),
});
export type PolicyParameters = z.output<typeof policyParametersSchema>;
export type PolicyParametersInput = z.input<typeof policyParametersSchema>;

// R-E6: support money is monthly from October 2024, quarterly before [004 §三(四), 001 §二].
const MONTHLY_EXTREME_POVERTY_FROM = '2024-10-01';
// Not in the notices: national practice sets extreme-poverty basic support at ≥ 1.3 × the dibao
// standard, so the derived default is rounded up (never below the floor).
const BASIC_SUPPORT_FACTOR = '1.3';

/** County-independent defaults, as parsed from an otherwise empty input. */
export const DEFAULT_POLICY = {
  marginalFactor: '1.5',
  rounding: DEFAULT_ROUNDING,
  taperPayments: 6,
  paymentStartOffsetMonths: 1,
  review: { intervalMonths: 12, unstableIncomeIntervalMonths: 6, durationMonths: 3 },
  spotCheck: { decisionRatio: '0.3', closeRelativeRatio: '0.6' },
  payment: { maxAttempts: 3, recoveryOffsetFloor: '0.5' },
} as const satisfies Partial<PolicyParameters>;

export type CountyPolicyInput = {
  countyCode: string;
  effectiveFrom: CivilDate;
  standardUrban: Money;
  standardRural: Money;
} & Partial<Omit<PolicyParametersInput, 'countyCode' | 'effectiveFrom' | 'standardUrban' | 'standardRural'>>;

/** A county's policy with every default filled in; validates (throws ZodError on a bad input). */
export function defaultPolicy(input: CountyPolicyInput): PolicyParameters {
  const rounding = { scale: input.rounding?.scale ?? DEFAULT_ROUNDING.scale, mode: 'up' } as const;
  return policyParametersSchema.parse({
    version: `${input.countyCode}-${input.effectiveFrom}`,
    extremePoverty: {
      paymentFrequency: input.effectiveFrom >= MONTHLY_EXTREME_POVERTY_FROM ? 'monthly' : 'quarterly',
      basicSupportUrban: roundMoney(mul(input.standardUrban, BASIC_SUPPORT_FACTOR), rounding),
      basicSupportRural: roundMoney(mul(input.standardRural, BASIC_SUPPORT_FACTOR), rounding),
    },
    ...input,
  });
}

/**
 * The version in force on `onDate`: the latest `effectiveFrom` not after it (R-M8). Two versions
 * with the same date: the later one in the list wins (a correction supersedes). Undefined when none.
 */
export function selectEffective<P extends Pick<PolicyParameters, 'effectiveFrom'>>(
  versions: readonly P[],
  onDate: CivilDate,
): P | undefined {
  let best: P | undefined;
  for (const v of versions) {
    if (v.effectiveFrom <= onDate && (best === undefined || v.effectiveFrom >= best.effectiveFrom)) best = v;
  }
  return best;
}

/**
 * R-A10: a county's temporary-assistance limits from a date (PUT /v1/admin/temporary-assistance-limits):
 * the township's reserve fund per grant and per household and calendar year, and the working days
 * within which a grant paid first is documented (domain/temporary-assistance.ts applies them).
 */
export const temporaryAssistanceLimitsSchema = z
  .object({
    countyCode: countyCodeSchema,
    effectiveFrom: civilDateSchema,
    perGrant: moneySchema.describe("The township's reserve fund: the most it grants at once"),
    perHouseholdYear: moneySchema.describe(
      'The most the township grants one household within a calendar year, all its grants together',
    ),
    documentationWorkingDays: z
      .int()
      .min(1)
      .max(60)
      .default(5)
      .describe('A grant paid first is documented within this many working days of its decision'),
    documentationAtRiskWorkingDays: z
      .int()
      .min(0)
      .max(60)
      .default(2)
      .describe('The documentation is flagged at risk this many working days before it is due (R-O3)'),
  })
  .refine(
    (l) =>
      !isMoney(l.perGrant) || !isMoney(l.perHouseholdYear) || compare(l.perGrant, l.perHouseholdYear) <= 0,
    {
      path: ['perGrant'],
      message: 'a grant cannot pass the yearly limit of a household',
    },
  );
