import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline, YearCalendar } from '../domain/calendar';
import type { CivilDate, YearMonth } from '../domain/dates';
import type { DeadlineParameters } from '../domain/deadlines';
import type { Assessment, Category } from '../domain/eligibility';
import type { RateEntry, RosteredMonth } from '../domain/entitlement';
import type { Household } from '../domain/household';
import type { Money } from '../domain/money';
import type { PolicyParameters } from '../domain/policy';
import type { Actor } from '../domain/roles';

// Every message, id helper and status union of the workflows (STYLE.md). Imported by the workflows,
// the activities and the API alike, so it must stay free of I/O.

// ---- Workflow ids: business keys with a prefix, and back.
export const applicationWorkflowId = (applicationId: string) => `application:${applicationId}`;
export const caseWorkflowId = (caseId: string) => `case:${caseId}`;
export function idFromWorkflowId(workflowId: string, prefix: 'application' | 'case'): string | undefined {
  return workflowId.startsWith(`${prefix}:`) ? workflowId.slice(prefix.length + 1) : undefined;
}

// ---- Typed business failures (nonRetryable ApplicationFailure types; the API maps them to 409/400).
export const FAILURE = {
  wrongStage: 'WrongStage',
  wrongRole: 'WrongRole',
  invalidStep: 'InvalidStep',
  publicityNotEnded: 'PublicityNotEnded',
  notFound: 'NotFound',
} as const;
export type FailureType = (typeof FAILURE)[keyof typeof FAILURE];

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
] as const;
export type Stage = (typeof STAGES)[number];
export const TERMINAL_STAGES: readonly Stage[] = ['approved', 'rejected', 'withdrawn'];

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
  monthlyAmount?: Money;
  /** R-A8: defaults to the month after the decision (parameter). */
  startMonth?: YearMonth;
  /** R-M4: re-reviewed every 6 months instead of 12 (parameters). */
  unstableIncome?: boolean;
  reasons: string;
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
  history: HistoryEntry[];
}

export const applicationStateQuery = defineQuery<ApplicationView>('applicationState');
export const investigationUpdate = defineUpdate<ApplicationView, [InvestigationInput]>('recordInvestigation');
export const economicCheckUpdate = defineUpdate<ApplicationView, [EconomicCheckInput]>('recordEconomicCheck');
export const initialOpinionUpdate = defineUpdate<ApplicationView, [InitialOpinionInput]>(
  'recordInitialOpinion',
);
export const objectionUpdate = defineUpdate<ApplicationView, [ObjectionInput]>('fileObjection');
export const decisionUpdate = defineUpdate<ApplicationView, [DecisionInput]>('decide');
export const withdrawalUpdate = defineUpdate<ApplicationView, [WithdrawalInput]>('withdraw');
export const temporaryGrantUpdate = defineUpdate<ApplicationView, [TemporaryGrantInput]>(
  'grantTemporaryAssistance',
);
/** R-T2: a year's calendar arrived; provisional deadlines are recomputed. */
export const calendarUpdatedSignal = defineSignal<[YearCalendar]>('calendarUpdated');

export interface ApplicationResult {
  applicationId: string;
  stage: Stage;
  caseId?: string;
  noticeId?: string;
}

