import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline, YearCalendar } from '../../domain/calendar';
import type { CivilDate, YearMonth } from '../../domain/dates';
import type { DeadlineParameters } from '../../domain/deadlines';
import type { AloneRule } from '../../domain/enrolment';
import type { PaidBeforeImport, RateEntry, RosteredMonth } from '../../domain/entitlement';
import type { Money } from '../../domain/money';
import type { PolicyParameters } from '../../domain/policy';
import type { Actor } from '../../domain/roles';
import type { ApplicationCategory } from './application';
import type { RepaymentDemand } from './demands';
import type { ImportedState } from './import';

// The case-in-benefit workflow's messages (a new standard's, R-M8: standard.ts).

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
  /** R-O2: the county's spot check reversed the township's approval. */
  'spot_check_reversed',
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

/**
 * R-M2: who reported a death — staff, the monthly visit report, or data comparison with the
 * health (death certificates), police (household deregistration), cremation and civil-affairs
 * (marriage and funeral registration) systems; `integration` for a comparison system not named.
 */
export const DEATH_SOURCES = [
  'integration',
  'staff',
  'visit_report',
  'health',
  'police',
  'cremation',
  'civil_affairs',
] as const;
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
  /** R-E3 / R-E4: a one-person enrolment — the case is its one member, whatever the household. */
  alone?: AloneRule;
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
  /** A case brought in by a caseload import starts in this state instead of at approval (R-M1). */
  imported?: ImportedState;
  /** Tests: continue as new after this many wake-ups, to prove the state survives it. */
  continueAsNewAfter?: number;
}

export interface CaseTask {
  taskId: string;
  kind: TaskKind;
  openedOn: CivilDate;
  due: Deadline;
  /**
   * R-T2: the day the period counts from (a hit's detection, a change's report; else the opening day),
   * so a calendar published later computes the same period again.
   */
  dueFrom?: CivilDate;
  /** R-M4: the re-review's target (2 months) before its outer limit; the at-risk point otherwise. */
  atRiskOn: CivilDate;
  atRisk: boolean;
  overdue: boolean;
  subject: {
    idNumber?: string;
    diedOn?: CivilDate;
    hitKind?: HitKind;
    changeKind?: ChangeKind;
    /** R-O4: the complaint whose finding opened this check. */
    complaintId?: string;
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
  /** R-E3 / R-E4: a one-person enrolment (absent for a household). */
  alone?: AloneRule;
  approvedOn: CivilDate;
  startMonth: YearMonth;
  monthlyAmount: Money;
  persons: number;
  policy: PolicyParameters;
  appliedPolicyVersions: string[];
  rates: RateEntry[];
  /** The recent months handed to the payroll (older ones are in Postgres). */
  rostered: RosteredMonth[];
  /** R-M10: an imported case's months its previous system paid (a recovery reaches them too). */
  paidBeforeImport?: PaidBeforeImport;
  /** The next month whose roster cut-off the workflow waits for. */
  nextMonth: YearMonth;
  adjustments: Adjustment[];
  /** R-M10: repayment demands (absent in views carried from before demands existed). */
  demands?: RepaymentDemand[];
  tasks: CaseTask[];
  taper?: { changeId: string; reportedOn: CivilDate; firstMonth: YearMonth; lastMonth: YearMonth };
  /** R-M5: the latest per-capita monthly income a change report measured (R-L1 reads it at closure). */
  perCapitaIncome?: { amount: Money; reportedOn: CivilDate };
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
  /** R-O6: who reported it (staff, the integration, the township sending a visit report); absent in older signals. */
  reportedBy?: Actor;
}

/** What the case made of a death notice it received (R-M2). */
export type DeathNoticeOutcome = 'applied' | 'duplicate' | 'not_member';

export interface ComparisonHit {
  hitId: string;
  kind: HitKind;
  idNumber: string;
  detectedOn: CivilDate;
  source: string;
  details: string;
  /** R-O6: the integration that sent it; absent in signals sent before it was carried. */
  reportedBy?: Actor;
}

/** R-O4: what a complaint's finding asks the case to check; the staff member who asked (R-O6). */
export interface ComplaintCheck {
  checkId: string;
  complaintId: string;
  summary: string;
  requestedBy: Actor;
}

/**
 * R-M5 / R-M4: people who joined the household or left it, reported on a case (a change report of
 * kind `members`, or a re-review's or change review's result). A newcomer is claimed for the case
 * (R-A1: refused while held by another application or case); a leaver is released.
 */
export interface MemberChange {
  added?: { idNumber: string; name: string; relation: string }[];
  /** ID numbers of members the case covers. */
  removed?: string[];
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
  /** Kind `members`: who joined or left (R-M5). */
  members?: MemberChange;
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
  /** A re-review or change review that found members joined or left (R-M4, R-M5). */
  members?: MemberChange;
}

export const caseStateQuery = defineQuery<CaseView>('caseState');
export const changeReportUpdate = defineUpdate<CaseView, [ChangeReportInput]>('reportChange');
export const reviewResultUpdate = defineUpdate<CaseView, [ReviewResultInput]>('recordReviewResult');
/** R-M2: from integrations, staff or a visit report; deduplicated by notice id and (person, date). */
export const deathNoticeSignal = defineSignal<[DeathNotice]>('deathNotice');
/** R-M2: a death reported by staff on the case; answers once the case has recorded the notice. */
export const deathReportUpdate = defineUpdate<DeathNoticeOutcome, [DeathNotice]>('reportDeath');
/** R-M6: opens a check; never changes the entitlement by itself (R-A11). */
export const comparisonHitSignal = defineSignal<[ComparisonHit]>('comparisonHit');
/** R-O4: a complaint's finding asks the case for a check (handled like an R-M6 hit, R-A11). */
export const complaintCheckSignal = defineSignal<[ComplaintCheck]>('complaintCheck');
/** R-M7: a visit-report entry that is not a death becomes a change report. */
export const visitEventSignal = defineSignal<[ChangeReportInput]>('visitEvent');

export interface CaseResult {
  caseId: string;
  status: CaseStatus;
  closed?: CaseView['closed'];
}
