import { addMonthsToYearMonth, civilDateOf, monthOf } from '../../domain/dates';
import { caseEnrolment, enrolledAlone } from '../../domain/enrolment';
import type {
  CaseInput,
  DecisionInput,
  EnrolmentConflict,
  ExtensionDuringProcedureInput,
  HistoryEntry,
  TemporaryGrantInput,
  WithdrawalInput,
} from '../contracts';
import { isCloseRelative } from './close-relatives';
import { type ApplicationParts, SYSTEM } from './record';
import { tick } from './time';

// The application's decision (R-A7, R-A8) and what it hands on to the case, and the procedure's
// other steps: its extension (R-A6), a withdrawal, a refused receipt (R-A1) and a temporary grant
// (R-A10). Each is validated first (checks.ts) and returns the history entry the workflow persists.

export function applyDecision(parts: ApplicationParts, d: DecisionInput, now: Date): HistoryEntry {
  const { record: r, deadlines } = parts;
  tick(parts, now);
  const today = civilDateOf(now);
  const { actor, ...rest } = d;
  // R-A8: payments start from the month after the decision; a marginal household is paid nothing (R-E2).
  const paid = d.approve && r.view.opinion?.category !== 'marginal';
  const startMonth = paid
    ? (d.startMonth ?? addMonthsToYearMonth(monthOf(today), r.ctx.policy.paymentStartOffsetMonths))
    : undefined;
  r.view.decision = { ...rest, startMonth, by: actor.sub, on: today };
  r.view.stage = d.approve ? 'approved' : 'rejected';
  deadlines.meet('overall', today);
  deadlines.meet('decision', today);
  if (!d.approve) deadlines.track('rejection_notice', today, r.ctx.deadlines.rejectionNoticeWorkingDays);
  return r.record(now, d.approve ? 'approved' : 'rejected', actor, d.reasons, {
    monthlyAmount: d.monthlyAmount,
    ...(d.amountReason ? { amountReason: d.amountReason } : {}),
    startMonth,
    parameterVersion: r.ctx.policy.version,
  });
}

/** R-A7: the rejection's written notice was issued (its deadline is met). */
export function noticeIssued({ record: r, deadlines }: ApplicationParts, noticeId: string, now: Date) {
  if (r.view.decision) r.view.decision.noticeId = noticeId;
  deadlines.meet('rejection_notice', civilDateOf(now));
}

/**
 * What the case-in-benefit workflow starts from (R-A8): the household as investigated — or, for a
 * one-person enrolment (R-E3, R-E4), that person alone (the rest of the household is no part of it).
 */
export function caseInputOf({ record: r }: ApplicationParts, caseId: string, d: DecisionInput): CaseInput {
  const decision = r.view.decision!;
  const category = r.view.opinion?.category ?? r.input.category;
  const alone = enrolledAlone(r.household(), r.view.assessment, r.view.opinion);
  return {
    caseId,
    applicationId: r.input.applicationId,
    category: category === 'temporary_assistance' ? 'dibao' : category,
    villageCode: r.input.villageCode,
    residence: r.household().residence,
    members: caseEnrolment(r.household().members, alone).members.map((m) => ({
      idNumber: m.idNumber,
      name: m.name,
      relation: m.relation,
      covered: true,
    })),
    ...(alone ? { alone: alone.rule } : {}),
    approvedOn: decision.on,
    approvedBy: decision.by,
    startMonth: decision.startMonth!,
    monthlyAmount: decision.monthlyAmount ?? '0.00',
    closeRelative: isCloseRelative(r),
    unstableIncome: d.unstableIncome ?? false,
    policy: r.ctx.policy,
    deadlines: r.ctx.deadlines,
    runtimeYears: r.ctx.runtimeYears,
  };
}

/** R-A6: a special circumstance found during the procedure: 45 working days from receipt. */
export function applyProcedureExtension(
  { record: r, deadlines }: ApplicationParts,
  x: ExtensionDuringProcedureInput,
  now: Date,
): HistoryEntry {
  r.view.extended = true;
  r.view.extensionReasons.push(`special circumstance: ${x.circumstance} (${x.reason})`);
  deadlines.track('overall', r.view.acceptedOn, deadlines.overallWorkingDays());
  return r.record(now, 'procedure_extended', x.actor, x.reason, { circumstance: x.circumstance });
}

export function applyWithdrawal(
  { record: r, deadlines }: ApplicationParts,
  w: WithdrawalInput,
  now: Date,
): HistoryEntry {
  const today = civilDateOf(now);
  r.view.stage = 'withdrawn';
  deadlines.meet('overall', today);
  deadlines.supersede();
  return r.record(now, 'withdrawn', w.actor, w.reason, { on: today });
}

/** R-A1: a member is already enrolled elsewhere: nothing was received, no deadline runs. */
export function refuseReceipt(
  { record: r, deadlines }: ApplicationParts,
  c: EnrolmentConflict,
  now: Date,
): HistoryEntry {
  r.view.stage = 'refused';
  deadlines.supersede();
  return r.record(now, 'receipt_refused', SYSTEM, 'a member is already enrolled', {
    holderKind: c.holderKind,
    holderId: c.holderId,
  });
}

/** R-A10: paid at once while the application is pending, documented afterwards. */
export function applyTemporaryGrant(
  { record: r }: ApplicationParts,
  g: TemporaryGrantInput,
  now: Date,
): HistoryEntry {
  const on = civilDateOf(now);
  r.view.temporaryGrants.push({
    grantId: g.grantId,
    amount: g.amount,
    reason: g.reason,
    on,
    by: g.actor.sub,
  });
  return r.record(now, 'temporary_grant', g.actor, g.reason, { grantId: g.grantId, amount: g.amount });
}
