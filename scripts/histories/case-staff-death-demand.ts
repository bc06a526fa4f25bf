import { addDays, dayInMonth } from '../../domain/dates';
import { actor } from '../../test/helpers/fixtures';
import { deathReportUpdate } from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario, writeOffFirstDemand } from './session';

// R-M2 R-M10 R-O6: township staff report (an Update) that the only recipient died before the
// approval: the case closes from its start month, every rostered month is recovered, and — its
// closure's effects recorded first — the recovery becomes a repayment demand with its notice;
// written off by the county, the case ends.
export const caseStaffDeathDemand: NamedScenario = {
  prefix: 'case',
  name: 'staff-death-demand',
  run: async (s) => {
    const { input, handle, m } = await s.startCase({ size: 1 });
    await s.sleepUntil(dayInMonth(m(2), 20));
    let v = await caseView(handle);
    checkCase('two months rostered', v.rostered.length === 2, v);
    await handle.executeUpdate(deathReportUpdate, {
      args: [
        {
          noticeId: 'staff-1',
          idNumber: input.members[0]!.idNumber,
          diedOn: addDays(input.approvedOn, -3),
          source: 'staff',
          reportedBy: actor('township_staff'),
          receivedOn: await s.today(),
        },
      ],
    });
    await s.sleepUntil(dayInMonth(m(2), 21));
    v = await caseView(handle);
    const demand = v.demands?.[0];
    checkCase('a repayment demand for the rostered months', !!demand && Number(demand.amount) > 0, v);
    await writeOffFirstDemand(s, handle, input.caseId, 'D-2');
    const result = await handle.result();
    checkCase('closed, the demand written off', result.status === 'closed', v);
    return { handle, closed: true };
  },
};
