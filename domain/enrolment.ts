import type { Assessment } from './eligibility';
import type { Household } from './household';

// R-A1: who an open application or an active case holds in `person_enrolments` (one active holder
// per person: no double enrolment). R-E3 / R-E4: a positive opinion may enrol one person alone;
// that person is then the whole case — its persons, amount, standard changes and deaths — and the
// rest of the household keeps its own status. Pure: the enrolment module (db/repositories/
// enrolments.ts) writes what these rules say, the workflows and the API ask them.

export type AloneRule = 'R-E3' | 'R-E4';
export interface EnrolledAlone {
  idNumber: string;
  rule: AloneRule;
}

/**
 * What a holder claims: the persons, and whether it is a one-person enrolment — which may take its
 * person from a marginal household's case (R-E3: a member of a marginal household may be enrolled
 * alone; the marginal case pays nothing, so this is no double enrolment).
 */
export interface Claim {
  idNumbers: string[];
  alone: boolean;
}

/** The parts of an initial opinion these rules read (the workflow's opinion has more). */
export interface OpinionOfEnrolment {
  eligible: boolean;
  category?: string;
  /** R-E3: the member the opinion enrols alone (an ID number among the assessment's candidates). */
  enrolledAlone?: string;
}

/**
 * R-A1 at receipt and at the investigation: the persons an open application holds. Temporary
 * assistance (R-A10) holds nobody: anyone may apply, members of households in benefit included.
 * An R-E4 single-person application holds its applicant only: the others are listed as supporters.
 */
export function applicationClaim(category: string, h: Household): Claim {
  if (category === 'temporary_assistance') return { idNumbers: [], alone: false };
  if (h.singlePersonApplication) {
    const applicant = h.members.find((m) => m.relation === 'applicant');
    return { idNumbers: applicant ? [applicant.idNumber] : [], alone: true };
  }
  return { idNumbers: h.members.map((m) => m.idNumber), alone: false };
}

/**
 * R-E4: a single-person application assessed alone enrols its applicant alone. R-E3: a cash opinion
 * on a household assessed marginal enrols alone the member it names among the assessment's
 * candidates (or the only candidate). Otherwise the household is enrolled (undefined).
 */
export function enrolledAlone(
  h: Household,
  a: Assessment | undefined,
  o: OpinionOfEnrolment | undefined,
): EnrolledAlone | undefined {
  if (!a || !o?.eligible) return undefined;
  if (h.singlePersonApplication && a.assessedMembers.length === 1)
    return { idNumber: a.assessedMembers[0]!, rule: 'R-E4' };
  if (o.category === undefined || o.category === 'marginal' || a.suggestedCategory !== 'marginal')
    return undefined;
  const candidates = a.singlePersonEnrolments.map((e) => e.idNumber);
  const named = o.enrolledAlone ?? (candidates.length === 1 ? candidates[0] : undefined);
  return named !== undefined && candidates.includes(named) ? { idNumber: named, rule: 'R-E3' } : undefined;
}

/** Why an opinion's one-person enrolment is inconsistent (the opinion's validator), else undefined. */
export function enrolledAloneProblem(a: Assessment | undefined, o: OpinionOfEnrolment): string | undefined {
  const candidates =
    a?.suggestedCategory === 'marginal' ? a.singlePersonEnrolments.map((e) => e.idNumber) : [];
  if (o.enrolledAlone !== undefined) {
    if (!o.eligible || o.category === undefined || o.category === 'marginal')
      return 'enrolledAlone belongs to a positive cash opinion (R-E3)';
    if (!candidates.includes(o.enrolledAlone))
      return 'enrolledAlone names a member the assessment found may be enrolled alone (R-E3)';
    return undefined;
  }
  if (o.eligible && o.category !== undefined && o.category !== 'marginal' && candidates.length > 1)
    return `the household is marginal and ${candidates.length} members may be enrolled alone: name one in enrolledAlone (R-E3)`;
  return undefined;
}

/**
 * R-A8: the members a case covers — the one person enrolled alone, or the whole household — and
 * what the case claims for them at approval.
 */
export function caseEnrolment<M extends { idNumber: string }>(
  members: readonly M[],
  alone: EnrolledAlone | undefined,
): { members: M[]; claim: Claim } {
  const covered = alone ? members.filter((m) => m.idNumber === alone.idNumber) : [...members];
  return {
    members: covered,
    claim: { idNumbers: covered.map((m) => m.idNumber), alone: alone !== undefined },
  };
}
