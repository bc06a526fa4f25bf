import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { idNumberSchemaAsOf } from '../../domain/idnumber-schema';
import { moneySchema } from '../../domain/money-schema';
import { positiveMoney } from '../../domain/policy';
import { villageCodeSchema } from '../../domain/region-schema';
import { HARDSHIP_KINDS, hardshipProblem } from '../../domain/temporary-assistance';
import { TEMPORARY_ASSISTANCE_STAGES } from '../../workflows/contracts';
import { text as anyText, dueSchema, notFuture } from './cases';

// Request and response shapes of API.md "Temporary assistance" (R-A10).

export const assistanceIdParams = z.object({
  id: z.string().regex(/^T\d{6}\d{8}[0-9A-F]{12}$/, 'a temporary-assistance id'),
});

// Postgres text refuses NUL: a free text that reached the row would stop its workflow's save.
const noNul = (s: string) => !s.includes('\u0000');
const text = (what: string) => anyText(what).refine(noNul, `${what} must not contain NUL characters`);
const idNumber = () => idNumberSchemaAsOf(civilDateOf(new Date()));

const person = z.object({
  name: z.string().trim().min(1).max(100).refine(noNul, 'no NUL characters'),
  idNumber: idNumber(),
});

export const unemploymentSchema = z
  .object({
    monthsWithoutIncome: z.int().min(0).max(600),
    unemploymentInsurance: z.boolean(),
  })
  .describe('R-A10: required for uninsured_unemployment (3 months without income, no insurance)');

/** The request as the township receives it where the hardship happened (R-A10). */
const assistanceFields = {
  residence: z.enum(['urban', 'rural']).describe('Of the household, for the statistics'),
  person: person.describe('Who asks and is paid'),
  household: z
    .array(person.extend({ relation: z.string().trim().min(1).max(50).refine(noNul, 'no NUL characters') }))
    .max(30)
    .default([])
    .describe("The household's other members (the yearly limit counts every grant naming one of them)"),
  hardshipKind: z.enum(HARDSHIP_KINDS),
  hardship: text('hardship').describe('What happened'),
  occurredOn: notFuture('occurredOn'),
  unemployment: unemploymentSchema.optional(),
  amountAsked: positiveMoney,
  receivedOn: notFuture('receivedOn'),
};

/** R-A10: one person once, a qualifying hardship, received after it happened. */
export const assistanceBody = z
  .object({ villageCode: villageCodeSchema.describe('Where the hardship happened'), ...assistanceFields })
  .refine(
    (b) =>
      new Set([b.person.idNumber, ...b.household.map((m) => m.idNumber)]).size === b.household.length + 1,
    { path: ['household'], message: 'a person is listed twice' },
  )
  .superRefine((b, ctx) => {
    const problem = hardshipProblem(b.hardshipKind, b.unemployment);
    if (problem) ctx.addIssue({ code: 'custom', path: ['unemployment'], message: problem });
  })
  .refine((b) => b.occurredOn <= b.receivedOn, {
    path: ['occurredOn'],
    message: 'the hardship happened on or before its receipt',
  })
  .meta({ id: 'TemporaryAssistanceReceipt' });

/**
 * R-L3 → R-A10: a register household referred to temporary assistance opens its request: the
 * member who asks (the household's others are taken from the register), the hardship and the amount.
 */
export const referralAssistanceSchema = z
  .object({
    personIdNumber: idNumber().describe('A member of the registered household: who asks and is paid'),
    residence: assistanceFields.residence,
    hardshipKind: assistanceFields.hardshipKind,
    hardship: assistanceFields.hardship,
    occurredOn: assistanceFields.occurredOn,
    unemployment: assistanceFields.unemployment,
    amountAsked: assistanceFields.amountAsked,
  })
  .superRefine((b, ctx) => {
    const problem = hardshipProblem(b.hardshipKind, b.unemployment);
    if (problem) ctx.addIssue({ code: 'custom', path: ['unemployment'], message: problem });
  })
  .meta({ id: 'ReferralTemporaryAssistance' });

export const decisionBody = z
  .object({
    approve: z.boolean(),
    amount: positiveMoney.optional().describe('The grant (approval only)'),
    reasons: text('reasons'),
  })
  .refine((b) => b.approve === (b.amount !== undefined), {
    path: ['amount'],
    message: 'an approval names its amount, a refusal none',
  })
  .meta({ id: 'TemporaryAssistanceDecision' });

export const documentationBody = z
  .object({
    documentedOn: notFuture('documentedOn'),
    summary: text('summary'),
    documents: z.array(text('document')).min(1).max(50).describe('The documents filed afterwards'),
  })
  .meta({ id: 'TemporaryAssistanceDocumentation' });

export const paymentResultBody = z
  .object({
    resultId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "the bank's result id"),
    outcome: z.enum(['paid', 'failed', 'returned']),
    reason: text('reason').optional(),
    reportedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'TemporaryAssistancePaymentResult' });

const limitsSchema = z
  .object({
    countyCode: z.string(),
    effectiveFrom: z.string(),
    perGrant: moneySchema,
    perHouseholdYear: moneySchema,
    documentationWorkingDays: z.int(),
    documentationAtRiskWorkingDays: z.int(),
  })
  .meta({ id: 'TemporaryAssistanceLimitsInForce' });

const actor = z.object({ sub: z.string(), role: z.string(), region: z.string().optional() });

export const assistanceViewSchema = z
  .object({
    assistanceId: z.string(),
    villageCode: z.string(),
    residence: z.enum(['urban', 'rural']),
    members: z.array(z.object({ name: z.string(), idNumber: z.string(), relation: z.string() })),
    hardshipKind: z.enum(HARDSHIP_KINDS),
    hardship: z.string(),
    occurredOn: z.string(),
    unemployment: unemploymentSchema.optional(),
    amountAsked: z.string(),
    receivedOn: z.string(),
    receivedBy: z.string(),
    source: z.object({ kind: z.enum(['staff', 'referral', 'application']) }).passthrough(),
    limits: limitsSchema.extend({ version: z.string() }),
    stage: z.enum(TEMPORARY_ASSISTANCE_STAGES),
    decision: z
      .object({
        approve: z.boolean(),
        level: z.enum(['township', 'county']),
        amount: z.string().optional(),
        reasons: z.string(),
        on: z.string(),
        by: z.string(),
        grantedThisYear: z.string().optional().describe("The household's grants of the year before this one"),
      })
      .optional(),
    payment: z
      .object({
        lineId: z.string(),
        amount: z.string(),
        month: z.string(),
        status: z.enum(['sent', 'paid', 'failed', 'returned']),
        sentOn: z.string(),
        fileName: z.string().optional(),
        result: z
          .object({ resultId: z.string(), outcome: z.string(), on: z.string() })
          .passthrough()
          .optional(),
      })
      .optional()
      .describe('R-A10: paid at once, exactly once, through its own bank line'),
    documentation: z
      .object({
        due: dueSchema,
        atRiskOn: z.string(),
        atRisk: z.boolean(),
        overdue: z.boolean(),
        documentedOn: z.string().optional(),
        by: z.string().optional(),
        summary: z.string().optional(),
        documents: z.array(z.string()).optional(),
        late: z.boolean().optional(),
      })
      .optional()
      .describe('R-A10: a township grant paid first is documented afterwards'),
    noticeId: z.string().optional(),
    closedOn: z.string().optional(),
    history: z.array(
      z.object({
        seq: z.int(),
        at: z.string(),
        action: z.string(),
        by: actor,
        stage: z.string(),
        reason: z.string().optional(),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .meta({ id: 'TemporaryAssistance' });
