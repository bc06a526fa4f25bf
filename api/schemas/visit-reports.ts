import { z } from 'zod';
import { idNumberSchema } from '../../domain/idnumber-schema';
import { moneySchema } from '../../domain/money-schema';
import { townshipCodeSchema, villageCodeSchema } from '../../domain/region-schema';
import { yearMonth } from './applications';
import { dueSchema, notFuture, text } from './cases';

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
        outcome: z
          .enum(['matched', 'unknown', 'forbidden', 'pending'])
          .describe(
            'R-M2: a death no case holds is kept — `pending` for the application holding the person, `unknown` until a case holds them',
          ),
        caseId: z.string().optional(),
        applicationId: z.string().optional().describe('R-M2: the pending application a death is kept for'),
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
