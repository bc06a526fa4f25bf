import type { Activities } from '../../activities';
import type { Claim } from '../../domain/enrolment';
import { type CaseView, FAILURE, type MemberChange } from '../contracts';
import { enrolmentSteps } from '../enrolment/steps';
import type { CaseParts } from './ledger';
import { type By, refuse } from './record';

// R-M5 / R-M4: members who joined or left the household of a case. The change itself only updates
// who the case covers; the amount moves by the staff result of the review it opens (R-A11), whose
// `continue` carries the new head count. A newcomer must be free (R-A1): the workflow has the
// enrolment module claim the persons covered after the change before it applies it. A one-person
// enrolment (R-E3, R-E4) is a case of one person: nobody joins it. Failure messages name no person.

const ids = (m: MemberChange) => ({
  added: (m.added ?? []).map((a) => a.idNumber),
  removed: m.removed ?? [],
});

/** The ID numbers the case covers once the change is applied. */
export function coveredAfter(v: CaseView, m: MemberChange): string[] {
  const { added, removed } = ids(m);
  const covered = v.members.filter((x) => x.covered && !removed.includes(x.idNumber)).map((x) => x.idNumber);
  return [...covered, ...added];
}

/** What the case holds after the change (R-A1). */
export function memberClaim(v: CaseView, m: MemberChange): Claim {
  return { idNumbers: coveredAfter(v, m), alone: v.alone !== undefined };
}

/** Validator part of a change report or review result that changes members. */
export function checkMemberChange({ record: r }: CaseParts, m: MemberChange | undefined): void {
  if (m === undefined) return;
  const v = r.view;
  const invalid = (message: string) => refuse(FAILURE.invalidStep, message, v.status);
  const { added, removed } = ids(m);
  if (added.length + removed.length === 0) throw invalid('a member change adds or removes someone (R-M5)');
  if (v.alone && added.length > 0)
    throw invalid(`a one-person enrolment (${v.alone}) is a case of one person: nobody joins it`);
  if (new Set([...added, ...removed]).size !== added.length + removed.length)
    throw invalid('a member change names each person once');
  const covered = (id: string) => v.members.some((x) => x.idNumber === id && x.covered);
  removed.forEach((id, i) => {
    if (!covered(id)) throw invalid(`members.removed[${i}] is not a member the case covers`);
  });
  added.forEach((id, i) => {
    if (covered(id)) throw invalid(`members.added[${i}] is already a member of the case`);
    if (v.members.some((x) => x.idNumber === id && x.diedOn !== undefined))
      throw invalid(`members.added[${i}] died: the case recorded the death (R-M2)`);
  });
  if (coveredAfter(v, m).length === 0)
    throw invalid('nobody would be left: the benefit stops by a review result, not by a change (R-M5)');
}

/** Applies a checked member change: leavers leave the case, newcomers are covered from now. */
export function applyMemberChange({ record: r }: CaseParts, m: MemberChange, by: By, now: Date): void {
  const v = r.view;
  const { added, removed } = ids(m);
  v.members = v.members.filter((x) => !removed.includes(x.idNumber));
  for (const a of m.added ?? []) v.members.push({ ...a, covered: true });
  r.record(now, 'members_changed', by, undefined, { added, removed, covered: coveredAfter(v, {}).length });
}

/**
 * The case workflow's member-changing steps (R-A1): a step with a member change holds the persons
 * covered after it before it is applied, one at a time (enrolment-steps.ts); any other step applies
 * at once.
 */
export function caseMemberSteps({ record: r }: CaseParts, acts: Pick<Activities, 'holdEnrolments'>) {
  const v = r.view;
  const covered = (): Claim => (r.closed ? { idNumbers: [], alone: false } : memberClaim(v, {}));
  const step = enrolmentSteps({ kind: 'case', id: v.caseId }, acts, covered, () => v.status);
  return <T>(change: MemberChange | undefined, check: () => void, apply: () => Promise<T>): Promise<T> =>
    change ? step(() => memberClaim(v, change), check, apply) : apply();
}
