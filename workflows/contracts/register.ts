import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline, YearCalendar } from '../../domain/calendar';
import type { CivilDate } from '../../domain/dates';
import type { DeadlineParameters } from '../../domain/deadlines';
import type { Household } from '../../domain/household';
import type { Actor } from '../../domain/roles';
import type { SpecialCircumstance } from './application';
import { HIT_KINDS } from './case';

// The low-income register's messages (R-L1 … R-L3): one entity workflow per household and county.

/** R-L1: the groups a household belongs to; `county_named` for the county's own groups. */
export const REGISTER_GROUPS = [
  'dibao',
  'extreme_poverty',
  'marginal',
  'expenditure_type',
  'county_named',
  'former_recipient',
] as const;
export type RegisterGroup = (typeof REGISTER_GROUPS)[number];
/**
 * R-A11: the groups staff set by hand. Dibao, extreme poverty and former recipient come only from an
 * approval or a closed case: a visit never admits anyone.
 */
export const MANUAL_GROUPS = ['marginal', 'expenditure_type', 'county_named'] as const;

/** R-L1: how a household was found (applications, cases and the caseload import fill the register themselves). */
export const REGISTER_SOURCES = [
  'application',
  'case',
  'import',
  'visit',
  'self_declaration',
  'village_report',
  'data_comparison',
] as const;
export type RegisterSource = (typeof REGISTER_SOURCES)[number];
/** What staff may enter by hand (POST /v1/register/households). */
export const MANUAL_SOURCES = ['visit', 'self_declaration', 'village_report'] as const;

/** R-L2: quarterly screening — the R-M6 sources plus disability, illness, schooling, unemployment. */
export const SCREENING_KINDS = [...HIT_KINDS, 'disability', 'illness', 'schooling', 'unemployment'] as const;
/** R-L2: warning indicators. */
export const WARNING_INDICATORS = [
  'serious_illness',
  'disability_onset',
  'schooling_costs',
  'job_loss',
  'large_medical_spending',
  'disaster',
] as const;
export const MONITORING_KINDS = [...SCREENING_KINDS, ...WARNING_INDICATORS] as const;
export type MonitoringKind = (typeof MONITORING_KINDS)[number];

/** R-L3: departments a need outside minimum living support is pushed to. */
export const REFERRAL_DEPARTMENTS = ['medical', 'education', 'housing', 'temporary_assistance'] as const;
export type ReferralDepartment = (typeof REFERRAL_DEPARTMENTS)[number];
export const REFERRAL_OUTCOMES = ['provided', 'declined', 'forwarded'] as const;

export type RegisterActor = Actor | { sub: string; role: 'system' };

export interface RegisterMember {
  idNumber: string;
  name: string;
  relation: string;
}

/** A household found (or its groups changed) by an application, a case, a visit or a report. */
export interface RegisterFinding {
  /** Deduplicates a resent finding (hooks are retried). */
  findingId: string;
  source: RegisterSource;
  villageCode: string;
  members: RegisterMember[];
  add: RegisterGroup[];
  remove?: RegisterGroup[];
  /** R-L1: the name of a group the county set (with `county_named`). */
  countyGroup?: string;
  /** The application or case that found it. */
  ref?: string;
  note?: string;
  on: CivilDate;
  by: RegisterActor;
  /** Only changes the groups of an entry that exists: starts none (a closure that registers nobody). */
  onlyIfRegistered?: boolean;
}

/** R-L2: one screening hit or warning indicator for a person of the household. */
export interface MonitoringHit {
  hitId: string;
  kind: MonitoringKind;
  idNumber: string;
  detectedOn: CivilDate;
  source: string;
  details?: string;
  /** R-O6: the integration that sent it; absent in signals sent before it was carried. */
  reportedBy?: Actor;
}

/** R-L2: a visit due within 15 working days (parameter) of the warning; flagged like other tasks. */
export interface RegisterTask {
  taskId: string;
  kind: 'visit';
  openedOn: CivilDate;
  /** R-L2: the day its earliest warning was detected, which the due date counts from. */
  countedFrom: CivilDate;
  due: Deadline;
  atRiskOn: CivilDate;
  atRisk: boolean;
  overdue: boolean;
  /** The hits that asked for this visit (one open visit per household collects them). */
  reasons: { hitId: string; kind: MonitoringKind; detectedOn: CivilDate }[];
  closedOn?: CivilDate;
  visitId?: string;
}

