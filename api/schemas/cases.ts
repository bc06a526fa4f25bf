import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { relations } from '../../domain/household';
import { idNumberSchema, idNumberSchemaAsOf } from '../../domain/idnumber-schema';
import { moneySchema } from '../../domain/money-schema';
import {
  CASE_STATUSES,
  CHANGE_KINDS,
  CLOSE_REASONS,
  HIT_KINDS,
  REVIEW_OUTCOMES,
  TASK_KINDS,
} from '../../workflows/contracts';
import { civilDate, yearMonth } from './applications';
import { demandLineSchema, demandSchema } from './demands';

// Request and response shapes of API.md "Cases in benefit" (integrations: intake.ts; visit reports:
// visit-reports.ts). Shared ones carry an id so the OpenAPI document lists them once under components.

export const text = (what: string) => z.string().trim().min(1, `${what} is required`).max(4000);
export const notFuture = (what: string) =>
  civilDate.refine((d) => d <= civilDateOf(new Date()), `${what} must not be after today`);

export const caseIdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a case id') });
export const reviewParams = caseIdParams.extend({ reviewId: z.string().min(1).max(200) });

export const dueSchema = z
  .object({
    date: z.string(),
    provisional: z
      .boolean()
      .describe('Computed Monday–Friday because the year has no published calendar (R-T2)'),
  })
  .meta({ id: 'DueDate' });

export const caseTaskSchema = z
  .object({
    taskId: z.string().describe('The reviewId of POST /v1/cases/{id}/reviews/{reviewId}'),
    kind: z.enum(TASK_KINDS),
    openedOn: z.string(),
    due: dueSchema,
    atRiskOn: z.string(),
    atRisk: z.boolean(),
    overdue: z.boolean(),
    simplified: z.boolean().describe('R-M4: the simplified review of a stable household'),
    subject: z.object({
      idNumber: z.string().optional(),
      diedOn: z.string().optional(),
      hitKind: z.enum(HIT_KINDS).optional(),
      changeKind: z.enum(CHANGE_KINDS).optional(),
      complaintId: z.string().optional().describe('R-O4: the complaint whose finding opened this check'),
      summary: z.string(),
    }),
  })
  .meta({ id: 'CaseTask' });

const adjustmentSchema = z
  .object({
    key: z.string(),
    kind: z.enum(['back_pay', 'recovery']),
    amount: z.string(),
    months: z.array(z.string()),
    reason: z.string(),
    on: z.string(),
  })
  .meta({ id: 'CaseAdjustment' });

