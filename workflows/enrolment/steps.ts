import type { Activities } from '../../activities';
import type { Claim } from '../../domain/enrolment';
import { alreadyEnrolledFailure } from '../contracts';

// R-A1 inside a workflow: a step that changes who an application or a case holds (an
// investigation, an approval, a member change on a case) asks the enrolment module — a local
// activity, since an Update's validator cannot do I/O — to hold the persons it will cover before it
// is applied. A person held elsewhere refuses the step with a typed failure naming the holder (409),
// before the state changes and with nothing written. Such steps run one at a time; each is checked
// again once it holds, and one that no longer fits (another step changed the state meanwhile) gives
// the holds back to what the state covers and is refused.

type Acts = Pick<Activities, 'holdEnrolments'>;
type Holder = Parameters<Acts['holdEnrolments']>[0]['holder'];

export function enrolmentSteps(holder: Holder, acts: Acts, covered: () => Claim, stage: () => string) {
  let queue: Promise<unknown> = Promise.resolve();
  const hold = (claim: Claim) => acts.holdEnrolments({ holder, claim });

  return <T>(claim: () => Claim, check: () => void, apply: () => T | Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      check();
      const { refused } = await hold(claim());
      if (refused) throw alreadyEnrolledFailure(refused, { stage: stage() });
      try {
        check();
      } catch (err) {
        await hold(covered());
        throw err;
      }
      return apply();
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
