import { z } from 'zod';
import { disabilityTypes, expenseKinds, incomeKinds, relations } from './household-kinds';
import { idNumberSchema } from './idnumber-schema';
import { moneySchema } from './money-schema';

// R-A1: the household as the API takes it (zod). The kinds and relations are in domain/household.ts,
// which the rules and workflows import without zod.

export const disabilitySchema = z.object({
  grade: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  type: z.enum(disabilityTypes),
});
export type Disability = z.infer<typeof disabilitySchema>;

// An income is declared monthly, or yearly when it is seasonal (farm income, a year-end bonus);
// a yearly amount counts as amount / 12, kept exact until the single rounding (R-E1).
const incomeBase = { kind: z.enum(incomeKinds), source: z.string().max(200).optional() };
export const incomeSchema = z.union([
  z.object({ ...incomeBase, monthlyAmount: moneySchema }).strict(),
  z.object({ ...incomeBase, annualAmount: moneySchema }).strict(),
]);
export type Income = z.infer<typeof incomeSchema>;

export const assetsSchema = z.object({
  financial: moneySchema, // deposits, securities, cash value of insurance
  vehicles: z.int().min(0), // motor vehicles counted by the county's asset test
  extraHousing: z.boolean(), // owns housing beyond the one the household lives in
});
export type Assets = z.infer<typeof assetsSchema>;

export const rigidExpenseSchema = z.object({ kind: z.enum(expenseKinds), monthlyAmount: moneySchema });
export type RigidExpense = z.infer<typeof rigidExpenseSchema>;

export const memberSchema = z.object({
  name: z.string().trim().min(1).max(100),
  idNumber: idNumberSchema,
  relation: z.enum(relations),
  disability: disabilitySchema.optional(),
  seriousIllness: z.boolean(),
  ableToWork: z.boolean(),
  // Bounds far above any household, so hostile input is refused before the rules walk it.
  incomes: z.array(incomeSchema).max(50),
  assets: assetsSchema,
  rigidExpenses: z.array(rigidExpenseSchema).max(50),
  // R-E6: has a person legally bound and able to support them (for extreme poverty).
  hasSupporter: z.boolean(),
});
export type Member = z.infer<typeof memberSchema>;

export const householdSchema = z
  .object({
    residence: z.enum(['urban', 'rural']),
    members: z.array(memberSchema).min(1).max(50),
    livesApartFromRegistration: z.boolean(), // 人户分离, R-A6 extension
    filedAwayFromHome: z.boolean(), // 异地申办, R-A6 extension
    // 000 §一(二): a disabled adult without work may apply "as a single-person household" (R-E4);
    // the other members are then listed only as the people supporting them.
    singlePersonApplication: z.boolean().default(false),
  })
  .superRefine((h, ctx) => {
    const applicants = h.members.filter((m) => m.relation === 'applicant').length;
    if (applicants !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['members'],
        message: `exactly one applicant, found ${applicants}`,
      });
    }
    // R-A1: the same person twice in one household is a duplicate.
    const seen = new Set<string>();
    h.members.forEach((m, i) => {
      if (seen.has(m.idNumber)) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'idNumber'], message: 'duplicate member' });
      }
      seen.add(m.idNumber);
    });
  });
export type Household = z.output<typeof householdSchema>;
export type HouseholdInput = z.input<typeof householdSchema>;
