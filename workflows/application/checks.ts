import { ApplicationFailure } from '@temporalio/common';
import { civilDateOf, compareDates, monthOf } from '../../domain/dates';
import { enrolledAloneProblem } from '../../domain/enrolment';
import { compare, isZero, type Money } from '../../domain/money';
import { reaches } from '../../domain/region';
import type { Actor, Role } from '../../domain/roles';
import { unresolved } from '../../domain/verification';
import {
  type DecisionInput,
  type EconomicCheckInput,
  type ExtensionDuringProcedureInput,
  FAILURE,
  type InitialOpinionInput,
  type InvestigationInput,
  type ObjectionInput,
  type ReturnInput,
  type Stage,
  type TemporaryGrantInput,
  type WithdrawalInput,
} from '../contracts';
import { ApplicationDeadlines } from './deadlines';

// The update validators of the application (R-A2 … R-A10): `check*` methods never mutate; they
// refuse a step before it enters history with a typed failure naming the stage.

const refuse = (type: string, message: string, stage: Stage) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ stage }] });

export class ApplicationChecks extends ApplicationDeadlines {
  // ---- validators (no mutation)

  protected effectiveStage(now: Date): Stage {
    const pub = this.view.publicity;
    if (this.view.stage === 'publicity' && pub && now.getTime() >= new Date(pub.endsAt).getTime())
      return 'decision';
    return this.view.stage;
  }

  protected expect(now: Date, stages: Stage[], step: string) {
    const stage = this.effectiveStage(now);
    if (!stages.includes(stage)) {
      throw refuse(FAILURE.wrongStage, `${step} is not possible in stage ${stage}`, stage);
    }
  }

