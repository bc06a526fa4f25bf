import { ApplicationFailure } from '@temporalio/common';
import { type Deadline, WorkingCalendar, type YearCalendar } from '../domain/calendar';
import {
  addMonthsToYearMonth,
  type CivilDate,
  civilDateOf,
  compareDates,
  endOfCivilDay,
  monthOf,
  startOfCivilDay,
} from '../domain/dates';
import { applicationWorkingDays, atRiskDate, publicityEnds, stepDeadline } from '../domain/deadlines';
import { assess } from '../domain/eligibility';
import { compare, isZero } from '../domain/money';
import { reaches } from '../domain/region';
import type { Actor, Role } from '../domain/roles';
import {
  type ApplicationContext,
  type ApplicationInput,
  type ApplicationView,
  type CaseInput,
  type DeadlineKind,
  type DecisionInput,
  type EconomicCheckInput,
  type EnrolmentConflict,
  FAILURE,
  type HistoryEntry,
  type InitialOpinionInput,
  type InvestigationInput,
  type ObjectionInput,
  type Stage,
  TERMINAL_STAGES,
  type TemporaryGrantInput,
  type TrackedDeadline,
  type WithdrawalInput,
} from './messages';

// The application's state and its rules (R-A2 … R-A10, R-A6 deadlines), kept apart from the
// workflow function so it reads as the procedure. `check*` methods never mutate: they are the
// update validators, refusing a step before it enters history. `apply*` methods mutate and return
// the history entry the workflow persists. Time always comes in as an argument (workflow time).

const refuse = (type: string, message: string, stage: Stage) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ stage }] });

const SYSTEM = { sub: 'system', role: 'system' } as const;

export class ApplicationState {
  private cal: WorkingCalendar;
  readonly view: ApplicationView;

  constructor(
    readonly input: ApplicationInput,
    readonly ctx: ApplicationContext,
    now: Date,
  ) {
    this.cal = ctx.runtimeYears.reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
    const extensionReasons = input.specialCircumstances.map((s) => `special circumstance: ${s}`);
    this.view = {
      applicationId: input.applicationId,
      category: input.category,
      villageCode: input.villageCode,
      acceptedOn: input.acceptedOn,
      delegated: input.delegated,
      extended: extensionReasons.length > 0,
      extensionReasons,
      stage: 'received',
      policyVersion: ctx.policy.version,
      deadlines: [],
      temporaryGrants: [],
      history: [],
    };
    this.track('overall', input.acceptedOn, this.overallWorkingDays());
    this.track('investigation', input.acceptedOn, ctx.deadlines.investigationWorkingDays);
    this.track('economic_check', input.acceptedOn, ctx.deadlines.economicCheckWorkingDays);
    this.record(now, 'received', input.receivedBy, undefined, { closeRelative: input.closeRelative });
    this.view.stage = 'verifying';
  }

  get stage(): Stage {
    return this.view.stage;
  }

  get terminal(): boolean {
    return TERMINAL_STAGES.includes(this.view.stage);
  }

  // ---- deadlines (R-A6, R-T1, R-T2)

  private overallWorkingDays(): number {
    return applicationWorkingDays(
      { delegated: this.view.delegated, extended: this.view.extended },
      this.ctx.deadlines,
    );
  }

  private track(kind: DeadlineKind, from: CivilDate, workingDays: number): TrackedDeadline {
    this.view.deadlines
      .filter((d) => d.kind === kind && !d.metOn && !d.superseded)
      .forEach((d) => {
        d.superseded = true;
      });
    const due = stepDeadline(this.cal, from, workingDays);
    const tracked: TrackedDeadline = {
      kind,
      from,
      workingDays,
      ...due,
      ...this.atRisk(kind, due, from, workingDays),
    };
    this.view.deadlines.push(tracked);
    return tracked;
  }

  private atRisk(kind: DeadlineKind, due: Deadline, from: CivilDate, workingDays: number) {
    // Steps shorter than the warning period are warned at half their length.
    const n =
      kind === 'overall'
        ? this.ctx.deadlines.atRiskWorkingDays
        : Math.min(this.ctx.deadlines.atRiskWorkingDays, Math.floor(workingDays / 2));
    const at = atRiskDate(this.cal, due, n, from);
    return {
      atRiskOn: at.date,
      atRisk: false,
      overdue: false,
      provisional: due.provisional || at.provisional,
    };
  }

  private meet(kind: DeadlineKind, on: CivilDate) {
    for (const d of this.view.deadlines) if (d.kind === kind && !d.metOn && !d.superseded) d.metOn = on;
  }

