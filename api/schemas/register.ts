import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { householdSchema } from '../../domain/household-schema';
import { idNumberSchemaAsOf } from '../../domain/idnumber-schema';
import { regionCodeSchema, villageCodeSchema } from '../../domain/region-schema';
import { HOUSEHOLD_KEY_PATTERN, LEGACY_HOUSEHOLD_KEY_PATTERN } from '../../domain/register-key';

/**
 * A household id as routes take it: a keyed id, or one of before keyed ids until the re-keying
 * (clients/register-rekey.ts) has moved it — after that its row is gone and it answers 404.
 */
const HOUSEHOLD_ID = new RegExp(`${HOUSEHOLD_KEY_PATTERN.source}|${LEGACY_HOUSEHOLD_KEY_PATTERN.source}`);
const householdId = () => z.string().regex(HOUSEHOLD_ID, 'a register household id');

import {
  MANUAL_GROUPS,
  MANUAL_SOURCES,
  MONITORING_KINDS,
  REFERRAL_DEPARTMENTS,
  REFERRAL_OUTCOMES,
  REGISTER_GROUPS,
  REGISTER_SOURCES,
  SPECIAL_CIRCUMSTANCES,
} from '../../workflows/contracts';
import { dueSchema, notFuture, text } from './cases';
import { referralAssistanceSchema } from './temporary-assistance';

// Request and response shapes of API.md "Low-income register" (R-L1 … R-L3).

const stepId = (what: string) =>
  z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, `${what}: 1–100 letters, digits or _ . : -`);
const idNumber = () => idNumberSchemaAsOf(civilDateOf(new Date()));
const member = z.object({
  idNumber: idNumber(),
  name: z.string().trim().min(1).max(100),
  relation: z.string().trim().min(1).max(50),
});

export const householdParams = z.object({
  id: householdId(),
});
export const referralParams = householdParams.extend({ referralId: stepId('referralId') });

