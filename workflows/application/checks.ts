import { ApplicationFailure } from '@temporalio/common';
import { civilDateOf, compareDates, monthOf } from '../../domain/dates';
import { enrolledAloneProblem } from '../../domain/enrolment';
import { compare, isZero, type Money } from '../../domain/money';
import { reaches } from '../../domain/region';
import type { Actor, Role } from '../../domain/roles';
import { unresolved } from '../../domain/verification';
import {
  type ApplicationView,
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
import type { ApplicationRecord } from './record';

// The update validators of the application (R-A2 … R-A10), functions over its record's view (and
// the household it now concerns): `check*` never mutate; they refuse a step before it enters
// history with a typed failure naming the stage.

const refuse = (type: string, message: string, stage: Stage) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ stage }] });

function effectiveStage(v: ApplicationView, now: Date): Stage {
  const pub = v.publicity;
  if (v.stage === 'publicity' && pub && now.getTime() >= new Date(pub.endsAt).getTime()) return 'decision';
  return v.stage;
}

function expect(v: ApplicationView, now: Date, stages: Stage[], step: string) {
  const stage = effectiveStage(v, now);
  if (!stages.includes(stage)) {
    throw refuse(FAILURE.wrongStage, `${step} is not possible in stage ${stage}`, stage);
  }
}

function expectActor(v: ApplicationView, actor: Actor, roles: Role[], step: string) {
  if (!roles.includes(actor.role)) {
    throw refuse(FAILURE.wrongRole, `${step} needs role ${roles.join(' or ')}, not ${actor.role}`, v.stage);
  }
  if (!reaches(actor.region, v.villageCode)) {
    throw refuse(FAILURE.wrongRole, `region ${actor.region} does not reach ${v.villageCode}`, v.stage);
  }
}

function invalid(v: ApplicationView, message: string): never {
  throw refuse(FAILURE.invalidStep, message, v.stage);
}

export function checkInvestigation({ view: v }: ApplicationRecord, i: InvestigationInput, now: Date) {
  expect(v, now, ['verifying'], 'household investigation');
  expectActor(v, i.actor, ['township_staff'], 'household investigation');
  if (v.investigation) invalid(v, 'the household investigation of this round is already recorded');
  if (compareDates(i.visitedOn, civilDateOf(now)) > 0) invalid(v, 'visitedOn is in the future');
  if (compareDates(i.visitedOn, v.acceptedOn) < 0)
    invalid(v, 'visitedOn is before the application was accepted');
}

export function checkEconomicCheck(r: ApplicationRecord, e: EconomicCheckInput, now: Date) {
  const v = r.view;
  expect(v, now, ['verifying'], 'information check');
  expectActor(v, e.actor, ['integration', 'township_staff'], 'information check');
  if (v.economicCheck) invalid(v, 'the information check is already recorded');
  if (e.checkedOn && compareDates(e.checkedOn, civilDateOf(now)) > 0)
    invalid(v, 'checkedOn is in the future');
  if (e.checkedOn && compareDates(e.checkedOn, v.acceptedOn) < 0)
    invalid(v, 'checkedOn is before the application was accepted');
  const members = new Set(r.household().members.map((m) => m.idNumber));
  const unknown = e.verified.filter((x) => !members.has(x.idNumber)).map((x) => x.idNumber);
  if (unknown.length) invalid(v, `not members of this household: ${unknown.join(', ')}`);
}

