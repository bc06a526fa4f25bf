import { ApplicationFailure } from '@temporalio/common';
import { civilDateOf, compareDates } from '../../domain/dates';
import { compare } from '../../domain/money';
import { reaches } from '../../domain/region';
import type { Actor, Role } from '../../domain/roles';
import type { DecidingLevel } from '../../domain/temporary-assistance';
import {
  FAILURE,
  type TemporaryAssistanceView,
  type TemporaryDecisionInput,
  type TemporaryDocumentationInput,
  type TemporaryPaymentResultInput,
} from '../contracts';

// The Updates' validators of a request for temporary assistance (R-A10): functions over its view
// that never mutate it; a refusal is a non-retryable failure naming the request's stage.

const DECIDERS: readonly Role[] = ['township_staff', 'county_staff'];

/** The level a decision is taken at: the township's staff decide within its limits, the county above. */
export const levelOf = (actor: Actor): DecidingLevel =>
  actor.role === 'county_staff' ? 'county' : 'township';

function refuse(v: TemporaryAssistanceView, type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ stage: v.stage }] });
}

function guard(v: TemporaryAssistanceView, actor: Actor, roles: readonly Role[], what: string) {
  if (!roles.includes(actor.role)) throw refuse(v, FAILURE.wrongRole, `${what}: not for ${actor.role}`);
  if (!reaches(actor.region, v.villageCode))
    throw refuse(v, FAILURE.wrongRole, `region ${actor.region} does not reach this request`);
}

export function checkDecision(v: TemporaryAssistanceView, d: TemporaryDecisionInput): void {
  guard(v, d.actor, DECIDERS, 'a decision is taken by township or county staff');
  if (v.stage !== 'received') throw refuse(v, FAILURE.wrongStage, `already decided (stage ${v.stage})`);
  if (!d.approve) {
    if (d.amount !== undefined) throw refuse(v, FAILURE.invalidStep, 'a refusal grants no amount');
    return;
  }
  if (d.amount === undefined || compare(d.amount, 0) <= 0)
    throw refuse(v, FAILURE.invalidStep, 'a grant names an amount above zero');
  // R-A10: above the township's reserve-fund limit per grant, the county decides.
  if (levelOf(d.actor) === 'township' && compare(d.amount, v.limits.perGrant) > 0)
    throw refuse(
      v,
      FAILURE.wrongRole,
      `${d.amount} is above the township's limit per grant (${v.limits.perGrant}): the county decides`,
    );
}

export function checkDocumentation(
  v: TemporaryAssistanceView,
  i: TemporaryDocumentationInput,
  now: Date,
): void {
  guard(v, i.actor, ['township_staff'], 'the township documents its grant');
  const doc = v.documentation;
  if (v.stage !== 'granted' && v.stage !== 'closed')
    throw refuse(v, FAILURE.wrongStage, `nothing was paid first (stage ${v.stage})`);
  if (!doc) throw refuse(v, FAILURE.wrongStage, 'a county grant is documented before its decision');
  if (doc.documentedOn) throw refuse(v, FAILURE.wrongStage, `documented on ${doc.documentedOn}`);
  if (compareDates(i.documentedOn, civilDateOf(now)) > 0)
    throw refuse(v, FAILURE.invalidStep, `documentedOn ${i.documentedOn} is in the future`);
  if (compareDates(i.documentedOn, v.decision!.on) < 0)
    throw refuse(v, FAILURE.invalidStep, `documentedOn ${i.documentedOn} is before the decision`);
}

export function checkPaymentResult(v: TemporaryAssistanceView, r: TemporaryPaymentResultInput): void {
  guard(v, r.actor, DECIDERS, "the bank's result is recorded by township or county staff");
  if (!v.payment) throw refuse(v, FAILURE.wrongStage, `no payment has been sent (stage ${v.stage})`);
}
