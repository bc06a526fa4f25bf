import type { Activities } from '../../activities';
import { applicationClaim, type Claim, caseEnrolment, enrolledAlone } from '../../domain/enrolment';
import type { ApplicationInput, InvestigationInput } from '../contracts';
import { enrolmentSteps } from '../enrolment/steps';
import type { ApplicationState } from './state';

// R-A1 in the application workflow. The receipt claims its household in its first transaction and
// the approval's recordCase moves the case's persons; between them the household changes only at
// the investigation, which holds its persons before it is applied (enrolment-steps.ts). The API
// asks the same module's guard before it sends the Update, so the usual refusal never reaches the
// workflow's history; the workflow's own hold covers races and other callers.

type Acts = Pick<Activities, 'holdEnrolments'>;

export function applicationEnrolment(input: ApplicationInput, state: ApplicationState, acts: Acts) {
  const held = (): Claim =>
    state.terminal ? { idNumbers: [], alone: false } : applicationClaim(input.category, state.household());
  const step = enrolmentSteps(
    { kind: 'application', id: input.applicationId },
    acts,
    held,
    () => state.stage,
  );
  /** R-A8: the persons the case will cover: one person enrolled alone (R-E3, R-E4), or the household. */
  const forCase = (): Claim => {
    const h = state.household();
    return caseEnrolment(h.members, enrolledAlone(h, state.view.assessment, state.view.opinion)).claim;
  };

  return {
    /** R-A1 / R-A2: the investigated household's persons are held before it replaces the declared one. */
    investigation<T>(i: InvestigationInput, check: () => void, apply: () => Promise<T>): Promise<T> {
      return step(() => applicationClaim(input.category, i.household), check, apply);
    },

    /**
     * R-A1 / R-A8: an approval first holds exactly the persons its case will cover, so that moving
     * them to the case cannot be refused once the decision is applied. Temporary assistance (R-A10)
     * held nobody until here.
     */
    approval<T>(check: () => void, apply: () => Promise<T>): Promise<T> {
      return step(forCase, check, apply);
    },
  };
}
