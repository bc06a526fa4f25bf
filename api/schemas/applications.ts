import { z } from 'zod';
import { CLOSE_RELATIONS, RELATED_POSITIONS } from '../../domain/close-relatives';
import { EDGE_YEARS, isCivilDate, isEdgeYear, isYearMonth } from '../../domain/dates';
import { householdSchema } from '../../domain/household-schema';
import { moneySchema } from '../../domain/money-schema';
import { villageCodeSchema } from '../../domain/region-schema';
import { VERIFIED_FIELDS } from '../../domain/verification';
import {
  APPLICATION_CATEGORIES,
  DEADLINE_KINDS,
  SPECIAL_CIRCUMSTANCES,
  STAGES,
} from '../../workflows/contracts';

/** The categories an opinion or an approval names (temporary assistance is its own procedure, R-A10). */
const OPINION_CATEGORIES = ['dibao', 'marginal', 'extreme_poverty', 'expenditure_type'] as const;

// Request and response shapes of API.md "Applications". Shared ones carry an id so the OpenAPI
// document lists them once under components.

// Procedure dates and months are checked by the domain's own helpers, in the years the API
// accepts, so nothing the edge lets through is refused later by a workflow's first step.
const YEARS = `${EDGE_YEARS.min}…${EDGE_YEARS.max}`;
export const civilDate = z
  .string()
  .max(10)
  .refine(isCivilDate, 'a real date YYYY-MM-DD')
  .refine((s) => !isCivilDate(s) || isEdgeYear(s), `a date in the years ${YEARS}`);
export const yearMonth = z
  .string()
  .max(7)
  .refine(isYearMonth, 'a month YYYY-MM')
  .refine((s) => !isYearMonth(s) || isEdgeYear(s), `a month in the years ${YEARS}`);

export const applicationIdParams = z.object({
  // 8 hex digits in ids received before the id derived from the Idempotency-Key, 12 since.
  id: z.string().regex(/^A\d{6}\d{8}[0-9A-F]{8}([0-9A-F]{4})?$/, 'an application id'),
});

export const receiptBody = z
  .object({
    category: z.enum(APPLICATION_CATEGORIES),
    villageCode: villageCodeSchema,
    acceptedOn: civilDate.describe(
      'Date the township window accepted it (may be earlier than today, never later)',
    ),
    delegated: z.boolean().describe('Approval delegated to the township (R-A5, 20 working days)'),
    specialCircumstances: z
      .array(z.enum(SPECIAL_CIRCUMSTANCES))
      .default([])
      .describe('R-A6 reasons for 45 working days'),
    closeRelative: z
      .boolean()
      .describe('A member is a close relative of assistance staff or village cadres (R-O1)'),
    closeRelativeFiling: z
      .object({
        memberIdNumber: z.string().max(18).describe('The member who is the relative (one of the household)'),
        relatedTo: z.object({
          name: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .refine((t) => !t.includes('\u0000'), 'no NUL characters'),
          position: z.enum(RELATED_POSITIONS),
          post: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .refine((t) => !t.includes('\u0000'), 'no NUL characters')
            .optional(),
        }),
        relation: z.enum(CLOSE_RELATIONS),
      })
      .optional()
      .describe('R-O1: with closeRelative, who is related to which staff member or cadre, and how'),
    household: householdSchema,
  })
  .meta({ id: 'ApplicationReceipt' });

export const deadlineSchema = z
  .object({
    kind: z.enum(DEADLINE_KINDS),
    date: z.string(),
    provisional: z
      .boolean()
      .describe('Computed Monday–Friday because the year has no published calendar (R-T2)'),
    from: z.string(),
    workingDays: z.number(),
    atRiskOn: z.string(),
    atRisk: z.boolean(),
    overdue: z.boolean(),
    metOn: z.string().optional(),
    superseded: z.boolean().optional(),
  })
  .meta({ id: 'Deadline' });

export const receiptResponse = z.object({
  applicationId: z.string(),
  stage: z.enum(STAGES),
  deadline: z.object({ date: z.string(), provisional: z.boolean() }),
  deadlines: z.array(deadlineSchema),
});

