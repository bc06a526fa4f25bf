import { addMonthsToYearMonth, dayInMonth, monthOf } from '../../domain/dates';
import { COUNTY } from '../../test/helpers/fixtures';
import {
  type DecisionUnit,
  spotCheckItemWorkflowId,
  spotCheckRoundWorkflowId,
} from '../../workflows/contracts';
import type { spotCheckRoundWorkflow } from '../../workflows/spot-check/round';
import type { NamedScenario, Session } from './session';

/** `n` township decisions of a month in a county, every third one on a close relative (R-O1). */
export function decisionsOf(countyCode: string, month: string, n: number): DecisionUnit[] {
  return Array.from({ length: n }, (_, i) => {
    const approved = i % 4 !== 3;
    const applicationId = `A${countyCode}${month.replace('-', '')}01000${String(i).padStart(3, '0')}`;
    return {
      applicationId,
      caseId: approved ? applicationId : null,
      villageCode: `${countyCode}101201`,
      decision: approved ? 'approved' : 'rejected',
      decidedOn: dayInMonth(month, 1 + i),
      decidedBy: 'township_staff-1',
      closeRelative: i % 3 === 0,
    };
  });
}

export const lastMonth = async (s: Session) => addMonthsToYearMonth(monthOf(await s.today()), -1);

// R-O2: a county's round for last month's twelve township decisions, started by county staff:
// the nonce generated in the workflow (uuid4), context, population, the draw recorded with its
// seed (≥ 30 % of the decisions, ≥ 60 % of the close-relative ones), one check task started per
// drawn decision as an abandoned child workflow.
export const spotCheckRoundDraw: NamedScenario = {
  prefix: 'spot-check-round',
  name: 'draw',
  run: async (s) => {
    const month = await lastMonth(s);
    s.fakes.spotChecks.decisions.push(...decisionsOf(COUNTY, month, 12));
    const handle = await s.env.client.workflow.start<typeof spotCheckRoundWorkflow>(
      'spotCheckRoundWorkflow',
      {
        taskQueue: s.taskQueue,
        workflowId: spotCheckRoundWorkflowId(COUNTY, month),
        args: [{ countyCode: COUNTY, month, startedBy: 'county-1' }],
      },
    );
    const result = await handle.result();
    if (result.populationSize !== 12 || result.drawn.length < 4)
      throw new Error(`unexpected draw ${JSON.stringify(result)}`);
    const events = (await handle.fetchHistory()).events ?? [];
    const children = events.flatMap(
      (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [],
    );
    const expected = result.drawn.map((a) => spotCheckItemWorkflowId(`SC-${a}`)).sort();
    if (children.sort().join() !== expected.join()) throw new Error('not one check per drawn decision');
    return { handle, closed: true };
  },
};
