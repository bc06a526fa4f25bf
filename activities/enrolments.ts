import type { Holder } from '../db/repositories/enrolments';
import type { Claim } from '../domain/enrolment';
import { alreadyEnrolledFailure, type EnrolmentHolder } from '../workflows/contracts';
import { type ActivityDeps, reposOf } from './deps';

// R-A1: the workflows' door to the enrolment module when a household's members change outside the
// receipt and the approval (which claim inside their own transactions): an application's
// investigation, a case's change report or re-review.

/** The typed, non-retryable refusal naming the holder (the API answers 409). */
export const alreadyEnrolled = (held: EnrolmentHolder) => alreadyEnrolledFailure(held);

export function enrolmentActivities(deps: ActivityDeps) {
  const { enrolments } = reposOf(deps);
  return {
    /**
     * `holder` holds exactly these persons afterwards (the newcomers claimed, the departed released),
     * or nothing changes and the answer names the first person held elsewhere. A refusal is an
     * answer, not a failure: the workflow refuses the step without retrying.
     */
    async holdEnrolments(args: { holder: Holder; claim: Claim }): Promise<{ refused?: EnrolmentHolder }> {
      const refused = await enrolments.hold(args.holder, args.claim);
      return refused ? { refused } : {};
    },
  };
}
