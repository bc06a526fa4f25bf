import { actor } from '../../test/helpers/fixtures';
import { applicationStateQuery, temporaryGrantUpdate } from '../../workflows/contracts';
import { check, type NamedScenario, overall } from './session';

// R-A10 R-A6 R-O3: a temporary grant while pending; then the deadline passes at risk and overdue.
// Left open: a case waiting on staff is exactly what a deployment finds running.
export const applicationGrantOverdue: NamedScenario = {
  prefix: 'application',
  name: 'grant-overdue',
  run: async (s) => {
    const { input, handle } = await s.start();
    let view = await handle.executeUpdate(temporaryGrantUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          grantId: `g-${input.applicationId}`,
          amount: '500.00',
          reason: 'hospital bill',
        },
      ],
    });
    check('one grant', view.temporaryGrants.length === 1, view);
    const due = overall(view)!;
    const msAt = (date: string) => new Date(`${date}T00:00:00+08:00`).getTime();
    await s.env.sleep(msAt(due.atRiskOn) - (await s.env.currentTimeMs()) + 60_000);
    await s.env.sleep(msAt(due.date) + 86_400_000 - (await s.env.currentTimeMs()) + 60_000);
    view = await handle.query(applicationStateQuery);
    check('at risk and overdue', !!overall(view)?.atRisk && !!overall(view)?.overdue, view);
    return { handle, closed: false };
  },
};