export const applicationViewSchema = z
  .object({
    applicationId: z.string(),
    category: z.enum(APPLICATION_CATEGORIES),
    villageCode: z.string(),
    acceptedOn: z.string(),
    delegated: z.boolean(),
    extended: z.boolean(),
    extensionReasons: z.array(z.string()),
    stage: z.enum(STAGES),
    policyVersion: z.string(),
    deadlines: z.array(deadlineSchema),
    currentStep: deadlineSchema.optional(),
    investigation: z.record(z.string(), z.unknown()).optional(),
    economicCheck: z.record(z.string(), z.unknown()).optional(),
    assessment: z.record(z.string(), z.unknown()).optional(),
    differences: z
      .array(
        z.object({
          idNumber: z.string(),
          field: z.enum(VERIFIED_FIELDS),
          declared: z.string(),
          verified: z.string(),
        }),
      )
      .optional()
      .describe('R-A2: declared and verified figures that differ; the initial opinion resolves each'),
    opinion: z.record(z.string(), z.unknown()).optional(),
    publicity: z
      .object({
        round: z.number(),
        postedOn: z.string(),
        lastDay: z.string(),
        endsAt: z.string(),
        objections: z.array(z.string()),
      })
      .optional(),
    decision: z.record(z.string(), z.unknown()).optional(),
    temporaryGrants: z.array(z.record(z.string(), z.unknown())),
    history: z.array(
      z.object({
        seq: z.number(),
        at: z.string(),
        action: z.string(),
        by: z.object({ sub: z.string(), role: z.string(), region: z.string().optional() }),
        stage: z.enum(STAGES),
        reason: z.string().optional(),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .meta({ id: 'Application' });

const text = (what: string) => z.string().trim().min(1, `${what} is required`).max(4000);

export const investigationBody = z.object({
  household: householdSchema,
  findings: text('findings'),
  visitedOn: civilDate,
});

export const economicCheckBody = z.object({
  checkId: z.string().min(1).max(100),
  verified: z
    .array(
      z.object({ idNumber: z.string().length(18), monthlyIncome: moneySchema, financialAssets: moneySchema }),
    )
    .max(50),
  findings: text('findings'),
  checkedOn: civilDate
    .optional()
    .describe('The day of the check (default today); earlier for a paper procedure entered afterwards'),
});

export const initialOpinionBody = z.object({
  eligible: z.boolean(),
  category: z.enum(OPINION_CATEGORIES).optional(),
  proposedMonthlyAmount: moneySchema.optional(),
  reasons: text('reasons'),
  publicityPostedOn: civilDate
    .optional()
    .describe(
      'R-A4: the day the notice went up (default today); earlier for a paper procedure entered afterwards, ' +
        'never in the future nor before the visit it follows',
    ),
  resolutions: z
    .array(
      z.object({
        idNumber: z.string().length(18),
        field: z.enum(VERIFIED_FIELDS),
        use: z.enum(['verified', 'declared']),
        reason: z.string().trim().min(1).max(2000).optional(),
      }),
    )
    .max(100)
    .optional()
    .describe(
      'R-A2: one per difference listed in the view: the verified figure, or the declared one with a reason',
    ),
  enrolledAlone: z
    .string()
    .length(18)
    .optional()
    .describe(
      "R-E3: the ID number of the member of a marginal household enrolled alone (one of the assessment's " +
        'singlePersonEnrolments; needed when there are several). The case is then that person alone',
    ),
});

export const objectionBody = z.object({
  objectionId: z.string().min(1).max(100),
  summary: text('summary'),
  handling: z.enum(['re_investigation', 'democratic_review']).default('re_investigation'),
});

export const decisionBody = z.object({
  approve: z.boolean(),
  category: z
    .enum(OPINION_CATEGORIES)
    .optional()
    .describe('R-A5: the approved category; when given it must be the publicised one'),
  monthlyAmount: moneySchema.optional(),
  startMonth: yearMonth.optional().describe('Defaults to the month after the decision (R-A8)'),
  unstableIncome: z
    .boolean()
    .optional()
    .describe('Re-review every 6 months instead of 12 (R-M4, parameters)'),
  reasons: text('reasons'),
  amountReason: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .describe('Why the amount differs from the publicised one (R-A5; required then, and only a lower one)'),
});

export const returnBody = z.object({
  reasons: text('reasons'),
  reinvestigate: z
    .boolean()
    .optional()
    .describe('R-A4: a new household investigation before the new opinion (default: the opinion only)'),
});

export const procedureExtensionBody = z.object({
  circumstance: z
    .enum(SPECIAL_CIRCUMSTANCES)
    .describe('R-A6: lives apart from the registration, filed away from home, or a hard investigation'),
  reason: text('reason'),
});

export const withdrawalBody = z.object({ reason: text('reason') });

export const temporaryGrantBody = z.object({
  grantId: z.string().min(1).max(100),
  amount: moneySchema,
  reason: text('reason'),
});