  openDeadlines(): TrackedDeadline[] {
    return this.view.deadlines.filter((d) => !d.metOn && !d.superseded);
  }

  /** The next instant at which a flag or the publicity end changes, for the workflow's timer. */
  nextWakeUp(now: Date): Date | undefined {
    const instants: Date[] = [];
    for (const d of this.openDeadlines()) {
      if (!d.atRisk) instants.push(startOfCivilDay(d.atRiskOn));
      if (!d.overdue) instants.push(endOfCivilDay(d.date));
    }
    if (this.view.stage === 'publicity' && this.view.publicity)
      instants.push(new Date(this.view.publicity.endsAt));
    const future = instants
      .filter((t) => t.getTime() > now.getTime())
      .sort((a, b) => a.getTime() - b.getTime());
    const due = instants.some((t) => t.getTime() <= now.getTime());
    return due ? now : future[0];
  }

  /**
   * Applies the passage of time: publicity that has ended opens the decision (R-A4); deadlines
   * become at risk or overdue (R-A6). Returns what changed so the workflow can notify. Nothing is
   * ever decided by time alone.
   */
  tick(now: Date): {
    flagged: { deadline: TrackedDeadline; flag: 'at_risk' | 'overdue' }[];
    entries: HistoryEntry[];
  } {
    const flagged: { deadline: TrackedDeadline; flag: 'at_risk' | 'overdue' }[] = [];
    const entries: HistoryEntry[] = [];
    const pub = this.view.publicity;
    if (this.view.stage === 'publicity' && pub && now.getTime() >= new Date(pub.endsAt).getTime()) {
      this.view.stage = 'decision';
      this.track('decision', pub.lastDay, this.ctx.deadlines.decisionWorkingDays);
      entries.push(this.record(now, 'publicity_ended', SYSTEM, undefined, { round: pub.round }));
    }
    for (const d of this.openDeadlines()) {
      if (!d.atRisk && now.getTime() >= startOfCivilDay(d.atRiskOn).getTime()) {
        d.atRisk = true;
        flagged.push({ deadline: d, flag: 'at_risk' });
      }
      if (!d.overdue && now.getTime() >= endOfCivilDay(d.date).getTime()) {
        d.overdue = true;
        flagged.push({ deadline: d, flag: 'overdue' });
      }
    }
    return { flagged, entries };
  }

  /** R-T2: a newly published year replaces the fallback; open deadlines are recomputed. */
  applyCalendar(year: YearCalendar, now: Date): HistoryEntry | undefined {
    this.cal = this.cal.withYear(year);
    const changed: string[] = [];
    for (const d of this.openDeadlines()) {
      const due = stepDeadline(this.cal, d.from, d.workingDays);
      if (due.date !== d.date || due.provisional !== d.provisional)
        changed.push(`${d.kind}: ${d.date} → ${due.date}`);
      Object.assign(d, due, this.atRisk(d.kind, due, d.from, d.workingDays));
    }
    this.tick(now);
    return changed.length
      ? this.record(now, 'deadlines_recomputed', SYSTEM, `calendar ${year.year}`, { changed })
      : undefined;
  }

  isAtRisk(): boolean {
    return this.openDeadlines().some((d) => d.atRisk);
  }

  isOverdue(): boolean {
    return this.openDeadlines().some((d) => d.overdue);
  }

  overallDeadline(): TrackedDeadline {
    const open = this.view.deadlines.filter((d) => d.kind === 'overall' && !d.superseded);
    return open[open.length - 1]!;
  }

  // ---- validators (no mutation)

  private effectiveStage(now: Date): Stage {
    const pub = this.view.publicity;
    if (this.view.stage === 'publicity' && pub && now.getTime() >= new Date(pub.endsAt).getTime())
      return 'decision';
    return this.view.stage;
  }

  private expect(now: Date, stages: Stage[], step: string) {
    const stage = this.effectiveStage(now);
    if (!stages.includes(stage)) {
      throw refuse(FAILURE.wrongStage, `${step} is not possible in stage ${stage}`, stage);
    }
  }

  private expectActor(actor: Actor, roles: Role[], step: string) {
    if (!roles.includes(actor.role)) {
      throw refuse(
        FAILURE.wrongRole,
        `${step} needs role ${roles.join(' or ')}, not ${actor.role}`,
        this.view.stage,
      );
    }
    if (!reaches(actor.region, this.view.villageCode)) {
      throw refuse(
        FAILURE.wrongRole,
        `region ${actor.region} does not reach ${this.view.villageCode}`,
        this.view.stage,
      );
    }
  }

  private invalid(message: string): never {
    throw refuse(FAILURE.invalidStep, message, this.view.stage);
  }

