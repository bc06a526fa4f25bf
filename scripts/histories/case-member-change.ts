import { dayInMonth } from '../../domain/dates';
import { household } from '../../test/helpers/fixtures';
import { changeReportUpdate, reviewResultUpdate } from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario, staff } from './session';

// R-A1 / R-M5: a case's members change through the enrolment module. A change report adding a
// person an application holds is refused (the local activity answers, nothing changes); a member
// moving out is released by holding the others; the change review's `continue` carries the new head
// count from the next month; month 2 is rostered for two persons.
export const caseMemberChange: NamedScenario = {
  prefix: 'case',
  name: 'member-change',
  run: async (s) => {
    const { input, handle, m } = await s.startCase({ size: 3 });
    const newcomer = household().members[1]!;
    s.calls.held.set(newcomer.idNumber, { holderKind: 'application', holderId: 'A140802202601010000CAFE' });
    const change = (changeId: string, members: object) => ({
      actor: staff,
      changeId,
      kind: 'members' as const,
      reportedOn: input.approvedOn,
      summary: 'household changed',
      members,
    });
    const added = { added: [{ idNumber: newcomer.idNumber, name: newcomer.name, relation: 'other' }] };
    const refused = await handle.executeUpdate(changeReportUpdate, { args: [change('in', added)] }).then(
      () => false,
      () => true,
    );
    if (!refused) throw new Error('expected the change report to be refused');
    const left = await handle.executeUpdate(changeReportUpdate, {
      args: [change('out', { removed: [input.members[2]!.idNumber] })],
    });
    const review = left.tasks.find((t) => t.kind === 'change_review')!;
    await handle.executeUpdate(reviewResultUpdate, {
      args: [{ actor: staff, taskId: review.taskId, outcome: 'continue', reasons: 'the son moved out' }],
    });
    await s.sleepUntil(dayInMonth(m(2), 20));
    const v = await caseView(handle);
    checkCase('two persons covered and rostered', v.persons === 2 && v.members.length === 2, v);
    return { handle, closed: false };
  },
};
