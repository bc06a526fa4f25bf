import type { RosterEntry } from '../../domain/close-relative-roster';
import { household } from '../../test/helpers/fixtures';
import { check, type NamedScenario, publicizeAndApprove, until, verify } from './session';

/** A sibling of a village cadre on the county's roster (R-O1). */
export const rosterEntry = (idNumber: string): RosterEntry => ({
  entryId: '1',
  staff: {
    ref: 'V-1',
    name: '李村长',
    position: 'village_cadre',
    post: '村委会主任',
    regionCode: '140802101201',
  },
  relative: { idNumber, name: '李某', relation: 'sibling' },
  effectiveFrom: '2020-01-01',
});

// R-O1: the receipt and the investigation each check the household against the county's roster
// (local activity `checkCloseRelatives`) and file the match; the county's approval starts a
// close-relative case.
export const applicationCloseRelativeRoster: NamedScenario = {
  prefix: 'application',
  name: 'close-relative-roster',
  run: async (s) => {
    const hh = household({ size: 3 });
    s.calls.roster = [rosterEntry(hh.members[2]!.idNumber)];
    const { input, handle } = await s.start({ household: hh, closeRelative: false });
    const received = await until(handle, (v) => v.history.some((e) => e.action === 'close_relative_filed'));
    check('the receipt filed by the roster', (received.rosterFilings?.length ?? 0) === 1, received);
    await verify(s, handle, input);
    const view = await publicizeAndApprove(s, handle);
    check('approved, filed twice', view.stage === 'approved' && view.rosterFilings?.length === 2, view);
    await handle.result();
    return { handle, closed: true };
  },
};
