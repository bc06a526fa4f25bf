import { z } from 'zod';
import {
  ANSWER_CHANNELS,
  COMPLAINT_FINDINGS,
  COMPLAINT_SOURCES,
  COMPLAINT_SUBJECT_KINDS,
} from '../../domain/complaints';
import { regionCodeSchema, villageCodeSchema } from '../../domain/region-schema';
import { COMPLAINT_STAGES } from '../../workflows/contracts';
import { text as anyText, caseIdParams, notFuture } from './cases';

// Request and response shapes of API.md "Oversight": complaints (R-O4).

export const complaintIdParams = z.object({
  id: z.string().regex(/^C\d{6}\d{8}[0-9A-F]{12}$/, 'a complaint id'),
});

// Postgres text refuses NUL: a free text that reached the ledger row would stop its workflow's save.
const noNul = (s: string) => !s.includes('\u0000');
const text = (what: string) => anyText(what).refine(noNul, `${what} must not contain NUL characters`);
const name = z.string().trim().min(1, 'name is required').max(100).refine(noNul, 'no NUL characters');
const phone = z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'a phone number (digits, spaces, -)');
const staffSub = z.string().regex(/^[\w.@:-]{1,100}$/, 'a staff member (token subject)');

export const complainantSchema = z
  .discriminatedUnion('anonymous', [
    z.object({ anonymous: z.literal(true) }),
    z.object({ anonymous: z.literal(false), name, phone }),
  ])
  .describe('Anonymous tip-off, or a named complainant to be answered (personal data, R-O7)');

export const complaintBody = z
  .object({
    source: z.enum(COMPLAINT_SOURCES),
    receivedOn: notFuture('receivedOn'),
    complainant: complainantSchema,
    subject: z
      .object({
        kind: z.enum(COMPLAINT_SUBJECT_KINDS),
        id: z.string().regex(/^[\w.@:-]{1,100}$/, 'a case or application id, staff member or village code'),
      })
      .describe('A case, an application, a staff member (token subject) or a village (its code)'),
    villageCode: villageCodeSchema
      .optional()
      .describe('Where a complaint about a staff member lies (required for that kind only)'),
    summary: text('summary'),
  })
  .meta({ id: 'ComplaintReceipt' });

export const assignmentBody = z.object({ handler: staffSub, note: text('note').optional() });

export const findingBody = z.object({
  outcome: z.enum(COMPLAINT_FINDINGS),
  summary: text('summary'),
  dataCheck: z
    .boolean()
    .default(false)
    .describe('Open a data check (R-M6 style) on the subject case, or on dataCheckCaseId'),
  dataCheckCaseId: caseIdParams.shape.id.optional(),
  spotCheckRequested: z.boolean().default(false).describe('Ask the county for a spot check (R-O2)'),
});

export const answerBody = z.object({
  answeredOn: notFuture('answeredOn'),
  channel: z.enum(ANSWER_CHANNELS),
  summary: text('summary'),
});

export const extensionBody = z.object({ reason: text('reason') });

const actorSchema = z.object({ sub: z.string(), role: z.string() });

export const complaintViewSchema = z
  .object({
    complaintId: z.string(),
    source: z.enum(COMPLAINT_SOURCES),
    receivedOn: z.string(),
    complainant: complainantSchema,
    subject: z.object({ kind: z.enum(COMPLAINT_SUBJECT_KINDS), id: z.string() }),
    villageCode: z.string(),
    summary: z.string(),
    receivedBy: z.string(),
    repeatOf: z.string().optional().describe('R-O4: the first complaint on the same subject'),
    repeats: z.array(z.string()).describe('R-O4: later complaints on the same subject linked to this one'),
    stage: z.enum(COMPLAINT_STAGES),
    handler: z
      .object({ sub: z.string(), assignedBy: z.string(), on: z.string(), note: z.string().optional() })
      .optional(),
    deadline: z.object({
      kind: z.enum(['answer', 'finding']),
      date: z.string(),
      provisional: z.boolean(),
      atRiskOn: z.string(),
    }),
    extension: z
      .object({ reason: z.string(), by: z.string(), on: z.string(), previousDate: z.string() })
      .optional(),
    atRisk: z.boolean(),
    overdue: z.boolean().describe('The deadline passed before the answer (stays set once answered late)'),
    finding: z
      .object({
        outcome: z.enum(COMPLAINT_FINDINGS),
        summary: z.string(),
        by: z.string(),
        on: z.string(),
        dataCheck: z
          .object({ caseId: z.string(), taskId: z.string(), status: z.enum(['opened', 'not_running']) })
          .optional(),
        spotCheckRequested: z.boolean(),
      })
      .optional(),
    answer: z
      .object({
        on: z.string(),
        channel: z.enum(ANSWER_CHANNELS),
        summary: z.string(),
        by: z.string(),
        late: z.boolean(),
      })
      .optional(),
    closedOn: z.string().optional(),
    history: z.array(
      z.object({
        seq: z.number(),
        at: z.string(),
        action: z.string(),
        by: actorSchema,
        stage: z.enum(COMPLAINT_STAGES),
        reason: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'Complaint' });

export const ledgerQuery = z.object({
  region: regionCodeSchema.optional().describe("Default: the caller's region"),
  stage: z.enum([...COMPLAINT_STAGES, 'open']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  format: z.enum(['json', 'csv']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Lines per page (JSON)'),
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe('The previous page’s nextCursor: the lines after it (JSON; the CSV is the whole ledger)'),
});

export const ledgerCountsQuery = ledgerQuery.pick({ region: true, stage: true, overdue: true });

export const ledgerLine = z.object({
  complaintId: z.string(),
  source: z.enum(COMPLAINT_SOURCES),
  complainant: z.string().describe('匿名 for a tip-off, else the masked name and phone (R-O7)'),
  subjectKind: z.enum(COMPLAINT_SUBJECT_KINDS),
  subjectId: z.string(),
  villageCode: z.string(),
  receivedOn: z.string(),
  repeatOf: z.string().nullable(),
  stage: z.enum(COMPLAINT_STAGES),
  handler: z.string().nullable(),
  deadline: z.string(),
  deadlineProvisional: z.boolean(),
  extended: z.boolean(),
  atRisk: z.boolean(),
  overdue: z.boolean(),
  finding: z.enum(COMPLAINT_FINDINGS).nullable(),
  dataCheckCaseId: z.string().nullable(),
  spotCheckRequested: z.boolean(),
  answeredOn: z.string().nullable(),
  answeredLate: z.boolean().nullable(),
  closedOn: z.string().nullable(),
});

export const ledgerSchema = z
  .object({
    region: z.string(),
    limit: z.number(),
    items: z.array(ledgerLine),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'ComplaintLedger' });

export const ledgerCountsSchema = z
  .object({
    region: z.string(),
    total: z.number().describe('Ledger lines matching the filters'),
    distinct: z.number().describe('Of them, complaints that are not repeats (R-O4)'),
  })
  .meta({ id: 'ComplaintLedgerCounts' });