export interface VisitInput {
  actor: Actor;
  visitId: string;
  visitedOn: CivilDate;
  findings: string;
  add?: RegisterGroup[];
  remove?: RegisterGroup[];
  /** R-L2 / R-A1: the household now meets the conditions: an application is received for it. */
  application?: {
    category: 'dibao' | 'extreme_poverty';
    acceptedOn: CivilDate;
    delegated: boolean;
    specialCircumstances: SpecialCircumstance[];
    closeRelative: boolean;
    household: Household;
  };
}

export interface Visit {
  visitId: string;
  on: CivilDate;
  by: string;
  findings: string;
  closedTasks: string[];
  applicationId?: string;
  /** R-A1: the receipt was refused: a member is already in an application or case. */
  applicationRefused?: { holderKind: string; holderId: string };
}

export interface ReferralInput {
  actor: Actor;
  referralId: string;
  department: ReferralDepartment;
  need: string;
  referredOn: CivilDate;
}

export interface ReferralAnswerInput {
  actor: Actor;
  referralId: string;
  outcome: (typeof REFERRAL_OUTCOMES)[number];
  answer: string;
  answeredOn: CivilDate;
}

export interface Referral {
  referralId: string;
  department: ReferralDepartment;
  need: string;
  referredOn: CivilDate;
  by: string;
  answer?: { outcome: ReferralAnswerInput['outcome']; text: string; on: CivilDate; by: string };
}

export interface RegisterHistoryEntry {
  seq: number;
  at: string;
  action: string;
  by: RegisterActor;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface RegisterView {
  householdKey: string;
  countyCode: string;
  villageCode: string;
  registeredOn: CivilDate;
  groups: RegisterGroup[];
  countyGroups: string[];
  sources: { source: RegisterSource; on: CivilDate; ref?: string; by: string }[];
  members: RegisterMember[];
  tasks: RegisterTask[];
  visits: Visit[];
  referrals: Referral[];
  /** Ids of findings, hits, visits already applied (each counts once). */
  seen: string[];
  revision: number;
  historySeq: number;
}

export interface RegisterInput {
  countyCode: string;
  householdKey: string;
  villageCode: string;
  deadlines: DeadlineParameters;
  runtimeYears: YearCalendar[];
  carried?: RegisterView;
  /**
   * R-O7: the key of the entry this one replaces (re-keyed from a reversible key): its first save
   * moves that entry's rows to this key, in the same transaction.
   */
  replaces?: string;
  /** Who moved it (the successor records the move, R-O6). */
  relocatedBy?: Actor;
  /** Tests: continue as new after this many wake-ups, to prove the state survives it. */
  continueAsNewAfter?: number;
}

/** No ID number or name: the key is an opaque hash (R-O7). */
export const registerWorkflowId = (countyCode: string, householdKey: string) =>
  `register:${countyCode}:${householdKey}`;

export const registerStateQuery = defineQuery<RegisterView>('registerState');
export const registerFindingSignal = defineSignal<[RegisterFinding]>('registerFinding');
export const registerFindingUpdate = defineUpdate<RegisterView, [RegisterFinding]>('registerFindingByStaff');
export const monitoringHitSignal = defineSignal<[MonitoringHit]>('monitoringHit');
export const registerVisitUpdate = defineUpdate<RegisterView, [VisitInput]>('recordRegisterVisit');
export const referralUpdate = defineUpdate<RegisterView, [ReferralInput]>('recordReferral');
export const referralAnswerUpdate = defineUpdate<RegisterView, [ReferralAnswerInput]>('answerReferral');

/** R-O7: an entry moves to a key nobody can reverse (clients/register-rekey.ts); `by` ran the move. */
export interface RegisterRelocation {
  newKey: string;
  by: Actor;
}
/**
 * R-O7: the entry hands its state to `register:<county>:<newKey>` (started as its successor) and
 * from then on only forwards what still reaches it; answers the successor's view.
 */
export const relocateRegisterUpdate = defineUpdate<RegisterView, [RegisterRelocation]>('relocateRegister');
