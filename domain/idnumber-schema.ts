import { z } from 'zod';
import type { CivilDate } from './dates';
import { type IdNumberFailure, validateIdNumber } from './idnumber';

// The zod schema of an ID number at the API's edge (domain/idnumber.ts holds the check; workflows
// import that one only, so zod stays out of the workflow bundle).

const MESSAGES: Record<IdNumberFailure, string> = {
  format: 'ID number: 17 digits followed by a digit or X',
  region: 'ID number: unknown region prefix',
  birth_date: 'ID number: invalid birth date',
  future_birth_date: 'ID number: birth date is in the future',
  check_digit: 'ID number: check digit does not match',
};

/** Zod schema for an ID number; `today` adds the future-birth-date check. */
export function idNumberSchemaAsOf(today?: CivilDate) {
  return z.string().superRefine((id, ctx) => {
    const r = validateIdNumber(id, today);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: MESSAGES[r.reason], params: { reason: r.reason } });
  });
}
export const idNumberSchema = idNumberSchemaAsOf();
