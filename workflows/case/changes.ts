import { civilDateOf, compareDates } from '../../domain/dates';
import { actionDeadlineAfterDays, comparisonCheckDue } from '../../domain/deadlines';
import { compareMonths, taperMonths } from '../../domain/entitlement';
import { compare } from '../../domain/money';
import { reaches } from '../../domain/region';
import { type ChangeReportInput, type ComparisonHit, type ComplaintCheck, FAILURE } from '../contracts';
import type { CaseParts } from './ledger';
import { applyMemberChange, checkMemberChange } from './members';
import { maxMonth, refuse, SYSTEM } from './record';

// Events that open work on a case without deciding it: a data-comparison hit opens a 14-day check
// (R-M6) and changes nothing by itself (R-A11); a change report (R-M5) opens a change review, except
// employment above the standard, which starts the 6-payment taper (R-M3), and income falling back
// below it, which ends the taper.

/**
 * R-M6: a hit opens a check due in 14 days; it never changes the entitlement by itself (R-A11). Both
 * are recorded as the integration that sent it (R-O6).
 */
export function applyHit({ record: r }: CaseParts, h: ComparisonHit, now: Date): void {
  if (r.hasSeen(`hit:${h.hitId}`)) return;
  r.markSeen(`hit:${h.hitId}`);
  const by = h.reportedBy ?? SYSTEM;
  r.record(now, 'comparison_hit', by, undefined, {
    hitId: h.hitId,
    kind: h.kind,
    idNumber: h.idNumber,
    source: h.source,
  });
  if (r.closed) return;
  const due = comparisonCheckDue(r.cal, h.detectedOn, r.input.deadlines);
  r.openTaskToday(
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
export function applyComplaintCheck({ record: r }: CaseParts, check: ComplaintCheck, now: Date): void {
  if (r.hasSeen(`complaint:${check.checkId}`) || r.closed) return;
  r.markSeen(`complaint:${check.checkId}`);
  const due = comparisonCheckDue(r.cal, civilDateOf(now), r.input.deadlines);
  r.openTaskToday(
    now,
    {
      taskId: check.checkId,
      kind: 'data_check',
      due,
      subject: {
        complaintId: check.complaintId,
        summary: `complaint ${check.complaintId}: ${check.summary}`,
      },
    },
    check.requestedBy,
  );
}

/** Validator of a change report (an Update): township staff reaching the case, not in the future. */
export function checkChange(c: CaseParts, change: ChangeReportInput, now: Date): void {
  const { record: r } = c;
  const status = r.view.status;
  if (r.closed) throw refuse(FAILURE.wrongStage, `case ${r.view.caseId} is closed`, status);
  if (change.actor.role !== 'township_staff')
    throw refuse(FAILURE.wrongRole, 'change reports are recorded by township staff (R-M5)', status);
  if (!reaches(change.actor.region, r.view.villageCode))
    throw refuse(FAILURE.wrongRole, `region ${change.actor.region} does not reach this case`, status);
  if (compareDates(change.reportedOn, civilDateOf(now)) > 0)
    throw refuse(FAILURE.invalidStep, `reportedOn ${change.reportedOn} is in the future`, status);
  if (change.members && change.kind !== 'members')
    throw refuse(FAILURE.invalidStep, 'members belong to a change of kind members (R-M5)', status);
  checkMemberChange(c, change.members);
}

/** R-M5 / R-M3: a change report; employment above the standard starts the taper. */
export function applyChange(c: CaseParts, change: ChangeReportInput, now: Date): void {
  const { record: r, ledger } = c;
  const v = r.view;
  if (r.hasSeen(`change:${change.changeId}`) || r.closed) return;
  r.markSeen(`change:${change.changeId}`);
  r.record(now, 'change_reported', change.actor, change.summary, {
    changeId: change.changeId,
    kind: change.kind,
    perCapitaIncome: change.perCapitaIncome,
    viaVisitReport: change.viaVisitReport,
  });
  if (change.members) applyMemberChange(c, change.members, change.actor, now);
  if (change.perCapitaIncome !== undefined)
    v.perCapitaIncome = { amount: change.perCapitaIncome, reportedOn: change.reportedOn };
  const standard = r.standard(v.policy);
  const above = change.perCapitaIncome !== undefined && compare(change.perCapitaIncome, standard) >= 0;
  if (v.status === 'tapering' && change.perCapitaIncome !== undefined && !above) {
    // R-M3: income fell back below the standard during the taper: the taper ends, the case goes on.
    v.taper = undefined;
    v.status = 'active';
    r.record(
      now,
      'taper_ended',
      change.actor,
      `per-capita income ${change.perCapitaIncome} below the standard ${standard}`,
    );
    return;
  }
  if (change.kind === 'employment' && above && v.status === 'active') {
    const t = taperMonths(change.reportedOn, v.policy.taperPayments);
    if (v.policy.taperPayments === 0 || compareMonths(t.lastMonth, v.nextMonth) < 0) {
      ledger.close(
        now,
        change.actor,
        'taper_exit',
        maxMonth(t.exitMonth, v.nextMonth),
        `employment lifts per-capita income to ${change.perCapitaIncome} (R-M3)`,
      );
      return;
    }
    v.taper = {
      changeId: change.changeId,
      reportedOn: change.reportedOn,
      firstMonth: t.firstMonth,
      lastMonth: t.lastMonth,
    };
    v.status = 'tapering';
    r.record(
      now,
      'taper_started',
      change.actor,
      `employment lifts per-capita income to ${change.perCapitaIncome}, above the standard ${standard} (R-M3)`,
      t,
    );
    return;
  }
  const due = actionDeadlineAfterDays(r.cal, change.reportedOn, r.input.deadlines.changeReviewDays);
  r.openTaskToday(now, {
    taskId: `change-${change.changeId}`,
    kind: 'change_review',
    due,
    dueFrom: change.reportedOn,
    subject: { changeKind: change.kind, summary: change.summary },
  });
  // R-O1: the household as it now stands is checked against the close-relative roster (a match is
  // filed by the check, not by the staff member who reported the change).
  if (change.kind === 'members')
    r.effects.push({
      kind: 'filing',
      occasion: `change:${change.changeId}`,
      on: change.reportedOn,
      by: SYSTEM.sub,
      rosterOnly: true,
    });
}
