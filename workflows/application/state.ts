import { addMonthsToYearMonth, civilDateOf, compareDates, monthOf } from '../../domain/dates';
import { publicityEnds } from '../../domain/deadlines';
import { assess } from '../../domain/eligibility';
import { caseEnrolment, enrolledAlone } from '../../domain/enrolment';
import { differences, verifiedHousehold } from '../../domain/verification';
import type {
  ApplicationView,
  CaseInput,
  DecisionInput,
  EconomicCheckInput,
  EnrolmentConflict,
  ExtensionDuringProcedureInput,
  HistoryEntry,
  InitialOpinionInput,
  InvestigationInput,
  ObjectionInput,
  ReturnInput,
  TemporaryGrantInput,
  WithdrawalInput,
} from '../contracts';
import { ApplicationChecks } from './checks';
import { isCloseRelative } from './close-relatives';
import { SYSTEM } from './deadlines';

// The application's state and its rules (R-A2 … R-A10), kept apart from the workflow function so
// it reads as the procedure: deadlines (application-deadlines.ts), then the validators
// (application-checks.ts), then here the `apply*` transitions, which mutate and return the history
// entry the workflow persists. Time always comes in as an argument (workflow time).

export class ApplicationState extends ApplicationChecks {
  // ---- transitions (validated first)

  applyInvestigation(i: InvestigationInput, now: Date): HistoryEntry {
    const { actor, ...rest } = i;
    this.view.investigation = { ...rest, by: actor.sub };
    // One clock: a step is met on the day it happened (a paper procedure entered later keeps it).
    this.meet('investigation', i.visitedOn);
    const entry = this.record(now, 'investigation_recorded', actor, i.findings, { visitedOn: i.visitedOn });
    this.afterVerification(now);
    return entry;
  }

  applyEconomicCheck(e: EconomicCheckInput, now: Date): HistoryEntry {
    const { actor, ...rest } = e;
    this.view.economicCheck = { ...rest, by: actor.sub };
    this.meet('economic_check', e.checkedOn ?? civilDateOf(now));
    const entry = this.record(now, 'economic_check_recorded', actor, e.findings, { checkId: e.checkId });
    this.afterVerification(now);
    return entry;
  }

  /** R-A2: the opinion waits for both results; then the suggestion is computed (R-E*). */
  private afterVerification(now: Date) {
    if (!this.view.investigation || !this.view.economicCheck) return;
    this.view.stage = 'initial_opinion';
    // R-A2: the verified figures are the basis of the suggestion; the differences are listed.
    const verified = this.view.economicCheck.verified;
    this.view.differences = differences(this.household(), verified);
    this.view.assessment = assess(verifiedHousehold(this.household(), verified), this.ctx.policy, {
      asOf: civilDateOf(now),
    });
    // R-A6, one clock: the opinion's step runs from the day verification was complete — the later
    // of the visit and the check, as they happened — not from the day the data was entered.
    const checked = this.view.economicCheck.checkedOn ?? civilDateOf(now);
    const visited = this.view.investigation.visitedOn;
    const complete = compareDates(visited, checked) > 0 ? visited : checked;
    this.track('initial_opinion', complete, this.ctx.deadlines.initialOpinionWorkingDays);
  }

  applyInitialOpinion(o: InitialOpinionInput, now: Date): HistoryEntry {
    const today = civilDateOf(now);
    const { actor, ...rest } = o;
    // R-A2: a declared figure kept with a reason replaces the verified one in the suggestion.
    if (o.resolutions?.some((r) => r.use === 'declared') && this.view.economicCheck) {
      const basis = verifiedHousehold(this.household(), this.view.economicCheck.verified, o.resolutions);
      this.view.assessment = assess(basis, this.ctx.policy, { asOf: today });
    }
    this.view.opinion = {
      ...rest,
      by: actor.sub,
      on: today,
      suggestedCategory: this.view.assessment?.suggestedCategory ?? 'not_eligible',
    };
    this.meet('initial_opinion', today);
    // R-A4: posted on the day of the opinion (or the day staff say it went up); ends at 24:00 of
    // the 7th day after, never moved.
    const round = (this.view.publicity?.round ?? 0) + 1;
    const postedOn = o.publicityPostedOn ?? today;
    const ends = publicityEnds(postedOn, this.ctx.deadlines.publicityDays);
    this.view.publicity = {
      round,
      postedOn,
      lastDay: ends.lastDay,
      endsAt: ends.endsAt.toISOString(),
      objections: [],
    };
    this.view.stage = 'publicity';
    return this.record(now, 'initial_opinion_recorded', actor, o.reasons, {
      eligible: o.eligible,
      category: o.category,
      proposedMonthlyAmount: o.proposedMonthlyAmount,
      suggested: this.view.assessment?.suggestedCategory,
      suggestedAmount: this.view.assessment?.monthlyAmount,
      publicityRound: round,
      publicityPostedOn: postedOn,
      publicityEnds: ends.lastDay,
    });
  }

  /** R-A4 / R-A6: back to re-investigation, a new opinion and publicity; deadline extended to 45. */
  applyObjection(o: ObjectionInput, now: Date): HistoryEntry {
    const today = civilDateOf(now);
    this.view.publicity?.objections.push(o.objectionId);
    const entry = this.record(now, 'objection_filed', o.actor, o.summary, {
      objectionId: o.objectionId,
      handling: o.handling,
    });
    if (!this.view.extended) {
      this.view.extended = true;
      this.view.extensionReasons.push('objection during publicity');
      this.track('overall', this.view.acceptedOn, this.overallWorkingDays());
    }
    this.view.investigation = undefined;
    this.view.opinion = undefined;
    this.view.assessment = undefined;
    this.view.stage = 'verifying';
    this.track('investigation', today, this.ctx.deadlines.investigationWorkingDays);
    return entry;
  }