export const registerQuery = z.object({
  region: regionCodeSchema.optional().describe("Default: the caller's region"),
  group: z.enum(REGISTER_GROUPS).optional(),
  flag: z.enum(['open', 'at_risk', 'overdue']).optional().describe('Households with such a warning open'),
  after: householdId().optional().describe('Cursor: the last id of the page before'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const newHouseholdBody = z
  .object({
    source: z.enum(MANUAL_SOURCES),
    villageCode: villageCodeSchema,
    foundOn: notFuture('foundOn'),
    members: z.array(member).min(1).max(30).describe('The first member is the household head'),
    groups: z
      .array(z.enum(MANUAL_GROUPS))
      .max(3)
      .default([])
      .describe('Dibao, extreme poverty and former recipient come from approvals and cases only (R-A11)'),
    countyGroup: z.string().trim().min(1).max(100).optional().describe('Name of a county-named group'),
    note: z.string().max(4000).optional(),
  })
  .refine((b) => !b.groups.includes('county_named') || b.countyGroup, {
    path: ['countyGroup'],
    message: 'required with the group county_named',
  })
  .refine((b) => new Set(b.members.map((m) => m.idNumber)).size === b.members.length, {
    path: ['members'],
    message: 'a person is listed twice',
  })
  .meta({ id: 'RegisterHousehold' });

export const visitBody = z
  .object({
    visitId: stepId('visitId'),
    visitedOn: notFuture('visitedOn'),
    findings: text('findings'),
    add: z
      .array(z.enum(MANUAL_GROUPS))
      .max(3)
      .default([])
      .describe('Groups the visit found (R-A11: never dibao)'),
    remove: z.array(z.enum(MANUAL_GROUPS)).max(3).default([]),
    application: z
      .object({
        category: z.enum(['dibao', 'extreme_poverty']),
        acceptedOn: notFuture('application.acceptedOn'),
        delegated: z.boolean(),
        specialCircumstances: z.array(z.enum(SPECIAL_CIRCUMSTANCES)).default([]),
        closeRelative: z.boolean(),
        household: householdSchema,
      })
      .optional()
      .describe('R-L2: the household now meets the conditions; an application is received for it (R-A1)'),
  })
  .meta({ id: 'RegisterVisit' });

export const referralBody = z
  .object({
    referralId: stepId('referralId'),
    department: z.enum(REFERRAL_DEPARTMENTS),
    need: text('need'),
    referredOn: notFuture('referredOn'),
    temporaryAssistance: referralAssistanceSchema
      .optional()
      .describe('R-A10: with department temporary_assistance (required there), the request it opens'),
  })
  .refine((b) => (b.department === 'temporary_assistance') === (b.temporaryAssistance !== undefined), {
    path: ['temporaryAssistance'],
    message: 'a referral to temporary assistance, and only one, names the request it opens',
  })
  .meta({ id: 'RegisterReferral' });

export const referralAnswerBody = z
  .object({ outcome: z.enum(REFERRAL_OUTCOMES), answer: text('answer'), answeredOn: notFuture('answeredOn') })
  .meta({ id: 'RegisterReferralAnswer' });

const warning = z.object({
  taskId: z.string(),
  kind: z.literal('visit'),
  openedOn: z.string(),
  countedFrom: z
    .string()
    .optional()
    .describe('R-L2: the day the earliest warning was detected; the due date counts from it'),
  due: dueSchema,
  atRiskOn: z.string(),
  atRisk: z.boolean(),
  overdue: z.boolean(),
  reasons: z.array(z.object({ hitId: z.string(), kind: z.string(), detectedOn: z.string() })),
  closedOn: z.string().optional(),
  visitId: z.string().optional(),
});

export const registerViewSchema = z
  .object({
    householdId: z.string(),
    countyCode: z.string(),
    villageCode: z.string(),
    registeredOn: z.string(),
    groups: z.array(z.enum(REGISTER_GROUPS)),
    countyGroups: z.array(z.string()),
    sources: z.array(
      z.object({
        source: z.enum(REGISTER_SOURCES),
        on: z.string(),
        ref: z.string().optional(),
        by: z.string(),
      }),
    ),
    members: z.array(z.object({ idNumber: z.string(), name: z.string(), relation: z.string() })),
    openWarnings: z.array(warning).describe('R-L2: visits due, with at-risk and overdue flags'),
    tasks: z.array(warning),
    visits: z.array(
      z.object({
        visitId: z.string(),
        on: z.string(),
        by: z.string(),
        findings: z.string(),
        closedTasks: z.array(z.string()),
        applicationId: z.string().optional(),
        applicationRefused: z.object({ holderKind: z.string(), holderId: z.string() }).optional(),
      }),
    ),
    referrals: z.array(
      z.object({
        referralId: z.string(),
        department: z.enum(REFERRAL_DEPARTMENTS),
        need: z.string(),
        referredOn: z.string(),
        by: z.string(),
        answer: z
          .object({ outcome: z.enum(REFERRAL_OUTCOMES), text: z.string(), on: z.string(), by: z.string() })
          .optional(),
      }),
    ),
  })
  .meta({ id: 'RegisterHouseholdView' });

export const registerPage = z
  .object({ items: z.array(registerViewSchema), next: z.string().optional() })
  .meta({ id: 'RegisterPage' });

export const monitoringHitItem = () =>
  z.object({
    hitId: z.string().min(1).max(200),
    kind: z.enum(MONITORING_KINDS),
    idNumber: idNumber(),
    detectedOn: notFuture('detectedOn'),
    source: z.string().trim().min(1).max(200),
    details: z.string().max(4000).optional(),
    villageCode: villageCodeSchema
      .optional()
      .describe('Where the person lives: a person not yet registered is registered there (R-L1)'),
  });

export const monitoringHitBatch = z
  .object({
    hits: z
      .array(z.unknown())
      .min(1)
      .max(5000)
      .describe(
        `{hitId, kind, idNumber, detectedOn, source, details?, villageCode?} each; kind one of ${MONITORING_KINDS.join(', ')}`,
      ),
  })
  .meta({ id: 'MonitoringHitBatch' });

export const MONITORING_OUTCOMES = [
  'matched',
  'registered',
  'duplicate',
  'unknown',
  'forbidden',
  'invalid',
] as const;
export const monitoringHitReport = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int(),
        hitId: z.string().optional(),
        outcome: z
          .enum(MONITORING_OUTCOMES)
          .describe(
            'matched: sent to the household, a visit is due; registered: the person was not registered ' +
              'and now is (data comparison), a visit is due; duplicate: id already received; unknown: not ' +
              "registered and no village given (recorded); forbidden: outside the caller's region",
          ),
        householdId: z.string().optional(),
        problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      }),
    ),
    counts: z.record(z.enum(MONITORING_OUTCOMES), z.number().int()),
  })
  .meta({ id: 'MonitoringHitReport' });

export type RegisterViewOut = z.output<typeof registerViewSchema>;
