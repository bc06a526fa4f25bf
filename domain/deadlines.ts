// Every legal period in one place, each with its rule id (see DOMAIN.md). Counting follows R-T1:
// the start day is not counted; working-day periods count R-T2 working days; calendar-day and month
// periods for an action move to the next working day; the 7-day publicity is a minimum duration and
// does not move. Pure and deterministic: workflows import this (time comes in as arguments).
import type { Deadline, WorkingCalendar } from './calendar';
import {
  addDays,
  addMonths,
  type CivilDate,
  compareDates,
  dayInMonth,
  endOfCivilDay,
  type YearMonth,
} from './dates';

/** Local policy choices (per county, effective-dated by the policy module); defaults from DOMAIN.md. */
export interface DeadlineParameters {
  /** R-A6: whole procedure, receipt to decision. */
  applicationWorkingDays: number;
  /** R-A6: when approval is delegated to the township. */
  delegatedWorkingDays: number;
  /** R-A6: extended (objection, 人户分离, 异地申办, hard investigation); wins over delegated. */
  extendedWorkingDays: number;
  /** R-A6 / R-O3: flag an open application this many working days before its deadline (动态清零). */
  atRiskWorkingDays: number;
  /** R-A2: household investigation, from receipt. */
  investigationWorkingDays: number;
  /** R-A2: economic-status information check, from receipt. */
  economicCheckWorkingDays: number;
  /** R-A3: initial opinion, after both verification results are in. */
  initialOpinionWorkingDays: number;
  /** R-A5: decision, after publicity ends. */
  decisionWorkingDays: number;
  /** R-A4: publicity, calendar days (a minimum duration). */
  publicityDays: number;
  /** R-A7 / R-M9: written rejection or exit notice after the decision. */
  rejectionNoticeWorkingDays: number;
  /** R-M6: a data-comparison hit must be checked within 2 weeks. */
  comparisonCheckDays: number;
  /** R-M2: household review after a death. */
  deathReviewMonths: number;
  /** R-M5: a reported change that needs a staff check (no national figure; calendar days). */
  changeReviewDays: number;
  /** R-M4: a periodic re-review takes 2–3 months: target and outer limit. */
  reviewTargetMonths: number;
  reviewWindowMonths: number;
  /** R-M1: roster to finance by the 5th, payment by the 10th (earlier if not a working day). */
  rosterDay: number;
  paymentDay: number;
  /** R-M7: village visit report by the 20th, township forwards to the county by the 25th. */
  visitReportDay: number;
  townshipForwardDay: number;
  /** R-L2: a warning indicator on a registered household asks for a visit within 15 working days. */
  registerVisitWorkingDays: number;
  /** R-O4: a named complaint is answered within this many working days of its receipt. */
  complaintAnswerWorkingDays: number;
  /** R-O4: the one extension, in working days after the original deadline. */
  complaintExtensionWorkingDays: number;
  /** R-O4 / R-O3: flag an open complaint this many working days before its deadline. */
  complaintAtRiskWorkingDays: number;
  /** R-O2: the county checks a sampled township decision within this many working days of the draw. */
  spotCheckWorkingDays: number;
}

export const DEFAULT_DEADLINE_PARAMETERS: Readonly<DeadlineParameters> = Object.freeze({
  applicationWorkingDays: 30,
  delegatedWorkingDays: 20,
  extendedWorkingDays: 45,
  atRiskWorkingDays: 5,
  investigationWorkingDays: 10,
  economicCheckWorkingDays: 10,
  initialOpinionWorkingDays: 5,
  decisionWorkingDays: 5,
  publicityDays: 7,
  rejectionNoticeWorkingDays: 3,
  comparisonCheckDays: 14,
  deathReviewMonths: 3,
  changeReviewDays: 30,
  reviewTargetMonths: 2,
  reviewWindowMonths: 3,
  rosterDay: 5,
  paymentDay: 10,
  visitReportDay: 20,
  townshipForwardDay: 25,
  registerVisitWorkingDays: 15,
  complaintAnswerWorkingDays: 15,
  complaintExtensionWorkingDays: 15,
  complaintAtRiskWorkingDays: 3,
  spotCheckWorkingDays: 20,
});

export interface ApplicationRoute {
  delegated: boolean;
  extended: boolean;
}

/** R-A6: 30 working days from receipt, 20 when delegated, 45 when extended (extended wins). */
export function applicationDeadline(
  cal: WorkingCalendar,
  receivedOn: CivilDate,
  route: ApplicationRoute,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return cal.addWorkingDays(receivedOn, applicationWorkingDays(route, params));
}

/** R-A6: the length of the whole procedure in working days (extended wins over delegated). */
export function applicationWorkingDays(
  route: ApplicationRoute,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): number {
  if (route.extended) return params.extendedWorkingDays;
  return route.delegated ? params.delegatedWorkingDays : params.applicationWorkingDays;
}

/** R-A6 internal step deadlines (R-A2, R-A3, R-A5) and R-A7 notices: n working days after `from`. */
export function stepDeadline(cal: WorkingCalendar, from: CivilDate, workingDays: number): Deadline {
  return cal.addWorkingDays(from, workingDays);
}

/**
 * R-A6 dynamic zeroing: the working day `atRiskWorkingDays` working days before the deadline.
 * Never before `start` (e.g. receipt): a period shorter than the warning is at risk from its start,
 * so the result may then be `start` itself even if that is not a working day. 0 means the deadline.
 */
