import { addDays } from '../../domain/dates';
import { actor } from '../../test/helpers/fixtures';
import { monitoringHitSignal, registerStateQuery, registerVisitUpdate } from '../../workflows/contracts';
import { findingMembers, startRegisterEntry, villageReport } from './register-entry';
import type { NamedScenario } from './session';

// R-L1 R-L2: a household found by a village report reaches its register entry by signal-with-start
// (clients/register-entry.ts); a warning detected 3 days before it arrived opens a visit due 15
// working days after the detection, which turns at risk and overdue by its timers (supervisor
// alerts); staff visit and close it; a second warning opens a new visit. Left open.
export const registerHitVisit: NamedScenario = {
  prefix: 'register',
  name: 'hit-visit',
  run: async (s) => {
    const key = 'Hreplay000000000000000001';
    const members = findingMembers();
    const today = await s.today();
    const handle = await startRegisterEntry(s, key, villageReport(members, today));
    const hit = { kind: 'job_loss' as const, idNumber: members[0]!.idNumber, source: 'hr bureau' };
    await handle.signal(monitoringHitSignal, { ...hit, hitId: 'h1', detectedOn: addDays(today, -3) });
    let v = await handle.query(registerStateQuery);
    for (let i = 0; i < 50 && v.tasks.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      v = await handle.query(registerStateQuery);
    }
    const task = v.tasks[0];
    if (!task) throw new Error('no visit opened');
    if (task.atRisk || task.overdue) throw new Error('the visit is flagged on arrival');
    await s.sleepUntil(addDays(task.due.date, 1));
    v = await handle.query(registerStateQuery);
    if (!v.tasks[0]?.overdue) throw new Error('the visit is not overdue');
    if (s.calls.alerts.map((a) => a.flag).join() !== 'at_risk,overdue') throw new Error('no alerts');
    await handle.executeUpdate(registerVisitUpdate, {
      args: [{ actor: actor('township_staff'), visitId: 'v1', visitedOn: await s.today(), findings: 'seen' }],
    });
    await handle.signal(monitoringHitSignal, { ...hit, hitId: 'h2', detectedOn: await s.today() });
    return { handle, closed: false };
  },
};
