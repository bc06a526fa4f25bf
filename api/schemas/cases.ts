import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { idNumberSchema, idNumberSchemaAsOf } from '../../domain/idnumber';
import { moneySchema } from '../../domain/money';
import { townshipCodeSchema, villageCodeSchema } from '../../domain/region';
import {
  CASE_STATUSES,
  CHANGE_KINDS,
  CLOSE_REASONS,
  DEATH_SOURCES,
  HIT_KINDS,
  REVIEW_OUTCOMES,
  TASK_KINDS,
} from '../../workflows/messages';
import { civilDate, yearMonth } from './applications';

// Request and response shapes of API.md "Cases in benefit" and "Integrations". Shared ones carry an
// id so the OpenAPI document lists them once under components.

const text = (what: string) => z.string().trim().min(1, `${what} is required`).max(4000);
const notFuture = (what: string) =>
  civilDate.refine((d) => d <= civilDateOf(new Date()), `${what} must not be after today`);

export const caseIdParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a case id') });
export const reviewParams = caseIdParams.extend({ reviewId: z.string().min(1).max(200) });

const dueSchema = z
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

export const changeBody = z
  .object({
    changeId: z.string().min(1).max(200).describe("The sender's id; a repeated id is one report"),
    kind: z.enum(CHANGE_KINDS),
    reportedOn: civilDate,
    perCapitaIncome: moneySchema
      .optional()
      .describe('Per-capita monthly income after the change; above the standard starts the taper (R-M3)'),
    summary: text('summary'),
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
        settledAmount: z.string(),
      }),
    ),
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

// ---- Integrations (R-M2, R-M6): each line is parsed on its own so one bad line never fails a batch.

/** Built per request: "not in the future" needs today's date. */
export const deathNoticeItem = () =>
  z.object({
    noticeId: z.string().min(1).max(200),
    idNumber: idNumberSchemaAsOf(civilDateOf(new Date())),
    diedOn: notFuture('diedOn'),
    source: z.enum(DEATH_SOURCES).default('integration'),
  });

export const comparisonHitItem = () =>
  z.object({
    hitId: z.string().min(1).max(200),
    kind: z.enum(HIT_KINDS),
    idNumber: idNumberSchemaAsOf(civilDateOf(new Date())),
    detectedOn: notFuture('detectedOn'),
    source: z.string().trim().min(1).max(200),
    details: z.string().max(4000),
  });

const batch = (what: string) => z.array(z.unknown()).min(1).max(5000).describe(what);
export const deathNoticeBatch = z
  .object({ notices: batch('{noticeId, idNumber, diedOn, source?} each; checked line by line') })
  .meta({ id: 'DeathNoticeBatch' });
export const comparisonHitBatch = z
  .object({ hits: batch('{hitId, kind, idNumber, detectedOn, source, details} each; checked line by line') })
  .meta({ id: 'ComparisonHitBatch' });

export const INTAKE_OUTCOMES = ['matched', 'duplicate', 'unknown', 'forbidden', 'invalid'] as const;
export type IntakeOutcome = (typeof INTAKE_OUTCOMES)[number];
const problemList = z.array(z.object({ path: z.string(), message: z.string() }));

const intakeResult = z.object({
  index: z.number().int().describe('Position of the line in the batch'),
  outcome: z
    .enum(INTAKE_OUTCOMES)
    .describe(
      'matched: forwarded to the case; duplicate: id already received (or repeated in the batch); ' +
        "unknown: no case holds the person (recorded); forbidden: the case is outside the caller's " +
        'region; invalid: see problems',
    ),
  caseId: z.string().optional(),
  problems: problemList.optional(),
});

/** 202 answer of a batch: one result per line, in order, and the count per outcome. */
const intakeReport = <T extends z.ZodRawShape>(idShape: T, id: string) =>
  z
    .object({
      results: z.array(intakeResult.extend(idShape)),
      counts: z.record(z.enum(INTAKE_OUTCOMES), z.number().int()),
    })
    .meta({ id });
export const deathNoticeReport = intakeReport({ noticeId: z.string().optional() }, 'DeathNoticeReport');
export const comparisonHitReport = intakeReport({ hitId: z.string().optional() }, 'ComparisonHitReport');

// ---- Monthly visit reports (R-M7)

export const VISIT_KINDS = [
  'death',
  'employment',
  'income',
  'large_spending',
  'disaster',
  'serious_illness',
  'imprisonment',
] as const;

export const visitReportBody = z
  .object({
    villageCode: villageCodeSchema,
    month: yearMonth,
    zeroReport: z.boolean().describe('Nothing happened this month: entries must then be empty'),
    entries: z
      .array(
        z.object({
          idNumber: idNumberSchema,
          kind: z.enum(VISIT_KINDS),
          occurredOn: notFuture('occurredOn'),
          perCapitaIncome: moneySchema.optional(),
          summary: text('summary'),
        }),
      )
      .max(500),
  })
  .superRefine((b, ctx) => {
    if (b.zeroReport === (b.entries.length === 0)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['entries'],
      message: b.zeroReport ? 'a zero report has no entries' : 'entries are required unless zeroReport',
    });
  })
  .meta({ id: 'VisitReport' });

export const visitReportReceipt = z
  .object({
    villageCode: z.string(),
    month: z.string(),
    zeroReport: z.boolean(),
    submittedOn: z.string(),
    due: dueSchema,
    late: z.boolean().describe('Submitted after the due date (the 20th, R-M7)'),
    results: z.array(
      z.object({
        index: z.number().int(),
        kind: z.enum(VISIT_KINDS),
        outcome: z.enum(['matched', 'unknown', 'forbidden']),
        caseId: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'VisitReportReceipt' });

export const forwardBody = z.object({ townshipCode: townshipCodeSchema, month: yearMonth });
export const forwardReceipt = z
  .object({
    townshipCode: z.string(),
    month: z.string(),
    forwardedOn: z.string(),
    due: dueSchema,
    late: z.boolean().describe('Forwarded after the due date (the 25th, R-M7)'),
  })
  .meta({ id: 'TownshipForward' });

export const supervisionQuery = z.object({
  month: yearMonth.optional().describe('Defaults to the current month'),
  township: townshipCodeSchema.optional(),
});

export const missingVisitReports = z
  .object({
    month: z.string(),
    region: z.string(),
    villages: z.array(
      z.object({
        villageCode: z.string(),
        openCases: z.number().int(),
        due: dueSchema,
        overdue: z.boolean(),
      }),
    ),
    townships: z.array(z.object({ townshipCode: z.string(), due: dueSchema, overdue: z.boolean() })),
  })
  .meta({ id: 'MissingVisitReports' });
