import { actor, COUNTY, household } from '../../test/helpers/fixtures';
import { decisionUpdate, initialOpinionUpdate, investigationUpdate } from '../../workflows/contracts';
import { check, type NamedScenario, opinion, verify } from './session';

// R-A1: an investigation naming a person another case holds is refused by the workflow's local
// activity (`holdEnrolments`) and changes nothing; the household as it is holds and applies; after
// the publicity the approval holds the case's persons, then records the case.
export const applicationEnrolmentHeld: NamedScenario = {
  prefix: 'application',
  name: 'enrolment-held',
  run: async (s) => {
    const { input, handle } = await s.start();
    const newcomer = household().members[1]!;
    s.calls.held.set(newcomer.idNumber, { holderKind: 'case', holderId: 'A140802202601010000BEEF' });
    const refused = await handle
      .executeUpdate(investigationUpdate, {
        args: [
          {
            actor: actor('township_staff'),
            household: { ...input.household, members: [...input.household.members, newcomer] },
            findings: 'a relative lives here',
            visitedOn: await s.today(),
          },
        ],
      })
      .then(
        () => false,
        () => true,
      );
    if (!refused) throw new Error('expected the investigation to be refused');
    await verify(s, handle, input);
    await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
    await s.env.sleep('8 days');
    const view = await handle.executeUpdate(decisionUpdate, {
      args: [
        { actor: actor('county_staff', COUNTY), approve: true, monthlyAmount: '1000.00', reasons: 'ok' },
      ],
    });
    check('approved with a case', view.stage === 'approved' && !!view.decision?.caseId, view);
    await handle.result();
    return { handle, closed: true };
  },
};
