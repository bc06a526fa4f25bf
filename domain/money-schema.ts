import { z } from 'zod';
import { DECIMAL, MONEY, SIGNED_MONEY } from './money';

// The zod schemas of money at the API's edge (domain/money.ts holds the arithmetic; workflows import
// that one only, so zod never enters the workflow bundle: every workflow evaluates the bundle's
// modules again, and zod's were a sixth of a new case's first task).

export const moneySchema = z
  .string()
  .regex(MONEY, 'money: a non-negative decimal string with at most 2 fraction digits, e.g. "733.50"');
export const signedMoneySchema = z
  .string()
  .regex(SIGNED_MONEY, 'money: a decimal string with at most 2 fraction digits, e.g. "-12.30"');
/** A non-negative decimal string of any scale, for factors and ratios (e.g. marginal factor "1.5"). */
export const decimalSchema = z.string().regex(DECIMAL, 'a non-negative decimal string, e.g. "1.5"');

export const roundingRuleSchema = z.object({
  scale: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  mode: z.enum(['half_up', 'up', 'down']),
});
