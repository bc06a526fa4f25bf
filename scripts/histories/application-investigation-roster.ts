import { actor, household } from '../../test/helpers/fixtures';
import { investigationUpdate } from '../../workflows/contracts';
import { rosterEntry } from './application-close-relative-roster';
import { check, economicCheck, type NamedScenario, publicizeAndApprove } from './session';

// R-O1 R-A2: the investigation finds a member the receipt did not declare, who is on the county's
// roster. Its save and its roster check run side by side (patch `investigation-roster-beside-save`,
// two local activities in one round); the filing is saved after both. Then the approval.
export const applicationInvestigationRoster: NamedScenario = {
  prefix: 'application',
  name: 'investigation-roster',
  run: async (s) => {
    const joined = household({ size: 3 }).members[2]!;
    const { input, handle } = await s.start({ household: household({ size: 2 }), closeRelative: false });
    s.calls.roster = [rosterEntry(joined.idNumber)];
    const found = { ...input.household, members: [...input.household.members, joined] };
    const investigated = await handle.executeUpdate(investigationUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          household: found,
          findings: 'a brother lives here',
          visitedOn: await s.today(),
        },
      ],
    });
    check(
      'filed at the investigation',
      investigated.history.at(-1)?.action === 'close_relative_filed',
      investigated,
    );
    await economicCheck(handle);
    const view = await publicizeAndApprove(s, handle);
    check('approved, filed once', view.stage === 'approved' && view.rosterFilings?.length === 1, view);
    await handle.result();
    return { handle, closed: true };
  },
};