export const caseViewSchema = z
  .object({
    caseId: z.string(),
    applicationId: z.string(),
    category: z.string(),
    villageCode: z.string(),
    residence: z.enum(['urban', 'rural']),
    status: z.enum(CASE_STATUSES),
    closed: z.object({ reason: z.enum(CLOSE_REASONS), fromMonth: z.string(), on: z.string() }).optional(),
    members: z.array(
      z.object({
        idNumber: z.string(),
        name: z.string(),
        relation: z.string(),
        covered: z.boolean(),
        diedOn: z.string().optional(),
      }),
    ),
    alone: z
      .enum(['R-E3', 'R-E4'])
      .optional()
      .describe('A one-person enrolment: the case is its one member, whatever the household (R-E3, R-E4)'),
    monthlyAmount: z.string(),
    persons: z.number().int(),
    approvedOn: z.string(),
    startMonth: z.string(),
    nextMonth: z.string().describe('The next month to be handed to the payroll (R-M1)'),
    taper: z
      .object({ changeId: z.string(), reportedOn: z.string(), firstMonth: z.string(), lastMonth: z.string() })
      .optional()
      .describe('R-M3: the months still paid after income rose above the standard'),
    nextReviewOn: z.string().describe('R-M4: when the next periodic re-review opens'),
    reviewIntervalMonths: z.number().int(),
    tasks: z.array(caseTaskSchema).describe('Open reviews and checks (R-M2, R-M4, R-M5, R-M6)'),
    adjustments: z.array(adjustmentSchema),
    demands: z
      .array(demandSchema)
      .optional()
      .describe('R-M10: repayment demands of a closed case, until repaid or written off'),
    notices: z.array(z.string()).describe('Written notices (GET /v1/notices/{id}, R-M9)'),
    history: z
      .array(
        z.object({
          seq: z.number(),
          at: z.string(),
          action: z.string(),
          by: z.object({ sub: z.string(), role: z.string() }),
          reason: z.string().optional(),
          details: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .describe('The most recent entries, newest last'),
    historyCount: z.number().int(),
    source: z
      .enum(['workflow', 'read_model'])
      .describe('Answered by the running workflow, or by the Postgres read model'),
  })
  .meta({ id: 'Case' });

/** R-M5 / R-M4: who joined or left the household (R-A1: a newcomer held elsewhere is refused, 409). */
export const memberChangeSchema = z
  .object({
    added: z
      .array(
        z.object({
          idNumber: idNumberSchema,
          name: z.string().trim().min(1).max(100),
          relation: z.enum(relations),
        }),
      )
      .max(50)
      .optional(),
    removed: z.array(idNumberSchema).max(50).optional().describe('ID numbers of members the case covers'),
  })
  .meta({ id: 'MemberChange' });

export const changeBody = z
  .object({
    changeId: z.string().min(1).max(200).describe("The sender's id; a repeated id is one report"),
    kind: z.enum(CHANGE_KINDS),
    reportedOn: civilDate,
    perCapitaIncome: moneySchema
      .optional()
      .describe('Per-capita monthly income after the change; above the standard starts the taper (R-M3)'),
    summary: text('summary'),
    members: memberChangeSchema.optional().describe('Kind members: who joined or left (R-M5, R-A1)'),
  })
  .meta({ id: 'ChangeReport' });

/** R-M2: a death reported by township staff on a case. */
export const staffDeathBody = z
  .object({
    noticeId: z
      .string()
      .min(1)
      .max(200)
      .describe("The reporter's id for this report; repeated, it is one report"),
    idNumber: idNumberSchemaAsOf(civilDateOf(new Date())),
    diedOn: notFuture('diedOn'),
  })
  .meta({ id: 'StaffDeathReport' });

export const reviewBody = z
  .object({
    outcome: z.enum(REVIEW_OUTCOMES),
    reasons: text('reasons'),
    monthlyAmount: moneySchema.optional().describe("'adjust': the new monthly amount"),
    fromMonth: yearMonth
      .optional()
      .describe('Defaults: a death review from the month after death (R-M2), else the next month'),
    overpaidFromMonth: yearMonth.optional().describe("'fraud': received wrongly since this month (R-M5)"),
    members: memberChangeSchema
      .optional()
      .describe('A re-review or change review that found members joined or left (R-M4, R-M5, R-A1)'),
  })
  .meta({ id: 'ReviewResult' });

export const casePaymentsSchema = z
  .object({
    caseId: z.string(),
    months: z.array(
      z.object({
        month: z.string(),
        amount: z.string(),
        persons: z.number().int(),
        status: z.enum(['regular', 'taper', 'suspended']),
        rosteredOn: z.string(),
      }),
    ),
    adjustments: z.array(
      z.object({
        key: z.string(),
        kind: z.enum(['back_pay', 'recovery']),
        amount: z.string(),
        months: z.array(z.string()),
        reason: z.string(),
        decidedOn: z.string(),
        settledAmount: z.string().describe('Offset against payments so far (R-M10)'),
        demandId: z.string().nullable().describe('The repayment demand that took over the open part (R-M10)'),
      }),
    ),
    demands: z.array(demandLineSchema).describe('R-M10: repayment demands with what is still owed'),
    ledger: z
      .array(
        z.object({
          payrollId: z.string(),
          month: z.string(),
          kind: z.enum(['regular', 'back_pay', 'recovery_offset', 'temporary_grant']),
          amount: z.string(),
          status: z.enum(['scheduled', 'sent', 'paid', 'failed', 'returned']),
          attempts: z.number(),
          paymentLineId: z.string().nullable(),
        }),
      )
      .describe('The payroll ledger rows of the case with their payment status (R-M1)'),
  })
  .meta({ id: 'CasePayments' });
