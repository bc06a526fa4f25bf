import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Deadline, YearCalendar } from '../../domain/calendar';
import type { CivilDate, YearMonth } from '../../domain/dates';
import type { Money } from '../../domain/money';
import type { Actor } from '../../domain/roles';
import type {
  DecidingLevel,
  HardshipKind,
  TemporaryAssistanceLimits,
  UnemploymentFacts,
} from '../../domain/temporary-assistance';

// The temporary-assistance workflow's messages (R-A10): one workflow `temporary-assistance:<id>`
// per request for help; the id is opaque (no personal data, R-O7).

export const temporaryAssistanceWorkflowId = (assistanceId: string) => `temporary-assistance:${assistanceId}`;

/**
 * received → granted (paid at once through its own bank line; a township grant is documented
 * afterwards) → closed once the bank paid (or returned) it and the documentation is in; or
 * received → rejected (a written notice).
 */
export const TEMPORARY_ASSISTANCE_STAGES = ['received', 'granted', 'closed', 'rejected'] as const;
export type TemporaryAssistanceStage = (typeof TEMPORARY_ASSISTANCE_STAGES)[number];

export interface AssistedPerson {
  name: string;
  idNumber: string;
  relation: string;
}

/** How the request reached the township (R-A10; R-L3 a referral from the register). */
export type AssistanceSource =
  | { kind: 'staff' }
  | { kind: 'referral'; householdId: string; referralId: string }
  | { kind: 'application'; applicationId: string };

export interface TemporaryAssistanceInput {
  assistanceId: string;
  /** Where the hardship happened: that township acts, whatever the registration (R-A10). */
  villageCode: string;
  residence: 'urban' | 'rural';
  /** The person who asks and is paid (first), then the household's other members. */
  members: AssistedPerson[];
  hardshipKind: HardshipKind;
  hardship: string;
  occurredOn: CivilDate;
  unemployment?: UnemploymentFacts;
  amountAsked: Money;
  receivedOn: CivilDate;
  receivedBy: Actor;
  source: AssistanceSource;
  /** The county's limits in force on the receipt date and the runtime calendar (R-O6, R-T2). */
  limits: TemporaryAssistanceLimits;
  runtimeYears: YearCalendar[];
}

export interface TemporaryAssistanceEntry {
  seq: number;
  at: string;
  action: string;
  by: Actor | { sub: 'system'; role: 'system' };
  stage: TemporaryAssistanceStage;
  reason?: string;
  details?: Record<string, unknown>;
}

export type PaymentStatus = 'sent' | 'paid' | 'failed' | 'returned';

export interface TemporaryPayment {
  lineId: string;
  amount: Money;
  /** The month the ledger counts it in (the month of the decision). */
  month: YearMonth;
  status: PaymentStatus;
  sentOn: CivilDate;
  fileName?: string;
  /** The bank's latest applied result. */
  result?: { resultId: string; outcome: PaymentStatus; on: string; reason?: string };
}

export interface TemporaryDocumentation {
  due: Deadline;
  atRiskOn: CivilDate;
  atRisk: boolean;
  /** The deadline passed before the documentation; it stays set afterwards. */
  overdue: boolean;
  documentedOn?: CivilDate;
  by?: string;
  summary?: string;
  documents?: string[];
  late?: boolean;
}

export interface TemporaryAssistanceView {
  assistanceId: string;
  villageCode: string;
  residence: 'urban' | 'rural';
  members: AssistedPerson[];
  hardshipKind: HardshipKind;
  hardship: string;
  occurredOn: CivilDate;
  unemployment?: UnemploymentFacts;
  amountAsked: Money;
  receivedOn: CivilDate;
  receivedBy: string;
  source: AssistanceSource;
  limits: TemporaryAssistanceLimits;
  stage: TemporaryAssistanceStage;
  decision?: {
    approve: boolean;
    level: DecidingLevel;
    amount?: Money;
    reasons: string;
    on: CivilDate;
    by: string;
    /** What the household had been granted in the same calendar year before this grant. */
    grantedThisYear?: Money;
  };
  /** R-A10: paid at once, exactly once, through its own bank line. */
  payment?: TemporaryPayment;
  /** R-A10: only a township grant paid first from the reserve fund is documented afterwards. */
  documentation?: TemporaryDocumentation;
  noticeId?: string;
  /** R-L3: a request opened by a register referral answers it when decided. */
  referralAnswered?: boolean;
  closedOn?: CivilDate;
  history: TemporaryAssistanceEntry[];
}

export interface TemporaryDecisionInput {
  actor: Actor;
  approve: boolean;
  /** The grant (approval only). */
  amount?: Money;
  reasons: string;
}

export interface TemporaryDocumentationInput {
  actor: Actor;
  documentedOn: CivilDate;
  summary: string;
  documents: string[];
}

export interface TemporaryPaymentResultInput {
  actor: Actor;
  resultId: string;
  outcome: 'paid' | 'failed' | 'returned';
  reason?: string;
  reportedAt: string;
}

export interface TemporaryAssistanceResult {
  assistanceId: string;
  stage: TemporaryAssistanceStage;
}

/** The workflow's signature, for the clients that start it by name (checked in workflows/index.ts). */
export type TemporaryAssistanceWorkflow = (
  input: TemporaryAssistanceInput,
) => Promise<TemporaryAssistanceResult>;

export const temporaryAssistanceStateQuery = defineQuery<TemporaryAssistanceView>('temporaryAssistanceState');
/** The receipt answers once the read-model row is written (update-with-start). */
export const temporaryAssistanceReceiptUpdate = defineUpdate<TemporaryAssistanceView, []>(
  'receiveTemporaryAssistance',
);
export const temporaryDecisionUpdate = defineUpdate<TemporaryAssistanceView, [TemporaryDecisionInput]>(
  'decideTemporaryAssistance',
);
export const temporaryDocumentationUpdate = defineUpdate<
  TemporaryAssistanceView,
  [TemporaryDocumentationInput]
>('documentTemporaryAssistance');
export const temporaryPaymentResultUpdate = defineUpdate<
  TemporaryAssistanceView,
  [TemporaryPaymentResultInput]
>('temporaryPaymentResult');
