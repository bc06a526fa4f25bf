import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline, YearCalendar } from '../../domain/calendar';
import type { RosterStaff } from '../../domain/close-relative-roster';
import type { CloseRelation, CloseRelativeFiling } from '../../domain/close-relatives';
import type { CivilDate, YearMonth } from '../../domain/dates';
import type { DeadlineParameters } from '../../domain/deadlines';
import type { Assessment, Category } from '../../domain/eligibility';
import type { Household } from '../../domain/household';
import type { Money } from '../../domain/money';
import type { PolicyParameters } from '../../domain/policy';
import type { Actor } from '../../domain/roles';
import type { Difference, Resolution } from '../../domain/verification';
import type { EnrolmentHolder } from './common';

// The application workflow's messages (R-A1 … R-A11).

// ---- Application (R-A1 … R-A11)
export const APPLICATION_CATEGORIES = [
  'dibao',
  'marginal',
  'extreme_poverty',
  'expenditure_type',
  'temporary_assistance',
] as const;
export type ApplicationCategory = (typeof APPLICATION_CATEGORIES)[number];

export const STAGES = [
  'received',
  'verifying',
  'initial_opinion',
  'publicity',
  'decision',
  'approved',
  'rejected',
  'withdrawn',
  /** R-A1: never received: a member was already enrolled elsewhere (no rows were written). */
  'refused',
] as const;
export type Stage = (typeof STAGES)[number];
export const TERMINAL_STAGES: readonly Stage[] = ['approved', 'rejected', 'withdrawn', 'refused'];

export const SPECIAL_CIRCUMSTANCES = ['lives_apart', 'filed_away', 'hard_investigation'] as const;
export type SpecialCircumstance = (typeof SPECIAL_CIRCUMSTANCES)[number];

export interface ApplicationInput {
  applicationId: string;
  category: ApplicationCategory;
  villageCode: string;
  acceptedOn: CivilDate;
  delegated: boolean;
  specialCircumstances: SpecialCircumstance[];
  closeRelative: boolean;
  /** R-O1: who in the household is related to which staff member or cadre, and how. */
  closeRelativeFiling?: CloseRelativeFiling;
  household: Household;
  receivedBy: Actor;
  /** Parameters in force on the receipt date and the runtime calendar, loaded by the API (R-O6). */
  context: ApplicationContext;
}

/** What the workflow loads once at start (activity): parameters in force and the runtime calendar. */
export interface ApplicationContext {
  policy: PolicyParameters;
  deadlines: DeadlineParameters;
  runtimeYears: YearCalendar[];
}