export function checkInitialOpinion({ view: v }: ApplicationRecord, o: InitialOpinionInput, now: Date) {
  expect(v, now, ['initial_opinion'], 'initial opinion');
  expectActor(v, o.actor, ['township_staff'], 'initial opinion');
  if (!o.reasons.trim()) invalid(v, 'an initial opinion needs reasons (R-A3)');
  const open = unresolved(v.differences ?? [], o.resolutions ?? []);
  if (open.length)
    invalid(
      v,
      `resolve each difference between declared and verified data (R-A2): ${open
        .map((d) => `${d.idNumber} ${d.field} declared ${d.declared}, verified ${d.verified}`)
        .join('; ')} — use the verified figure, or keep the declared one with a reason`,
    );
  if (!o.eligible && (o.category || o.proposedMonthlyAmount)) {
    invalid(v, 'a negative opinion has no category or amount');
  }
  if (o.publicityPostedOn !== undefined) {
    const posted = o.publicityPostedOn;
    if (compareDates(posted, civilDateOf(now)) > 0) invalid(v, 'publicityPostedOn is in the future');
    const visited = v.investigation?.visitedOn ?? v.acceptedOn;
    const reopened = [...v.history]
      .reverse()
      .find((e) => e.action === 'objection_filed' || e.action === 'returned_for_new_opinion')?.at;
    const earliest =
      reopened && compareDates(civilDateOf(new Date(reopened)), visited) > 0
        ? civilDateOf(new Date(reopened))
        : visited;
    if (compareDates(posted, earliest) < 0)
      invalid(
        v,
        `publicityPostedOn ${posted} is before ${earliest} (the visit, objection or return it follows)`,
      );
  }
  if (o.eligible) {
    if (!o.category) invalid(v, 'a positive opinion names the category');
    const cash = o.category !== 'marginal';
    if (cash && (!o.proposedMonthlyAmount || isZero(o.proposedMonthlyAmount))) {
      invalid(v, `a ${o.category} opinion proposes a monthly amount above zero`);
    }
    if (!cash && o.proposedMonthlyAmount && !isZero(o.proposedMonthlyAmount)) {
      invalid(v, 'marginal households get no monthly cash (R-E2)');
    }
  }
  const alone = enrolledAloneProblem(v.assessment, o);
  if (alone) invalid(v, alone);
}

export function checkObjection({ view: v }: ApplicationRecord, o: ObjectionInput, now: Date) {
  expect(v, now, ['publicity'], 'an objection');
  expectActor(v, o.actor, ['township_staff'], 'an objection');
  if (v.publicity?.objections.includes(o.objectionId)) invalid(v, `objection ${o.objectionId} already filed`);
}

export function checkDecision({ view: v }: ApplicationRecord, d: DecisionInput, now: Date) {
  if (v.stage === 'publicity' && effectiveStage(v, now) === 'publicity') {
    throw refuse(
      FAILURE.publicityNotEnded,
      `publicity runs until ${v.publicity?.endsAt}; no decision before it ends (R-A4)`,
      'publicity',
    );
  }
  expect(v, now, ['decision'], 'a decision');
  expectActor(v, d.actor, v.delegated ? ['township_staff'] : ['county_staff'], 'the decision');
  if (!d.reasons.trim()) invalid(v, 'a decision records its reasons (R-O6, R-A7)');
  if (!d.approve && (d.monthlyAmount || d.startMonth)) invalid(v, 'a rejection has no amount or start month');
  if (d.approve) {
    checkAgainstOpinion(v, d);
    const cash = v.opinion?.category !== 'marginal';
    if (cash && (!d.monthlyAmount || isZero(d.monthlyAmount)))
      invalid(v, 'an approval sets a monthly amount above zero');
    if (
      d.startMonth &&
      compare(d.startMonth.replace('-', ''), monthOf(civilDateOf(now)).replace('-', '')) < 0
    ) {
      invalid(v, 'the start month cannot be before the month of the decision');
    }
    if (d.monthlyAmount) checkAgainstPublicity(v, d.monthlyAmount, d.amountReason);
  }
}

/**
 * R-A5 R-E2: what the public saw is the opinion. An approval follows a positive opinion in its
 * category; a county that disagrees with a negative or marginal opinion, or wants another category,
 * sends the application back for a new opinion and a new 7-day publicity (R-A4). A marginal
 * household is registered (R-L1), never paid monthly money.
 */