export function atRiskDate(
  cal: WorkingCalendar,
  deadline: Deadline,
  atRiskWorkingDays: number,
  start?: CivilDate,
): Deadline {
  if (atRiskWorkingDays === 0) return deadline;
  const before = cal.subtractWorkingDays(deadline.date, atRiskWorkingDays);
  const date = start !== undefined && compareDates(before.date, start) < 0 ? start : before.date;
  return { date, provisional: deadline.provisional || before.provisional };
}

export interface PublicityEnd {
  lastDay: CivilDate;
  endsAt: Date;
}

/** R-A4 / R-T1: ends at 24:00 of the `days`-th day after posting; a minimum duration, never moved. */
export function publicityEnds(
  postedOn: CivilDate,
  days: number = DEFAULT_DEADLINE_PARAMETERS.publicityDays,
): PublicityEnd {
  const lastDay = addDays(postedOn, days);
  return { lastDay, endsAt: endOfCivilDay(lastDay) };
}

/** R-A4: no decision may be taken before publicity has ended. */
export function mayDecideAfterPublicity(
  postedOn: CivilDate,
  now: Date,
  days: number = DEFAULT_DEADLINE_PARAMETERS.publicityDays,
): boolean {
  return now.getTime() >= publicityEnds(postedOn, days).endsAt.getTime();
}

/** R-T1 (Civil Code art. 203): an action's calendar-day period; a non-working last day moves forward. */
export function actionDeadlineAfterDays(cal: WorkingCalendar, from: CivilDate, days: number): Deadline {
  return cal.nextWorkingDayOnOrAfter(addDays(from, days));
}

/** R-T1: as above for months, the last day clamped to month end (30 Nov + 3 months → 28/29 Feb). */
export function actionDeadlineAfterMonths(cal: WorkingCalendar, from: CivilDate, months: number): Deadline {
  return cal.nextWorkingDayOnOrAfter(addMonths(from, months));
}

/** R-M2: the household review is due within 3 months of the date of death. */
export function deathReviewDue(
  cal: WorkingCalendar,
  diedOn: CivilDate,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return actionDeadlineAfterMonths(cal, diedOn, params.deathReviewMonths);
}

/** R-M6: a data-comparison hit must be checked within 14 days of the hit. */
export function comparisonCheckDue(
  cal: WorkingCalendar,
  hitOn: CivilDate,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return actionDeadlineAfterDays(cal, hitOn, params.comparisonCheckDays);
}

/** R-A7 / R-M9: written notice of a rejection or exit, in working days after the decision. */
export function rejectionNoticeDue(
  cal: WorkingCalendar,
  decidedOn: CivilDate,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return stepDeadline(cal, decidedOn, params.rejectionNoticeWorkingDays);
}

/** R-O2: a sampled township decision is checked by the county within n working days of the draw. */
export function spotCheckDue(
  cal: WorkingCalendar,
  drawnOn: CivilDate,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return stepDeadline(
    cal,
    drawnOn,
    params.spotCheckWorkingDays ?? DEFAULT_DEADLINE_PARAMETERS.spotCheckWorkingDays,
  );
}

/** R-M4: a periodic re-review started on `startedOn` aims to close in 2 months, at the latest in 3. */
export function reviewDue(
  cal: WorkingCalendar,
  startedOn: CivilDate,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): { target: Deadline; latest: Deadline } {
  return {
    target: actionDeadlineAfterMonths(cal, startedOn, params.reviewTargetMonths),
    latest: actionDeadlineAfterMonths(cal, startedOn, params.reviewWindowMonths),
  };
}

/** R-M1: the county hands the roster to finance on the last working day on or before the 5th. */
export function rosterDate(
  cal: WorkingCalendar,
  month: YearMonth,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return cal.lastWorkingDayOnOrBefore(dayInMonth(month, params.rosterDay));
}

/** R-M1: payment on the last working day on or before the 10th ("if the 10th is a holiday, pay earlier"). */
export function paymentDate(
  cal: WorkingCalendar,
  month: YearMonth,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return cal.lastWorkingDayOnOrBefore(dayInMonth(month, params.paymentDay));
}

/** R-M7: village visit reports by the 20th, an action deadline, so moved to the next working day. */
export function visitReportDue(
  cal: WorkingCalendar,
  month: YearMonth,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return cal.nextWorkingDayOnOrAfter(dayInMonth(month, params.visitReportDay));
}

/** R-M7: townships forward to the county by the 25th, moved to the next working day likewise. */
export function townshipForwardDue(
  cal: WorkingCalendar,
  month: YearMonth,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return cal.nextWorkingDayOnOrAfter(dayInMonth(month, params.townshipForwardDay));
}

/** R-L2: the visit a screening hit or warning indicator asks for, in working days after it arrived. */
export function registerVisitDue(
  cal: WorkingCalendar,
  openedOn: CivilDate,
  params: DeadlineParameters = DEFAULT_DEADLINE_PARAMETERS,
): Deadline {
  return stepDeadline(cal, openedOn, params.registerVisitWorkingDays ?? 15);
}

/** R-T1: a deadline ends at 24:00 of its day (Asia/Shanghai); the instant a workflow timer waits for. */
export function deadlineInstant(d: Deadline): Date {
  return endOfCivilDay(d.date);
}
