import { startOfCivilDay } from '../../domain/dates';
import {
  assignmentUpdate,
  complaintStateQuery,
  extensionUpdate,
  findingUpdate,
} from '../../workflows/contracts';
import { clerk, county, receiveComplaint } from './complaint-answered';
import { type NamedScenario, poll } from './session';

// R-O4 R-O3: an anonymous tip-off (its deadline is the finding's): assigned, the county extends the
// deadline once with its reason; the extended deadline's at-risk day passes (a timer, the
// supervisors' alert); the finding closes it (no one to answer).
export const complaintAnonymousExtended: NamedScenario = {
  prefix: 'complaint',
  name: 'anonymous-extended',
  run: async (s) => {
    const { handle, view } = await receiveComplaint(s, {
      source: 'letter',
      complainant: { anonymous: true },
      summary: 'a cadre’s relative is paid',
    });
    await handle.executeUpdate(assignmentUpdate, { args: [{ actor: county, handler: clerk.sub }] });
    const extended = await handle.executeUpdate(extensionUpdate, {
      args: [{ actor: county, reason: 'the household is away until next month' }],
    });
    if (!(extended.deadline.date > view.deadline.date)) throw new Error('the deadline did not move');
    const ms =
      startOfCivilDay(extended.deadline.atRiskOn).getTime() + 3_600_000 - (await s.env.currentTimeMs());
    await s.env.sleep(ms);
    await poll(
      () => handle.query(complaintStateQuery),
      (v) => v.atRisk && !v.overdue,
      'at risk',
    );
    const closed = await handle.executeUpdate(findingUpdate, {
      args: [
        { actor: clerk, outcome: 'unsubstantiated', summary: 'no relative found', spotCheckRequested: false },
      ],
    });
    if (closed.stage !== 'closed') throw new Error(`not closed: ${closed.stage}`);
    await handle.result();
    if (s.calls.alerts.map((a) => a.flag).join() !== 'at_risk') throw new Error('no at-risk alert');
    return { handle, closed: true };
  },
};
