import { addDays } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { actor, COUNTY } from '../../test/helpers/fixtures';
import {
  caseStateQuery,
  spotCheckFindingUpdate,
  spotCheckItemWorkflowId,
  spotCheckRoundId,
  spotCheckStateQuery,
} from '../../workflows/contracts';
import type { spotCheckItemWorkflow } from '../../workflows/spot-check/item';
import { type NamedScenario, poll } from './session';
import { lastMonth } from './spot-check-round-draw';

// R-O2 R-O3: the check task of a drawn approval whose case is running: opened (its row saved), at
// risk and then overdue by its timers (the supervisors' alerts); the county records a correction of
// the amount (Update `recordSpotCheckFinding`), which goes to the case as a signal
// (`spotCheckFinding`): the case's rate changes. Completed with its finding.
export const spotCheckItemCorrected: NamedScenario = {
  prefix: 'spot-check-item',
  name: 'corrected',
  run: async (s) => {
    const { input, handle: caseHandle } = await s.startCase();
    const month = await lastMonth(s);
    const checkId = `SC-${input.applicationId}`;
    const handle = await s.env.client.workflow.start<typeof spotCheckItemWorkflow>('spotCheckItemWorkflow', {
      taskQueue: s.taskQueue,
      workflowId: spotCheckItemWorkflowId(checkId),
      args: [
        {
          checkId,
          roundId: spotCheckRoundId(COUNTY, month),
          unit: {
            applicationId: input.applicationId,
            caseId: input.caseId,
            villageCode: input.villageCode,
            decision: 'approved',
            decidedOn: input.approvedOn,
            decidedBy: 'township_staff-1',
            closeRelative: false,
          },
          openedOn: await s.today(),
          deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
          runtimeYears: [],
        },
      ],
    });
    const opened = await poll(
      () => handle.query(spotCheckStateQuery),
      (v) => !!v.due,
      'opened',
    );
    await s.sleepUntil(addDays(opened.due.date, 1));
    await poll(
      () => handle.query(spotCheckStateQuery),
      (v) => v.atRisk && v.overdue,
      'overdue',
    );
    const view = await handle.executeUpdate(spotCheckFindingUpdate, {
      args: [
        {
          actor: actor('county_staff', COUNTY),
          outcome: 'corrected',
          reasons: 'a pension was not counted',
          monthlyAmount: '900.00',
        },
      ],
    });
    if (view.finding?.followUp !== 'case_rate_changed')
      throw new Error(`follow-up ${view.finding?.followUp}`);
    await handle.result();
    await poll(
      () => caseHandle.query(caseStateQuery),
      (v) => v.monthlyAmount === '900.00',
      'the case re-rated',
    );
    const flags = s.calls.alerts.filter((a) => a.subjectKind === 'spot_check').map((a) => a.flag);
    if (flags.join() !== 'at_risk,overdue') throw new Error(`alerts ${flags}`);
    return { handle, closed: true };
  },
};