  protected expectActor(actor: Actor, roles: Role[], step: string) {
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

  protected invalid(message: string): never {
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
    if (e.checkedOn && compareDates(e.checkedOn, civilDateOf(now)) > 0)
      this.invalid('checkedOn is in the future');
    if (e.checkedOn && compareDates(e.checkedOn, this.view.acceptedOn) < 0)
      this.invalid('checkedOn is before the application was accepted');
    const members = new Set(this.household().members.map((m) => m.idNumber));
    const unknown = e.verified.filter((v) => !members.has(v.idNumber)).map((v) => v.idNumber);
    if (unknown.length) this.invalid(`not members of this household: ${unknown.join(', ')}`);
  }

  checkInitialOpinion(o: InitialOpinionInput, now: Date) {
    this.expect(now, ['initial_opinion'], 'initial opinion');
    this.expectActor(o.actor, ['township_staff'], 'initial opinion');
    if (!o.reasons.trim()) this.invalid('an initial opinion needs reasons (R-A3)');
    const open = unresolved(this.view.differences ?? [], o.resolutions ?? []);
    if (open.length)
      this.invalid(
        `resolve each difference between declared and verified data (R-A2): ${open
          .map((d) => `${d.idNumber} ${d.field} declared ${d.declared}, verified ${d.verified}`)
          .join('; ')} — use the verified figure, or keep the declared one with a reason`,
      );
    if (!o.eligible && (o.category || o.proposedMonthlyAmount)) {
      this.invalid('a negative opinion has no category or amount');
    }
    if (o.publicityPostedOn !== undefined) {
      const posted = o.publicityPostedOn;
      if (compareDates(posted, civilDateOf(now)) > 0) this.invalid('publicityPostedOn is in the future');
      const visited = this.view.investigation?.visitedOn ?? this.view.acceptedOn;
      const reopened = [...this.view.history]
        .reverse()
        .find((e) => e.action === 'objection_filed' || e.action === 'returned_for_new_opinion')?.at;
      const earliest =
        reopened && compareDates(civilDateOf(new Date(reopened)), visited) > 0
          ? civilDateOf(new Date(reopened))
          : visited;
      if (compareDates(posted, earliest) < 0)
        this.invalid(
          `publicityPostedOn ${posted} is before ${earliest} (the visit, objection or return it follows)`,
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
    const alone = enrolledAloneProblem(this.view.assessment, o);
    if (alone) this.invalid(alone);
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
      this.checkAgainstOpinion(d);
      const cash = this.view.opinion?.category !== 'marginal';
      if (cash && (!d.monthlyAmount || isZero(d.monthlyAmount)))
        this.invalid('an approval sets a monthly amount above zero');
      if (
        d.startMonth &&
        compare(d.startMonth.replace('-', ''), monthOf(civilDateOf(now)).replace('-', '')) < 0
      ) {
        this.invalid('the start month cannot be before the month of the decision');
      }
      if (d.monthlyAmount) this.checkAgainstPublicity(d.monthlyAmount, d.amountReason);
    }
  }

  /**
   * R-A5 R-E2: what the public saw is the opinion. An approval follows a positive opinion in its
   * category; a county that disagrees with a negative or marginal opinion, or wants another category,
   * sends the application back for a new opinion and a new 7-day publicity (R-A4). A marginal
   * household is registered (R-L1), never paid monthly money.
   */
  private checkAgainstOpinion(d: DecisionInput) {
    const o = this.view.opinion;
    if (!o?.eligible)
      this.invalid(
        'the publicised opinion found the household not eligible: an approval needs a new opinion and a new 7-day publicity (send the application back, R-A5, R-A4)',
      );
    if (d.category && d.category !== o.category)
      this.invalid(
        `the publicised opinion is ${o.category}, not ${d.category}: another category needs a new opinion and a new 7-day publicity (R-A5, R-A4)`,
      );
    if (o.category === 'marginal' && ((d.monthlyAmount && !isZero(d.monthlyAmount)) || d.startMonth))
      this.invalid('a marginal household is registered, never paid monthly money (R-E2, R-L1)');
  }

  /**
   * R-A5: the approved amount is the one publicised. A lower one needs a recorded reason; a higher
   * one needs a new 7-day publicity (R-A4), since the public never saw it; and it never exceeds the
   * assessed shortfall (R-E1) with what R-E3…R-E5 add to it (the assessment already applies them).
   */
  private checkAgainstPublicity(amount: Money, reason: string | undefined) {
    const publicised = this.view.opinion?.proposedMonthlyAmount;
    if (publicised && compare(amount, publicised) > 0) {
      this.invalid(
        `the amount ${amount} is above the publicised ${publicised}: a higher amount needs a new 7-day publicity (R-A5, R-A4)`,
      );
    }
    if (publicised && compare(amount, publicised) !== 0 && !reason?.trim()) {
      this.invalid(
        `the amount ${amount} differs from the publicised ${publicised}: give amountReason (R-A5)`,
      );
    }
    const a = this.view.assessment;
    if (a && a.suggestedCategory !== 'not_eligible' && a.suggestedCategory !== 'marginal') {
      const cap = [a.monthlyAmount, ...a.singlePersonEnrolments.map((e) => e.monthlyAmount)].reduce((x, y) =>
        compare(x, y) >= 0 ? x : y,
      );
      if (compare(amount, cap) > 0)
        this.invalid(`the amount ${amount} is above the assessed shortfall ${cap} (R-A5, R-E1)`);
    }
  }

  /** R-A5 R-A4: only the authority that decides sends back, with its reasons, once publicity ended. */
  checkReturn(r: ReturnInput, now: Date) {
    this.expect(now, ['decision'], 'sending the application back');
    this.expectActor(
      r.actor,
      this.view.delegated ? ['township_staff'] : ['county_staff'],
      'sending the application back',
    );
    if (!r.reasons.trim()) this.invalid('sending an application back records the reasons (R-O6)');
  }

  /** R-A6: once, with the circumstance and a reason, while the procedure is open. */
  checkProcedureExtension(x: ExtensionDuringProcedureInput, now: Date) {
    this.expect(now, ['verifying', 'initial_opinion', 'publicity', 'decision'], 'an extension');
    this.expectActor(x.actor, ['township_staff', 'county_staff'], 'an extension');
    if (!x.reason.trim()) this.invalid('an extension records its reason (R-A6)');
    if (this.view.extended)
      this.invalid(
        `the procedure is already extended to 45 working days (${this.view.extensionReasons.join('; ')})`,
      );
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
}