  checkInvestigation(i: InvestigationInput, now: Date) {
    this.expect(now, ['verifying'], 'household investigation');
    this.expectActor(i.actor, ['township_staff'], 'household investigation');
    if (this.view.investigation)
      this.invalid('the household investigation of this round is already recorded');
    if (compareDates(i.visitedOn, civilDateOf(now)) > 0) this.invalid('visitedOn is in the future');
    if (compareDates(i.visitedOn, this.view.acceptedOn) < 0)
      this.invalid('visitedOn is before the application was accepted');
  }

  checkEconomicCheck(e: EconomicCheckInput, now: Date) {
    this.expect(now, ['verifying'], 'information check');
    this.expectActor(e.actor, ['integration', 'township_staff'], 'information check');
    if (this.view.economicCheck) this.invalid('the information check is already recorded');
    const members = new Set(this.household().members.map((m) => m.idNumber));
    const unknown = e.verified.filter((v) => !members.has(v.idNumber)).map((v) => v.idNumber);
    if (unknown.length) this.invalid(`not members of this household: ${unknown.join(', ')}`);
  }

  checkInitialOpinion(o: InitialOpinionInput, now: Date) {
    this.expect(now, ['initial_opinion'], 'initial opinion');
    this.expectActor(o.actor, ['township_staff'], 'initial opinion');
    if (!o.reasons.trim()) this.invalid('an initial opinion needs reasons (R-A3)');
    if (!o.eligible && (o.category || o.proposedMonthlyAmount)) {
      this.invalid('a negative opinion has no category or amount');
    }
    if (o.publicityPostedOn !== undefined) {
      const posted = o.publicityPostedOn;
      if (compareDates(posted, civilDateOf(now)) > 0) this.invalid('publicityPostedOn is in the future');
      const visited = this.view.investigation?.visitedOn ?? this.view.acceptedOn;
      const reopened = [...this.view.history].reverse().find((e) => e.action === 'objection_filed')?.at;
      const earliest =
        reopened && compareDates(civilDateOf(new Date(reopened)), visited) > 0
          ? civilDateOf(new Date(reopened))
          : visited;
      if (compareDates(posted, earliest) < 0)
        this.invalid(
          `publicityPostedOn ${posted} is before ${earliest} (the visit or the objection it follows)`,
        );
    }
    if (o.eligible) {
      if (!o.category) this.invalid('a positive opinion names the category');
      const cash = o.category !== 'marginal';
      if (cash && (!o.proposedMonthlyAmount || isZero(o.proposedMonthlyAmount))) {
        this.invalid(`a ${o.category} opinion proposes a monthly amount above zero`);
      }
      if (!cash && o.proposedMonthlyAmount && !isZero(o.proposedMonthlyAmount)) {
        this.invalid('marginal households get no monthly cash (R-E2)');
      }
    }
  }

  checkObjection(o: ObjectionInput, now: Date) {
    this.expect(now, ['publicity'], 'an objection');
    this.expectActor(o.actor, ['township_staff'], 'an objection');
    if (this.view.publicity?.objections.includes(o.objectionId))
      this.invalid(`objection ${o.objectionId} already filed`);
  }

  checkDecision(d: DecisionInput, now: Date) {
    if (this.view.stage === 'publicity' && this.effectiveStage(now) === 'publicity') {
      throw refuse(
        FAILURE.publicityNotEnded,
        `publicity runs until ${this.view.publicity?.endsAt}; no decision before it ends (R-A4)`,
        'publicity',
      );
    }
    this.expect(now, ['decision'], 'a decision');
    this.expectActor(d.actor, this.view.delegated ? ['township_staff'] : ['county_staff'], 'the decision');
    if (!d.reasons.trim()) this.invalid('a decision records its reasons (R-O6, R-A7)');
    if (!d.approve && (d.monthlyAmount || d.startMonth))
      this.invalid('a rejection has no amount or start month');
    if (d.approve) {
      const cash = this.view.opinion?.category !== 'marginal';
      if (cash && (!d.monthlyAmount || isZero(d.monthlyAmount)))
        this.invalid('an approval sets a monthly amount above zero');
      if (
        d.startMonth &&
        compare(d.startMonth.replace('-', ''), monthOf(civilDateOf(now)).replace('-', '')) < 0
      ) {
        this.invalid('the start month cannot be before the month of the decision');
      }
    }
  }

  checkWithdrawal(w: WithdrawalInput, now: Date) {
    this.expect(now, ['verifying', 'initial_opinion', 'publicity', 'decision'], 'a withdrawal');
    this.expectActor(w.actor, ['township_staff'], 'a withdrawal');
    if (!w.reason.trim()) this.invalid('a withdrawal records the reason');
  }