// ---- Case in benefit (R-M2 … R-M9)
export const CASE_STATUSES = ['active', 'tapering', 'suspended', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CLOSE_REASONS = [
  'death',
  'taper_exit',
  'review_stop',
  'check_stop',
  'fraud',
  'no_one_covered',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const TASK_KINDS = ['death_review', 're_review', 'data_check', 'change_review'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** R-M6: what a data-comparison system can report (quarterly and half-yearly kinds). */
export const HIT_KINDS = [
  'death',
  'police_deregistration',
  'cremation',
  'imprisonment',
  'state_funded_employment',
  'employee_medical_insurance',
  'work_injury_insurance',
] as const;
export type HitKind = (typeof HIT_KINDS)[number];

export const DEATH_SOURCES = ['integration', 'staff', 'visit_report'] as const;
export type DeathSource = (typeof DEATH_SOURCES)[number];

export const CHANGE_KINDS = [
  'employment',
  'income',
  'members',
  'assets',
  'large_spending',
  'disaster',
  'serious_illness',
  'imprisonment',
  'other',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface CaseMember {
  idNumber: string;
  name: string;
  relation: string;
  covered: boolean;
  diedOn?: CivilDate;
}

/** What approval hands the case workflow (R-A8); the calendar and parameters travel with it. */
export interface CaseInput {
  caseId: string;
  applicationId: string;
  category: Exclude<ApplicationCategory, 'temporary_assistance'>;
  villageCode: string;
  residence: 'urban' | 'rural';
  members: CaseMember[];
  approvedOn: CivilDate;
  approvedBy: string;
  startMonth: YearMonth;
  monthlyAmount: Money;
  closeRelative: boolean;
  /** R-M4: households with unstable income are re-reviewed more often (parameter). */
  unstableIncome: boolean;
  policy: PolicyParameters;
  deadlines: DeadlineParameters;
  runtimeYears: YearCalendar[];
  /** Carried over continue-as-new; absent on the first run. */
  carried?: CaseView;
  /** Tests: continue as new after this many wake-ups, to prove the state survives it. */
  continueAsNewAfter?: number;
}

export interface CaseTask {
  taskId: string;
  kind: TaskKind;
  openedOn: CivilDate;
  due: Deadline;
  /** R-M4: the re-review's target (2 months) before its outer limit; the at-risk point otherwise. */
  atRiskOn: CivilDate;
  atRisk: boolean;
  overdue: boolean;
  subject: {
    idNumber?: string;
    diedOn?: CivilDate;
    hitKind?: HitKind;
    changeKind?: ChangeKind;
    summary: string;
  };
  /** R-M4: a stable household gets the simplified review (one publicity round, fewer documents). */
  simplified?: boolean;
  /** Closed without a result of its own (the case was closed meanwhile). */
  closedOn?: CivilDate;
  result?: { outcome: ReviewOutcome; by: string; on: CivilDate; reasons: string; monthlyAmount?: Money };
}

export const REVIEW_OUTCOMES = ['continue', 'adjust', 'suspend', 'resume', 'stop', 'fraud'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface Adjustment {
  key: string;
  kind: 'back_pay' | 'recovery';
  amount: Money;
  months: YearMonth[];
  reason: string;
  on: CivilDate;
  parameterVersion: string;
}

export interface CaseHistoryEntry {
  seq: number;
  at: string;
  action: string;
  by: Actor | { sub: 'system'; role: 'system' };
  reason?: string;
  details?: Record<string, unknown>;
}

export interface CaseView {
  caseId: string;
  applicationId: string;
  category: CaseInput['category'];
  villageCode: string;
  residence: 'urban' | 'rural';
  status: CaseStatus;
  closed?: { reason: CloseReason; fromMonth: YearMonth; on: CivilDate };
  members: CaseMember[];
  approvedOn: CivilDate;
  startMonth: YearMonth;
  monthlyAmount: Money;
  persons: number;
  policy: PolicyParameters;
  appliedPolicyVersions: string[];
  rates: RateEntry[];
  /** The recent months handed to the payroll (older ones are in Postgres). */
  rostered: RosteredMonth[];
  /** The next month whose roster cut-off the workflow waits for. */
  nextMonth: YearMonth;
  adjustments: Adjustment[];
  tasks: CaseTask[];
  taper?: { changeId: string; reportedOn: CivilDate; firstMonth: YearMonth; lastMonth: YearMonth };
  nextReviewOn: CivilDate;
  reviewIntervalMonths: number;
  unstableIncome: boolean;
  closeRelative: boolean;
  deaths: { idNumber: string; diedOn: CivilDate; noticeIds: string[]; sources: DeathSource[] }[];
  seen: string[];
  notices: string[];
  history: CaseHistoryEntry[];
  /** History entries ever written (the history above keeps only the latest while running long). */
  historyCount: number;
  /** Bumped at every save, carried across continue-as-new: the read model's stale-write guard. */
  revision: number;
}

export interface DeathNotice {
  noticeId: string;
  idNumber: string;
  diedOn: CivilDate;
  source: DeathSource;
  receivedOn: CivilDate;
}

export interface ComparisonHit {
  hitId: string;
  kind: HitKind;
  idNumber: string;
  detectedOn: CivilDate;
  source: string;
  details: string;
}

export interface ChangeReportInput {
  actor: Actor;
  changeId: string;
  kind: ChangeKind;
  reportedOn: CivilDate;
  /** Per-capita monthly income after the change, when the report measures it. */
  perCapitaIncome?: Money;
  summary: string;
  /** Reported through the village's monthly visit report (R-M7) rather than by the household. */
  viaVisitReport?: string;
}

export interface ReviewResultInput {
  actor: Actor;
  taskId: string;
  outcome: ReviewOutcome;
  reasons: string;
  /** 'adjust': the new monthly amount. */
  monthlyAmount?: Money;
  /** 'adjust' / 'stop': from which month (defaults: death reviews from the month after death, else the next month). */
  fromMonth?: YearMonth;
  /** 'fraud': benefit received wrongly since this month; it is recovered (R-M5). */
  overpaidFromMonth?: YearMonth;
}

export interface StandardChange {
  policy: PolicyParameters;
}

export const caseStateQuery = defineQuery<CaseView>('caseState');
export const changeReportUpdate = defineUpdate<CaseView, [ChangeReportInput]>('reportChange');
export const reviewResultUpdate = defineUpdate<CaseView, [ReviewResultInput]>('recordReviewResult');
/** R-M2: from integrations, staff or a visit report; deduplicated by notice id and (person, date). */
export const deathNoticeSignal = defineSignal<[DeathNotice]>('deathNotice');
/** R-M6: opens a check; never changes the entitlement by itself (R-A11). */
export const comparisonHitSignal = defineSignal<[ComparisonHit]>('comparisonHit');
/** R-M7: a visit-report entry that is not a death becomes a change report. */
export const visitEventSignal = defineSignal<[ChangeReportInput]>('visitEvent');
/** R-M8: the county's standard changed (possibly from a past month). */
export const standardChangedSignal = defineSignal<[StandardChange]>('standardChanged');

export interface CaseResult {
  caseId: string;
  status: CaseStatus;
  closed?: CaseView['closed'];
}

// ---- Standard adjustment fan-out (R-M8)
export const standardAdjustmentWorkflowId = (version: string) => `standard:${version}`;
export interface StandardAdjustmentInput {
  policy: PolicyParameters;
  /** Resume point across continue-as-new: case ids after this one. */
  afterCaseId?: string;
  signalled?: number;
}

// ---- Monthly payroll (R-M1, R-E6)
export const payrollId = (countyCode: string, month: YearMonth) => `${countyCode}:${month}`;
export const payrollWorkflowId = (countyCode: string, month: YearMonth) => `payroll:${countyCode}:${month}`;

export interface PayrollContext {
  policy: PolicyParameters;
  deadlines: DeadlineParameters;
  runtimeYears: YearCalendar[];
}

export interface PayrollInput {
  countyCode: string;
  month: YearMonth;
  /** Roster page size (cases per activity call). */
  pageSize?: number;
}

export const PAYROLL_STAGES = ['waiting_for_roster', 'rostering', 'sent', 'completed', 'overdue'] as const;
export type PayrollStage = (typeof PAYROLL_STAGES)[number];

export interface PayrollView {
  payrollId: string;
  countyCode: string;
  month: YearMonth;
  stage: PayrollStage;
  rosterDate: Deadline;
  paymentDate: Deadline;
  quarterlyExtremePoverty: boolean;
  casesDone: number;
  rowsWritten: number;
  retried: number;
  escalated: number;
  /** Open cases that handed no month for this roster (raised to supervisors). */
  missingCases: number;
  file?: { fileName: string; sha256: string; lines: number; amount: Money };
  /** Bank lines by status (sent, paid, failed, returned, …). */
  lines: Record<string, number>;
  overdue: boolean;
}

export const payrollStateQuery = defineQuery<PayrollView>('payrollState');
/** The API received bank results for this payroll: look at the lines again. */
export const paymentResultsSignal = defineSignal<[{ received: number }]>('paymentResults');

export interface PayrollResult {
  payrollId: string;
  stage: PayrollStage;
  lines: Record<string, number>;
}