export const DEADLINE_KINDS = [
  'overall',
  'investigation',
  'economic_check',
  'initial_opinion',
  'decision',
  'rejection_notice',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** A tracked deadline keeps its basis (from + working days) so a calendar update can recompute it. */
export interface TrackedDeadline extends Deadline {
  kind: DeadlineKind;
  from: CivilDate;
  workingDays: number;
  atRiskOn: CivilDate;
  atRisk: boolean;
  overdue: boolean;
  metOn?: CivilDate;
  /** Replaced by a later deadline of the same kind (objection, extension) or ended by withdrawal. */
  superseded?: boolean;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  action: string;
  by: Actor | { sub: 'system'; role: 'system' };
  stage: Stage;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface InvestigationInput {
  actor: Actor;
  /** 入户调查 result: household as found by the visit (replaces the declared one). */
  household: Household;
  findings: string;
  visitedOn: CivilDate;
}

export interface EconomicCheckInput {
  actor: Actor;
  checkId: string;
  /** Verified monthly income and financial assets per ID number (信息核对). */
  verified: { idNumber: string; monthlyIncome: Money; financialAssets: Money }[];
  findings: string;
  /** The day the check was made; today when absent (a paper procedure entered later gives it). */
  checkedOn?: CivilDate;
}

export interface InitialOpinionInput {
  actor: Actor;
  eligible: boolean;
  category?: Exclude<ApplicationCategory, 'temporary_assistance'>;
  proposedMonthlyAmount?: Money;
  reasons: string;
  /**
   * R-A4: the day the notice went up on the village board; today when absent. A paper procedure
   * entered afterwards may have posted it earlier (like a paper intake's accepted-on date), never
   * in the future and never before the visit (or the objection) it follows.
   */
  publicityPostedOn?: CivilDate;
  /** R-A2: how each difference between declared and verified data is resolved. */
  resolutions?: Resolution[];
  /**
   * R-E3: the ID number of the member of a marginal household enrolled alone, among those the
   * assessment found may be (needed when there are several; the only one otherwise).
   */
  enrolledAlone?: string;
}

export interface ObjectionInput {
  actor: Actor;
  objectionId: string;
  summary: string;
  /** R-A4: re-investigation by default; a democratic review is the alternative. */
  handling: 're_investigation' | 'democratic_review';
}

export interface DecisionInput {
  actor: Actor;
  approve: boolean;
  /** R-A5: the approved category, when named, is the publicised one (another needs a new publicity). */
  category?: Exclude<ApplicationCategory, 'temporary_assistance'>;
  monthlyAmount?: Money;
  /** R-A8: defaults to the month after the decision (parameter). */
  startMonth?: YearMonth;
  /** R-M4: re-reviewed every 6 months instead of 12 (parameters). */
  unstableIncome?: boolean;
  reasons: string;
  /** R-A5: why the approved amount differs from the publicised one (required then). */
  amountReason?: string;
}

/**
 * R-A5 R-A4: the deciding authority disagrees with a negative or marginal opinion (or wants another
 * category or a higher amount): the application goes back to the township for a new opinion and a
 * new 7-day publicity, after a new investigation when `reinvestigate`.
 */
export interface ReturnInput {
  actor: Actor;
  reasons: string;
  reinvestigate?: boolean;
}

/** R-A6: a special circumstance found during the procedure extends it to 45 working days. */
export interface ExtensionDuringProcedureInput {
  actor: Actor;
  circumstance: SpecialCircumstance;
  reason: string;
}

export interface WithdrawalInput {
  actor: Actor;
  reason: string;
}

export interface TemporaryGrantInput {
  actor: Actor;
  grantId: string;
  amount: Money;
  reason: string;
}

export interface ApplicationView {
  applicationId: string;
  category: ApplicationCategory;
  villageCode: string;
  acceptedOn: CivilDate;
  delegated: boolean;
  extended: boolean;
  extensionReasons: string[];
  stage: Stage;
  policyVersion: string;
  deadlines: TrackedDeadline[];
  currentStep?: TrackedDeadline;
  investigation?: Omit<InvestigationInput, 'actor'> & { by: string };
  economicCheck?: Omit<EconomicCheckInput, 'actor'> & { by: string };
  assessment?: Assessment;
  /** R-A2: every figure the information check verified differently from the declaration. */
  differences?: Difference[];
  opinion?: Omit<InitialOpinionInput, 'actor'> & { by: string; on: CivilDate; suggestedCategory: Category };
  publicity?: {
    round: number;
    postedOn: CivilDate;
    lastDay: CivilDate;
    endsAt: string;
    objections: string[];
  };
  decision?: Omit<DecisionInput, 'actor'> & { by: string; on: CivilDate; noticeId?: string; caseId?: string };
  temporaryGrants: { grantId: string; amount: Money; reason: string; on: CivilDate; by: string }[];
  /** R-O1: what the county's roster named at receipt and at each investigation (each filed). */
  rosterFilings?: RosterFiling[];
  history: HistoryEntry[];
}

/** R-O1: a roster check that named members of the household, as the filing records it. */
export interface RosterFiling {
  occasion: string;
  on: CivilDate;
  matches: { memberIdNumber: string; relatedTo: RosterStaff; relation: CloseRelation }[];
}

export const applicationStateQuery = defineQuery<ApplicationView>('applicationState');
/**
 * R-A1: the receipt as the workflow recorded it. Sent with the start (update-with-start), it
 * answers once the first activity has written the application, its members and their enrolments,
 * or fails with `AlreadyEnrolled` naming the holder.
 */
export const receiptUpdate = defineUpdate<ApplicationView, []>('receipt');

/** R-A1: the member that made a receipt impossible, and where that person is enrolled. */
export interface EnrolmentConflict extends EnrolmentHolder {
  name: string;
}
export const investigationUpdate = defineUpdate<ApplicationView, [InvestigationInput]>('recordInvestigation');
export const economicCheckUpdate = defineUpdate<ApplicationView, [EconomicCheckInput]>('recordEconomicCheck');
export const initialOpinionUpdate = defineUpdate<ApplicationView, [InitialOpinionInput]>(
  'recordInitialOpinion',
);
export const objectionUpdate = defineUpdate<ApplicationView, [ObjectionInput]>('fileObjection');
export const decisionUpdate = defineUpdate<ApplicationView, [DecisionInput]>('decide');
export const returnForOpinionUpdate = defineUpdate<ApplicationView, [ReturnInput]>('returnForNewOpinion');
export const procedureExtensionUpdate = defineUpdate<ApplicationView, [ExtensionDuringProcedureInput]>(
  'extendProcedure',
);
export const withdrawalUpdate = defineUpdate<ApplicationView, [WithdrawalInput]>('withdraw');
export const temporaryGrantUpdate = defineUpdate<ApplicationView, [TemporaryGrantInput]>(
  'grantTemporaryAssistance',
);
/** R-T2: a year's calendar arrived; provisional deadlines are recomputed. */
export const calendarUpdatedSignal = defineSignal<[YearCalendar]>('calendarUpdated');

/** The application workflow's signature, for the clients that start it by name (clients/receipt.ts). */
export type ApplicationWorkflow = (input: ApplicationInput) => Promise<ApplicationResult>;

export interface ApplicationResult {
  applicationId: string;
  stage: Stage;
  /** Set when the receipt was refused (stage `refused`). */
  refused?: EnrolmentConflict;
  caseId?: string;
  noticeId?: string;
}