  applyDecision(d: DecisionInput, now: Date): HistoryEntry {
    this.tick(now);
    const today = civilDateOf(now);
    const { actor, ...rest } = d;
    // R-A8: payments start from the month after the decision; a marginal household is paid nothing (R-E2).
    const paid = d.approve && this.view.opinion?.category !== 'marginal';
    const startMonth = paid
      ? (d.startMonth ?? addMonthsToYearMonth(monthOf(today), this.ctx.policy.paymentStartOffsetMonths))
      : undefined;
    this.view.decision = { ...rest, startMonth, by: actor.sub, on: today };
    this.view.stage = d.approve ? 'approved' : 'rejected';
    this.meet('overall', today);
    this.meet('decision', today);
    if (!d.approve) this.track('rejection_notice', today, this.ctx.deadlines.rejectionNoticeWorkingDays);
    return this.record(now, d.approve ? 'approved' : 'rejected', actor, d.reasons, {
      monthlyAmount: d.monthlyAmount,
      ...(d.amountReason ? { amountReason: d.amountReason } : {}),
      startMonth,
      parameterVersion: this.ctx.policy.version,
    });
  }

  /**
   * R-A5 R-A4: back to the township for a new opinion (after a new investigation when asked) and a
   * new 7-day publicity; the verification that stands is kept, the deadline runs on (R-A6).
   */
  applyReturn(r: ReturnInput, now: Date): HistoryEntry {
    const today = civilDateOf(now);
    for (const d of this.openDeadlines()) if (d.kind === 'decision') d.superseded = true;
    const entry = this.record(now, 'returned_for_new_opinion', r.actor, r.reasons, {
      opinion: this.view.opinion
        ? { eligible: this.view.opinion.eligible, category: this.view.opinion.category }
        : undefined,
      reinvestigate: r.reinvestigate ?? false,
    });
    this.view.opinion = undefined;
    if (r.reinvestigate) {
      this.view.investigation = undefined;
      this.view.assessment = undefined;
      this.view.stage = 'verifying';
      this.track('investigation', today, this.ctx.deadlines.investigationWorkingDays);
    } else {
      this.view.stage = 'initial_opinion';
      this.track('initial_opinion', today, this.ctx.deadlines.initialOpinionWorkingDays);
    }
    return entry;
  }

  /** R-A6: a special circumstance found during the procedure: 45 working days from receipt. */
  applyProcedureExtension(x: ExtensionDuringProcedureInput, now: Date): HistoryEntry {
    this.view.extended = true;
    this.view.extensionReasons.push(`special circumstance: ${x.circumstance} (${x.reason})`);
    this.track('overall', this.view.acceptedOn, this.overallWorkingDays());
    return this.record(now, 'procedure_extended', x.actor, x.reason, { circumstance: x.circumstance });
  }

  applyWithdrawal(w: WithdrawalInput, now: Date): HistoryEntry {
    const today = civilDateOf(now);
    this.view.stage = 'withdrawn';
    this.meet('overall', today);
    for (const d of this.openDeadlines()) d.superseded = true;
    return this.record(now, 'withdrawn', w.actor, w.reason, { on: today });
  }

  /** R-A1: a member is already enrolled elsewhere: nothing was received, no deadline runs. */
  refuse(c: EnrolmentConflict, now: Date): HistoryEntry {
    this.view.stage = 'refused';
    for (const d of this.openDeadlines()) d.superseded = true;
    return this.record(now, 'receipt_refused', SYSTEM, 'a member is already enrolled', {
      holderKind: c.holderKind,
      holderId: c.holderId,
    });
  }

  applyTemporaryGrant(g: TemporaryGrantInput, now: Date): HistoryEntry {
    const on = civilDateOf(now);
    this.view.temporaryGrants.push({
      grantId: g.grantId,
      amount: g.amount,
      reason: g.reason,
      on,
      by: g.actor.sub,
    });
    return this.record(now, 'temporary_grant', g.actor, g.reason, { grantId: g.grantId, amount: g.amount });
  }

  noticeIssued(noticeId: string, now: Date) {
    if (this.view.decision) this.view.decision.noticeId = noticeId;
    this.meet('rejection_notice', civilDateOf(now));
  }

  caseRecorded(caseId: string) {
    if (this.view.decision) this.view.decision.caseId = caseId;
  }

  /**
   * What the case-in-benefit workflow starts from (R-A8): the household as investigated — or, for a
   * one-person enrolment (R-E3, R-E4), that person alone (the rest of the household is no part of it).
   */
  caseInput(caseId: string, d: DecisionInput): CaseInput {
    const decision = this.view.decision!;
    const category = this.view.opinion?.category ?? this.input.category;
    const alone = enrolledAlone(this.household(), this.view.assessment, this.view.opinion);
    return {
      caseId,
      applicationId: this.input.applicationId,
      category: category === 'temporary_assistance' ? 'dibao' : category,
      villageCode: this.input.villageCode,
      residence: this.household().residence,
      members: caseEnrolment(this.household().members, alone).members.map((m) => ({
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
      closeRelative: isCloseRelative(this),
      unstableIncome: d.unstableIncome ?? false,
      policy: this.ctx.policy,
      deadlines: this.ctx.deadlines,
      runtimeYears: this.ctx.runtimeYears,
    };
  }

  snapshot(): ApplicationView {
    const current = this.openDeadlines().filter((d) => d.kind !== 'overall');
    return { ...this.view, currentStep: current[current.length - 1] };
  }
}
