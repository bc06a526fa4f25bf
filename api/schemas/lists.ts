import { z } from 'zod';
import { CASE_CATEGORIES } from '../../db/repositories/case-list';
import { idNumberSchema } from '../../domain/idnumber-schema';
import { CASE_STATUSES, STAGES } from '../../workflows/contracts';
import { listQuery } from '../list-scope';

// The shapes of the window's lists and the person look-up (API.md "Applications", "Cases in
// benefit"). Names appear for staff of the region (R-O7); ID numbers do not.

const place = {
  countyCode: z.string(),
  townshipCode: z.string(),
  townshipName: z.string().nullable().describe('From the division data; null when it does not know the code'),
  villageCode: z.string(),
};
const matchedName = z
  .string()
  .optional()
  .describe('The member’s name the search matched (a name search only)');
const nextCursor = z.string().nullable().describe('Null on the last page; no total is counted');

export const caseListQuery = z.object({
  ...listQuery,
  status: z.enum(CASE_STATUSES).optional(),
  category: z.enum(CASE_CATEGORIES).optional(),
  format: z
    .enum(['json', 'csv', 'xlsx'])
    .default('json')
    .describe('JSON pages; CSV or XLSX: the whole roster (花名册) of the filters, up to 50,000 cases'),
});

export const caseListItem = z
  .object({
    caseId: z.string(),
    applicationId: z.string().nullable(),
    importId: z.string().nullable(),
    category: z.string(),
    status: z.string(),
    ...place,
    headName: z.string().nullable().describe('The head of household (户主) as recorded'),
    persons: z.number().int(),
    monthlyAmount: z.string(),
    startMonth: z.string(),
    nextReviewOn: z.string().nullable(),
    closedReason: z.string().nullable(),
    closedFromMonth: z.string().nullable(),
    matchedName,
  })
  .meta({ id: 'CaseListItem' });

export const caseListSchema = z
  .object({ region: z.string(), items: z.array(caseListItem), nextCursor })
  .meta({ id: 'CaseList' });

export const applicationListQuery = z.object({
  ...listQuery,
  stage: z
    .enum([...STAGES.filter((s) => s !== 'refused'), 'open'])
    .optional()
    .describe('A stage, or `open` for every stage before a decision'),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const applicationListItem = z
  .object({
    applicationId: z.string(),
    category: z.string(),
    stage: z.string(),
    ...place,
    applicantName: z.string().nullable(),
    acceptedOn: z.string(),
    delegated: z.boolean(),
    overallDeadline: z.string().nullable(),
    deadlineProvisional: z.boolean(),
    atRisk: z.boolean(),
    overdue: z.boolean(),
    matchedName,
  })
  .meta({ id: 'ApplicationListItem' });

export const applicationListSchema = z
  .object({ region: z.string(), items: z.array(applicationListItem), nextCursor })
  .meta({ id: 'ApplicationList' });

export const lookupBody = z.object({ idNumber: idNumberSchema }).meta({ id: 'PersonLookup' });

export const lookupSchema = z
  .object({
    region: z.string(),
    applications: z.array(
      z.object({
        applicationId: z.string(),
        category: z.string(),
        stage: z.string(),
        villageCode: z.string(),
        acceptedOn: z.string(),
        overallDeadline: z.string().nullable(),
        name: z.string(),
        relation: z.string(),
      }),
    ),
    cases: z.array(
      z.object({
        caseId: z.string(),
        category: z.string(),
        status: z.string(),
        villageCode: z.string(),
        monthlyAmount: z.string(),
        startMonth: z.string(),
        closedReason: z.string().nullable(),
        closedFromMonth: z.string().nullable(),
        held: z.boolean().describe('The case holds the person now (R-A1)'),
        name: z.string().nullable(),
        relation: z.string().nullable(),
      }),
    ),
    register: z.array(
      z.object({
        householdKey: z.string(),
        villageCode: z.string(),
        groups: z.array(z.string()),
        sources: z.array(z.string()),
        openWarnings: z.number().int(),
        registeredOn: z.string(),
      }),
    ),
    temporaryGrants: z.array(
      z.object({
        grantId: z.string(),
        applicationId: z.string(),
        amount: z.string(),
        reason: z.string(),
        grantedOn: z.string(),
      }),
    ),
    complaints: z.array(
      z.object({
        complaintId: z.string(),
        source: z.string(),
        subjectKind: z.string(),
        subjectId: z.string(),
        stage: z.string(),
        receivedOn: z.string(),
        deadline: z.string(),
        closedOn: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'PersonRecords' });