  checkTemporaryGrant(g: TemporaryGrantInput, now: Date) {
    this.expect(now, ['verifying', 'initial_opinion', 'publicity', 'decision'], 'a temporary grant');
    this.expectActor(g.actor, ['township_staff'], 'a temporary grant');
    if (isZero(g.amount)) this.invalid('a temporary grant is above zero');
    if (this.view.temporaryGrants.some((x) => x.grantId === g.grantId))
      this.invalid(`grant ${g.grantId} already paid`);
  }

  // ---- transitions (validated first)

  household() {
    return this.view.investigation?.household ?? this.input.household;
  }

  applyInvestigation(i: InvestigationInput, now: Date): HistoryEntry {
    const { actor, ...rest } = i;
    this.view.investigation = { ...rest, by: actor.sub };
    this.meet('investigation', civilDateOf(now));
    const entry = this.record(now, 'investigation_recorded', actor, i.findings, { visitedOn: i.visitedOn });
    this.afterVerification(now);
    return entry;
  }

  applyEconomicCheck(e: EconomicCheckInput, now: Date): HistoryEntry {
    const { actor, ...rest } = e;
    this.view.economicCheck = { ...rest, by: actor.sub };
    this.meet('economic_check', civilDateOf(now));
    const entry = this.record(now, 'economic_check_recorded', actor, e.findings, { checkId: e.checkId });
    this.afterVerification(now);
    return entry;
  }

  /** R-A2: the opinion waits for both results; then the suggestion is computed (R-E*). */
  private afterVerification(now: Date) {
    if (!this.view.investigation || !this.view.economicCheck) return;
    this.view.stage = 'initial_opinion';
    this.view.assessment = assess(this.household(), this.ctx.policy, { asOf: civilDateOf(now) });
    this.track('initial_opinion', civilDateOf(now), this.ctx.deadlines.initialOpinionWorkingDays);
  }

  applyInitialOpinion(o: InitialOpinionInput, now: Date): HistoryEntry {
    const today = civilDateOf(now);
    const { actor, ...rest } = o;
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
    const startMonth = d.approve
      ? (d.startMonth ?? addMonthsToYearMonth(monthOf(today), this.ctx.policy.paymentStartOffsetMonths))
      : undefined;
    this.view.decision = { ...rest, startMonth, by: actor.sub, on: today };
    this.view.stage = d.approve ? 'approved' : 'rejected';
    this.meet('overall', today);
    this.meet('decision', today);
    if (!d.approve) this.track('rejection_notice', today, this.ctx.deadlines.rejectionNoticeWorkingDays);
    return this.record(now, d.approve ? 'approved' : 'rejected', actor, d.reasons, {
      monthlyAmount: d.monthlyAmount,
      startMonth,
      parameterVersion: this.ctx.policy.version,
    });
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

  /** What the case-in-benefit workflow starts from (R-A8): the household as investigated. */
  caseInput(caseId: string, d: DecisionInput): CaseInput {
    const decision = this.view.decision!;
    const category = this.view.opinion?.category ?? this.input.category;
    return {
      caseId,
      applicationId: this.input.applicationId,
      category: category === 'temporary_assistance' ? 'dibao' : category,
      villageCode: this.input.villageCode,
      residence: this.household().residence,
      members: this.household().members.map((m) => ({
        idNumber: m.idNumber,
        name: m.name,
        relation: m.relation,
        covered: true,
      })),
      approvedOn: decision.on,
      approvedBy: decision.by,
      startMonth: decision.startMonth!,
      monthlyAmount: decision.monthlyAmount ?? '0.00',
      closeRelative: this.input.closeRelative,
      unstableIncome: d.unstableIncome ?? false,
      policy: this.ctx.policy,
      deadlines: this.ctx.deadlines,
      runtimeYears: this.ctx.runtimeYears,
    };
  }

  record(
    now: Date,
    action: string,
    by: HistoryEntry['by'],
    reason?: string,
    details?: Record<string, unknown>,
  ): HistoryEntry {
    const entry: HistoryEntry = {
      seq: this.view.history.length + 1,
      at: now.toISOString(),
      action,
      by,
      stage: this.view.stage,
      ...(reason ? { reason } : {}),
      ...(details ? { details } : {}),
    };
    this.view.history.push(entry);
    return entry;
  }

  snapshot(): ApplicationView {
    const current = this.openDeadlines().filter((d) => d.kind !== 'overall');
    return { ...this.view, currentStep: current[current.length - 1] };
  }
}
