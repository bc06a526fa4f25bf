import { civilDateOf, compareDates } from '../../domain/dates';
import { actionDeadlineAfterDays, comparisonCheckDue } from '../../domain/deadlines';
import { compareMonths, taperMonths } from '../../domain/entitlement';
import { compare } from '../../domain/money';
import { reaches } from '../../domain/region';
import { type ChangeReportInput, type ComparisonHit, type ComplaintCheck, FAILURE } from '../contracts';
import { refuse, SYSTEM } from './core';
import type { CaseLedger } from './ledger';
import { applyMemberChange, checkMemberChange } from './members';

// Events that open work on a case without deciding it: a data-comparison hit opens a 14-day check
// (R-M6) and changes nothing by itself (R-A11); a change report (R-M5) opens a change review, except
// employment above the standard, which starts the 6-payment taper (R-M3), and income falling back
// below it, which ends the taper.

/**
 * R-M6: a hit opens a check due in 14 days; it never changes the entitlement by itself (R-A11). Both
 * are recorded as the integration that sent it (R-O6).
 */
export function applyHit(s: CaseLedger, h: ComparisonHit, now: Date): void {
  if (s.hasSeen(`hit:${h.hitId}`)) return;
  s.markSeen(`hit:${h.hitId}`);
  const by = h.reportedBy ?? SYSTEM;
  s.record(now, 'comparison_hit', by, undefined, {
    hitId: h.hitId,
    kind: h.kind,
    idNumber: h.idNumber,
    source: h.source,
  });
  if (s.closed) return;
  const due = comparisonCheckDue(s.cal, h.detectedOn, s.input.deadlines);
  s.openTaskToday(
    now,
    {
      taskId: `check-${h.hitId}`,
      kind: 'data_check',
      due,
      dueFrom: h.detectedOn,
      subject: {
        idNumber: h.idNumber,
        hitKind: h.kind,
        summary: `${h.kind} reported by ${h.source}: ${h.details}`,
      },
    },
    by,
  );
}

/**
 * R-O4 → R-M6: a complaint's finding opens a data check like a hit (due in 2 weeks), recorded as
 * asked by the staff member who made the finding (R-O6); it changes nothing by itself (R-A11).
 */
export function applyComplaintCheck(s: CaseLedger, c: ComplaintCheck, now: Date): void {
  if (s.hasSeen(`complaint:${c.checkId}`) || s.closed) return;
  s.markSeen(`complaint:${c.checkId}`);
  const due = comparisonCheckDue(s.cal, civilDateOf(now), s.input.deadlines);
  s.openTaskToday(
    now,
    {
      taskId: c.checkId,
      kind: 'data_check',
      due,
      subject: { complaintId: c.complaintId, summary: `complaint ${c.complaintId}: ${c.summary}` },
    },
    c.requestedBy,
  );
}

/** Validator of a change report (an Update): township staff reaching the case, not in the future. */
export function checkChange(s: CaseLedger, c: ChangeReportInput, now: Date): void {
  const status = s.view.status;
  if (s.closed) throw refuse(FAILURE.wrongStage, `case ${s.view.caseId} is closed`, status);
  if (c.actor.role !== 'township_staff')
    throw refuse(FAILURE.wrongRole, 'change reports are recorded by township staff (R-M5)', status);
  if (!reaches(c.actor.region, s.view.villageCode))
    throw refuse(FAILURE.wrongRole, `region ${c.actor.region} does not reach this case`, status);
  if (compareDates(c.reportedOn, civilDateOf(now)) > 0)
    throw refuse(FAILURE.invalidStep, `reportedOn ${c.reportedOn} is in the future`, status);
  if (c.members && c.kind !== 'members')
    throw refuse(FAILURE.invalidStep, 'members belong to a change of kind members (R-M5)', status);
  checkMemberChange(s, c.members);
}

/** R-M5 / R-M3: a change report; employment above the standard starts the taper. */
export function applyChange(s: CaseLedger, c: ChangeReportInput, now: Date): void {
  const v = s.view;
  if (s.hasSeen(`change:${c.changeId}`) || s.closed) return;
  s.markSeen(`change:${c.changeId}`);
  s.record(now, 'change_reported', c.actor, c.summary, {
    changeId: c.changeId,
    kind: c.kind,
    perCapitaIncome: c.perCapitaIncome,
    viaVisitReport: c.viaVisitReport,
  });
  if (c.members) applyMemberChange(s, c.members, c.actor, now);
  if (c.perCapitaIncome !== undefined)
    v.perCapitaIncome = { amount: c.perCapitaIncome, reportedOn: c.reportedOn };
  const standard = s.standard(v.policy);
  const above = c.perCapitaIncome !== undefined && compare(c.perCapitaIncome, standard) >= 0;
  if (v.status === 'tapering' && c.perCapitaIncome !== undefined && !above) {
    // R-M3: income fell back below the standard during the taper: the taper ends, the case goes on.
    v.taper = undefined;
    v.status = 'active';
    s.record(
      now,
      'taper_ended',
      c.actor,
      `per-capita income ${c.perCapitaIncome} below the standard ${standard}`,
    );
    return;
  }
  if (c.kind === 'employment' && above && v.status === 'active') {
    const t = taperMonths(c.reportedOn, v.policy.taperPayments);
    if (v.policy.taperPayments === 0 || compareMonths(t.lastMonth, v.nextMonth) < 0) {
      s.close(
        now,
        c.actor,
        'taper_exit',
        s.maxMonth(t.exitMonth, v.nextMonth),
        `employment lifts per-capita income to ${c.perCapitaIncome} (R-M3)`,
      );
      return;
    }
    v.taper = {
      changeId: c.changeId,
      reportedOn: c.reportedOn,
      firstMonth: t.firstMonth,
      lastMonth: t.lastMonth,
    };
    v.status = 'tapering';
    s.record(
      now,
      'taper_started',
      c.actor,
      `employment lifts per-capita income to ${c.perCapitaIncome}, above the standard ${standard} (R-M3)`,
      t,
    );
    return;
  }
  const due = actionDeadlineAfterDays(s.cal, c.reportedOn, s.input.deadlines.changeReviewDays);
  s.openTaskToday(now, {
    taskId: `change-${c.changeId}`,
    kind: 'change_review',
    due,
    dueFrom: c.reportedOn,
    subject: { changeKind: c.kind, summary: c.summary },
  });
  // R-O1: the household as it now stands is checked against the close-relative roster (a match is
  // filed by the check, not by the staff member who reported the change).
  if (c.kind === 'members')
    s.effects.push({
      kind: 'filing',
      occasion: `change:${c.changeId}`,
      on: c.reportedOn,
      by: SYSTEM.sub,
      rosterOnly: true,
    });
}