function checkAgainstOpinion(v: ApplicationView, d: DecisionInput) {
  const o = v.opinion;
  if (!o?.eligible)
    invalid(
      v,
      'the publicised opinion found the household not eligible: an approval needs a new opinion and a new 7-day publicity (send the application back, R-A5, R-A4)',
    );
  if (d.category && d.category !== o.category)
    invalid(
      v,
      `the publicised opinion is ${o.category}, not ${d.category}: another category needs a new opinion and a new 7-day publicity (R-A5, R-A4)`,
    );
  if (o.category === 'marginal' && ((d.monthlyAmount && !isZero(d.monthlyAmount)) || d.startMonth))
    invalid(v, 'a marginal household is registered, never paid monthly money (R-E2, R-L1)');
}

/**
 * R-A5: the approved amount is the one publicised. A lower one needs a recorded reason; a higher
 * one needs a new 7-day publicity (R-A4), since the public never saw it; and it never exceeds the
 * assessed shortfall (R-E1) with what R-E3…R-E5 add to it (the assessment already applies them).
 */
function checkAgainstPublicity(v: ApplicationView, amount: Money, reason: string | undefined) {
  const publicised = v.opinion?.proposedMonthlyAmount;
  if (publicised && compare(amount, publicised) > 0) {
    invalid(
      v,
      `the amount ${amount} is above the publicised ${publicised}: a higher amount needs a new 7-day publicity (R-A5, R-A4)`,
    );
  }
  if (publicised && compare(amount, publicised) !== 0 && !reason?.trim()) {
    invalid(v, `the amount ${amount} differs from the publicised ${publicised}: give amountReason (R-A5)`);
  }
  const a = v.assessment;
  if (a && a.suggestedCategory !== 'not_eligible' && a.suggestedCategory !== 'marginal') {
    const cap = [a.monthlyAmount, ...a.singlePersonEnrolments.map((e) => e.monthlyAmount)].reduce((x, y) =>
      compare(x, y) >= 0 ? x : y,
    );
    if (compare(amount, cap) > 0)
      invalid(v, `the amount ${amount} is above the assessed shortfall ${cap} (R-A5, R-E1)`);
  }
}

/** R-A5 R-A4: only the authority that decides sends back, with its reasons, once publicity ended. */
export function checkReturn({ view: v }: ApplicationRecord, r: ReturnInput, now: Date) {
  expect(v, now, ['decision'], 'sending the application back');
  expectActor(
    v,
    r.actor,
    v.delegated ? ['township_staff'] : ['county_staff'],
    'sending the application back',
  );
  if (!r.reasons.trim()) invalid(v, 'sending an application back records the reasons (R-O6)');
}

/** R-A6: once, with the circumstance and a reason, while the procedure is open. */
export function checkProcedureExtension(
  { view: v }: ApplicationRecord,
  x: ExtensionDuringProcedureInput,
  now: Date,
) {
  expect(v, now, ['verifying', 'initial_opinion', 'publicity', 'decision'], 'an extension');
  expectActor(v, x.actor, ['township_staff', 'county_staff'], 'an extension');
  if (!x.reason.trim()) invalid(v, 'an extension records its reason (R-A6)');
  if (v.extended)
    invalid(v, `the procedure is already extended to 45 working days (${v.extensionReasons.join('; ')})`);
}

export function checkWithdrawal({ view: v }: ApplicationRecord, w: WithdrawalInput, now: Date) {
  expect(v, now, ['verifying', 'initial_opinion', 'publicity', 'decision'], 'a withdrawal');
  expectActor(v, w.actor, ['township_staff'], 'a withdrawal');
  if (!w.reason.trim()) invalid(v, 'a withdrawal records the reason');
}

export function checkTemporaryGrant({ view: v }: ApplicationRecord, g: TemporaryGrantInput, now: Date) {
  expect(v, now, ['verifying', 'initial_opinion', 'publicity', 'decision'], 'a temporary grant');
  expectActor(v, g.actor, ['township_staff'], 'a temporary grant');
  if (isZero(g.amount)) invalid(v, 'a temporary grant is above zero');
  if (v.temporaryGrants.some((x) => x.grantId === g.grantId)) invalid(v, `grant ${g.grantId} already paid`);
}
