// R-O4 complaints and tip-offs: the vocabulary of the ledger (台账) and its deadlines. Pure and
// deterministic: the complaint workflow, its activities and the API import it.
import type { Deadline, WorkingCalendar } from './calendar';
import { addDays, type CivilDate, compareDates } from './dates';
import { atRiskDate, DEFAULT_DEADLINE_PARAMETERS, type DeadlineParameters } from './deadlines';

/** R-O4: how a complaint reached the administration. */
export const COMPLAINT_SOURCES = ['hotline_12345', 'letter', 'visit', 'online'] as const;
export type ComplaintSource = (typeof COMPLAINT_SOURCES)[number];

/** R-O4: what a complaint is about: a case, an application, a staff member, a village. */
export const COMPLAINT_SUBJECT_KINDS = ['case', 'application', 'staff', 'village'] as const;
export type ComplaintSubjectKind = (typeof COMPLAINT_SUBJECT_KINDS)[number];

export const COMPLAINT_FINDINGS = ['substantiated', 'partly_substantiated', 'unsubstantiated'] as const;
export type ComplaintFinding = (typeof COMPLAINT_FINDINGS)[number];

export const ANSWER_CHANNELS = ['phone', 'letter', 'visit', 'online'] as const;
export type AnswerChannel = (typeof ANSWER_CHANNELS)[number];

/**
 * R-O4: a complaint on a subject that already had one within this many days is a repeat: linked to
 * the first, not counted as new in the ledger.
 */
export const REPEAT_WINDOW_DAYS = 365;

/** Is `receivedOn` within the repeat window of an earlier complaint received on `firstOn`? */
export function isRepeatWindow(firstOn: CivilDate, receivedOn: CivilDate): boolean {
  return compareDates(receivedOn, addDays(firstOn, REPEAT_WINDOW_DAYS)) <= 0;
}

type Params = Pick<
  DeadlineParameters,
  'complaintAnswerWorkingDays' | 'complaintExtensionWorkingDays' | 'complaintAtRiskWorkingDays'
>;

/** Parameters of a county, with the defaults for a policy stored before complaints had them. */
export function complaintParameters(p: Partial<DeadlineParameters>): Params {
  const d = DEFAULT_DEADLINE_PARAMETERS;
  return {
    complaintAnswerWorkingDays: p.complaintAnswerWorkingDays ?? d.complaintAnswerWorkingDays,
    complaintExtensionWorkingDays: p.complaintExtensionWorkingDays ?? d.complaintExtensionWorkingDays,
    complaintAtRiskWorkingDays: p.complaintAtRiskWorkingDays ?? d.complaintAtRiskWorkingDays,
  };
}

/** R-O4 / R-T1: answered (or, anonymous, closed with a finding) within 15 working days of receipt. */
export function complaintDeadline(cal: WorkingCalendar, receivedOn: CivilDate, p: Params): Deadline {
  return cal.addWorkingDays(receivedOn, Math.max(1, p.complaintAnswerWorkingDays));
}

/** R-O4: the one extension runs on from the original deadline. */
export function extendedComplaintDeadline(cal: WorkingCalendar, original: Deadline, p: Params): Deadline {
  const d = cal.addWorkingDays(original.date, Math.max(1, p.complaintExtensionWorkingDays));
  return { date: d.date, provisional: d.provisional || original.provisional };
}

/** R-O3: the working day from which an open complaint is flagged at risk. */
export function complaintAtRiskOn(
  cal: WorkingCalendar,
  deadline: Deadline,
  receivedOn: CivilDate,
  p: Params,
): CivilDate {
  return atRiskDate(cal, deadline, p.complaintAtRiskWorkingDays, receivedOn).date;
}

/** R-O7: a phone number in a list shows its last four digits only. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s/g, '');
  return digits.length <= 4 ? '****' : `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}
