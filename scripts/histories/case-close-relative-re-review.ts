import { dayInMonth } from '../../domain/dates';
import { changeReportUpdate } from '../../workflows/contracts';
import { rosterEntry } from './application-close-relative-roster';
import { caseView, checkCase, type NamedScenario, staff } from './session';

// R-O1 R-M4 R-M5: a change of members is checked against the county's close-relative roster (no
// match); the roster then names a member and the yearly re-review files the case and makes it a
// close-relative case. Left open.
export const caseCloseRelativeRoster: NamedScenario = {
  prefix: 'case',
  name: 'close-relative-re-review',
  run: async (s) => {
    const { input, handle, m } = await s.startCase();
    await s.sleepUntil(dayInMonth(m(1), 10));
    await handle.executeUpdate(changeReportUpdate, {
      args: [
        {
          actor: staff,
          changeId: 'ch-1',
          kind: 'members',
          reportedOn: await s.today(),
          summary: 'a son married',
        },
      ],
    });
    let v = await caseView(handle);
    checkCase('no match at the change', !v.closeRelative, v);
    s.calls.roster = [rosterEntry(input.members[1]!.idNumber)];
    await s.sleepUntil(dayInMonth(m(11), 10));
    await s.sleepUntil(dayInMonth(m(12), 2));
    v = await caseView(handle);
    checkCase(
      'filed at the re-review',
      v.closeRelative && v.history.some((e) => e.action === 'close_relative_filed'),
      v,
    );
    return { handle, closed: false };
  },
};
