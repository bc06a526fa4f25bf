import { civilDateOf, compareDates } from '../../domain/dates';
import { publicityEnds } from '../../domain/deadlines';
import { assess } from '../../domain/eligibility';
import { differences, verifiedHousehold } from '../../domain/verification';
import type {
  EconomicCheckInput,
  HistoryEntry,
  InitialOpinionInput,
  InvestigationInput,
  ObjectionInput,
  ReturnInput,
} from '../contracts';
import type { ApplicationParts } from './record';

// The application's transitions from verification to the publicised opinion (R-A2 … R-A5): the
// investigation and the information check, the initial opinion and its 7-day publicity, an
// objection, and a return for a new opinion. Each is validated first (checks.ts), mutates the
// record and its deadlines, and returns the history entry the workflow persists.

export function applyInvestigation(parts: ApplicationParts, i: InvestigationInput, now: Date): HistoryEntry {
  const { record: r, deadlines } = parts;
  const { actor, ...rest } = i;
  r.view.investigation = { ...rest, by: actor.sub };
  // One clock: a step is met on the day it happened (a paper procedure entered later keeps it).
  deadlines.meet('investigation', i.visitedOn);
  const entry = r.record(now, 'investigation_recorded', actor, i.findings, { visitedOn: i.visitedOn });
  afterVerification(parts, now);
  return entry;
}

export function applyEconomicCheck(parts: ApplicationParts, e: EconomicCheckInput, now: Date): HistoryEntry {
  const { record: r, deadlines } = parts;
  const { actor, ...rest } = e;
  r.view.economicCheck = { ...rest, by: actor.sub };
  deadlines.meet('economic_check', e.checkedOn ?? civilDateOf(now));
  const entry = r.record(now, 'economic_check_recorded', actor, e.findings, { checkId: e.checkId });
  afterVerification(parts, now);
  return entry;
}

/** R-A2: the opinion waits for both results; then the suggestion is computed (R-E*). */
function afterVerification({ record: r, deadlines }: ApplicationParts, now: Date) {
  const v = r.view;
  if (!v.investigation || !v.economicCheck) return;
  v.stage = 'initial_opinion';
  // R-A2: the verified figures are the basis of the suggestion; the differences are listed.
  const verified = v.economicCheck.verified;
  v.differences = differences(r.household(), verified);
  v.assessment = assess(verifiedHousehold(r.household(), verified), r.ctx.policy, {
    asOf: civilDateOf(now),
  });
  // R-A6, one clock: the opinion's step runs from the day verification was complete — the later
  // of the visit and the check, as they happened — not from the day the data was entered.
  const checked = v.economicCheck.checkedOn ?? civilDateOf(now);
  const visited = v.investigation.visitedOn;
  const complete = compareDates(visited, checked) > 0 ? visited : checked;
  deadlines.track('initial_opinion', complete, r.ctx.deadlines.initialOpinionWorkingDays);
}

export function applyInitialOpinion(
  { record: r, deadlines }: ApplicationParts,
  o: InitialOpinionInput,
  now: Date,
): HistoryEntry {
  const v = r.view;
  const today = civilDateOf(now);
  const { actor, ...rest } = o;
  // R-A2: a declared figure kept with a reason replaces the verified one in the suggestion.
  if (o.resolutions?.some((x) => x.use === 'declared') && v.economicCheck) {
    const basis = verifiedHousehold(r.household(), v.economicCheck.verified, o.resolutions);
    v.assessment = assess(basis, r.ctx.policy, { asOf: today });
  }
  v.opinion = {
    ...rest,
    by: actor.sub,
    on: today,
    suggestedCategory: v.assessment?.suggestedCategory ?? 'not_eligible',
  };
  deadlines.meet('initial_opinion', today);
  // R-A4: posted on the day of the opinion (or the day staff say it went up); ends at 24:00 of
  // the 7th day after, never moved.
  const round = (v.publicity?.round ?? 0) + 1;
  const postedOn = o.publicityPostedOn ?? today;
  const ends = publicityEnds(postedOn, r.ctx.deadlines.publicityDays);
  v.publicity = {
    round,
    postedOn,
    lastDay: ends.lastDay,
    endsAt: ends.endsAt.toISOString(),
    objections: [],
  };
  v.stage = 'publicity';
  return r.record(now, 'initial_opinion_recorded', actor, o.reasons, {
    eligible: o.eligible,
    category: o.category,
    proposedMonthlyAmount: o.proposedMonthlyAmount,
    suggested: v.assessment?.suggestedCategory,
    suggestedAmount: v.assessment?.monthlyAmount,
    publicityRound: round,
    publicityPostedOn: postedOn,
    publicityEnds: ends.lastDay,
  });
}

/** R-A4 / R-A6: back to re-investigation, a new opinion and publicity; deadline extended to 45. */
export function applyObjection(
  { record: r, deadlines }: ApplicationParts,
  o: ObjectionInput,
  now: Date,
): HistoryEntry {
  const v = r.view;
  const today = civilDateOf(now);
  v.publicity?.objections.push(o.objectionId);
  const entry = r.record(now, 'objection_filed', o.actor, o.summary, {
    objectionId: o.objectionId,
    handling: o.handling,
  });
  if (!v.extended) {
    v.extended = true;
    v.extensionReasons.push('objection during publicity');
    deadlines.track('overall', v.acceptedOn, deadlines.overallWorkingDays());
  }
  v.investigation = undefined;
  v.opinion = undefined;
  v.assessment = undefined;
  v.stage = 'verifying';
  deadlines.track('investigation', today, r.ctx.deadlines.investigationWorkingDays);
  return entry;
}

/**
 * R-A5 R-A4: back to the township for a new opinion (after a new investigation when asked) and a
 * new 7-day publicity; the verification that stands is kept, the deadline runs on (R-A6).
 */
export function applyReturn(
  { record: r, deadlines }: ApplicationParts,
  back: ReturnInput,
  now: Date,
): HistoryEntry {
  const v = r.view;
  const today = civilDateOf(now);
  deadlines.supersede('decision');
  const entry = r.record(now, 'returned_for_new_opinion', back.actor, back.reasons, {
    opinion: v.opinion ? { eligible: v.opinion.eligible, category: v.opinion.category } : undefined,
    reinvestigate: back.reinvestigate ?? false,
  });
  v.opinion = undefined;
  if (back.reinvestigate) {
    v.investigation = undefined;
    v.assessment = undefined;
    v.stage = 'verifying';
    deadlines.track('investigation', today, r.ctx.deadlines.investigationWorkingDays);
  } else {
    v.stage = 'initial_opinion';
    deadlines.track('initial_opinion', today, r.ctx.deadlines.initialOpinionWorkingDays);
  }
  return entry;
}
