import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { YearCalendar } from '../../domain/calendar';
import type {
  AnswerChannel,
  ComplaintFinding,
  ComplaintSource,
  ComplaintSubjectKind,
} from '../../domain/complaints';
import type { CivilDate } from '../../domain/dates';
import type { DeadlineParameters } from '../../domain/deadlines';
import type { Actor } from '../../domain/roles';

// The complaint workflow's messages (R-O4). Each complaint is its own workflow `complaint:<id>`;
// the id is opaque (no personal data, R-O7).

export const complaintWorkflowId = (complaintId: string) => `complaint:${complaintId}`;

/** received → assigned (a handler investigates) → found (named: awaiting the answer) → closed. */
export const COMPLAINT_STAGES = ['received', 'assigned', 'found', 'closed'] as const;
export type ComplaintStage = (typeof COMPLAINT_STAGES)[number];

/** R-O7: a named complainant's name and phone travel only in encrypted payloads. */
export type Complainant = { anonymous: true } | { anonymous: false; name: string; phone: string };

export interface ComplaintSubject {
  kind: ComplaintSubjectKind;
  /** Case or application id, staff member (token subject), or village code. */
  id: string;
}

export interface ComplaintInput {
  complaintId: string;
  source: ComplaintSource;
  receivedOn: CivilDate;
  complainant: Complainant;
  subject: ComplaintSubject;
  /** Where the matter lies (the subject's village); the reach of every reader (API.md). */
  villageCode: string;
  summary: string;
  receivedBy: Actor;
  /** R-O4: the first complaint on the same subject; this one is linked to it, not counted as new. */
  repeatOf?: string;
  /** The county's parameters on the receipt date and the runtime calendar years (R-T2, R-O6). */
  deadlines: Partial<DeadlineParameters>;
  runtimeYears: YearCalendar[];
}

export interface ComplaintEntry {
  seq: number;
  at: string;
  action: string;
  by: Actor | { sub: 'system'; role: 'system' };
  stage: ComplaintStage;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface ComplaintDeadline {
  /** Named: the answer to the complainant; anonymous: closure with a finding. */
  kind: 'answer' | 'finding';
  date: CivilDate;
  provisional: boolean;
  atRiskOn: CivilDate;
}

export interface ComplaintView {
  complaintId: string;
  source: ComplaintSource;
  receivedOn: CivilDate;
  complainant: Complainant;
  subject: ComplaintSubject;
  villageCode: string;
  summary: string;
  receivedBy: string;
  repeatOf?: string;
  stage: ComplaintStage;
  handler?: { sub: string; assignedBy: string; on: CivilDate; note?: string };
  deadline: ComplaintDeadline;
  extension?: { reason: string; by: string; on: CivilDate; previousDate: CivilDate };
  atRisk: boolean;
  /** The deadline passed before the answer (or, anonymous, the finding); it stays set afterwards. */
  overdue: boolean;
  finding?: {
    outcome: ComplaintFinding;
    summary: string;
    by: string;
    on: CivilDate;
    /** R-O4 → R-M6: a check opened on a case; `not_running` when the case had ended meanwhile. */
    dataCheck?: { caseId: string; taskId: string; status: 'opened' | 'not_running' };
    /** R-O4 → R-O2: a spot check asked of the county (the spot-check draw takes it up). */
    spotCheckRequested: boolean;
  };
  answer?: { on: CivilDate; channel: AnswerChannel; summary: string; by: string; late: boolean };
  closedOn?: CivilDate;
  history: ComplaintEntry[];
}

export interface AssignmentInput {
  actor: Actor;
  handler: string;
  note?: string;
}

export interface FindingInput {
  actor: Actor;
  outcome: ComplaintFinding;
  summary: string;
  /** A case the route found running and in the caller's reach (R-M6-style check). */
  dataCheckCaseId?: string;
  spotCheckRequested: boolean;
}

export interface AnswerInput {
  actor: Actor;
  answeredOn: CivilDate;
  channel: AnswerChannel;
  summary: string;
}

export interface ExtensionInput {
  actor: Actor;
  reason: string;
}

export interface ComplaintResult {
  complaintId: string;
  stage: ComplaintStage;
}

export const complaintStateQuery = defineQuery<ComplaintView>('complaintState');
/** The receipt answers once the ledger row is written (update-with-start). */
export const complaintReceiptUpdate = defineUpdate<ComplaintView, []>('receiveComplaint');
export const assignmentUpdate = defineUpdate<ComplaintView, [AssignmentInput]>('assignComplaint');
export const findingUpdate = defineUpdate<ComplaintView, [FindingInput]>('recordFinding');
export const answerUpdate = defineUpdate<ComplaintView, [AnswerInput]>('answerComplaint');
export const extensionUpdate = defineUpdate<ComplaintView, [ExtensionInput]>('extendComplaint');
