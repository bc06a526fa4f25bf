import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild, uuid4 } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { addMonthsToYearMonth, civilDateOf, monthOf } from '../../domain/dates';
import {
  type SpotCheckRoundInput,
  type SpotCheckRoundResult,
  spotCheckIdOf,
  spotCheckItemWorkflowId,
  spotCheckRoundId,
  spotCheckRoundWorkflowId,
} from '../contracts';
import { spotCheckItemWorkflow } from './item';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/**
 * R-O2: a county's spot-check round for one month of township decisions (`spotcheck:<county>:<month>`).
 * Reads the month's decisions from the read model (in application-id order), draws with a seed
 * derived from a nonce generated here once (uuid4 is deterministic under replay), records seed,
 * population and draw (the round's one writer), then opens one check task per drawn decision, each
 * its own workflow that outlives the round; decisions a complaint asked to check (R-O4) get one too. Started by the monthly schedule for the month before,
 * or through the API for a past month; the workflow id makes it one round per county and month.
 */
export async function spotCheckRoundWorkflow(input: SpotCheckRoundInput): Promise<SpotCheckRoundResult> {
  const { countyCode, month } = input;
  const roundId = spotCheckRoundId(countyCode, month);
  const nonce = uuid4();
  const context = await acts.loadSpotCheckContext({ countyCode, month });
  const population = await acts.spotCheckPopulation({ countyCode, month });
  const now = new Date();
  const round = await acts.recordSpotCheckRound({
    countyCode,
    month,
    roundId,
    nonce,
    context,
    population,
    drawnOn: civilDateOf(now),
    startedBy: input.startedBy ?? 'schedule',
    at: now.toISOString(),
  });
  // A check already opened (this round run before, its workflows since gone from retention) stays.
  const drawn = new Set(round.drawn.filter((id) => !round.opened.includes(id)));
  const units = round.population.filter((u) => drawn.has(u.applicationId));
  // R-O4 → R-O2: the decisions complaints asked to check, beside the draw.
  for (const u of round.requested ?? [])
    if (!round.opened.includes(u.applicationId) && !drawn.has(u.applicationId)) units.push(u);
  for (const unit of units) {
    const checkId = spotCheckIdOf(unit.applicationId);
    try {
      await startChild(spotCheckItemWorkflow, {
        workflowId: spotCheckItemWorkflowId(checkId),
        args: [
          {
            checkId,
            roundId,
            unit,
            openedOn: civilDateOf(now),
            deadlines: context.deadlines,
            runtimeYears: context.runtimeYears,
          },
        ],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // One check per decision: a finished check is never started again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return {
    roundId,
    seed: round.seed,
    populationSize: round.populationSize,
    drawn: round.drawn,
    requested: (round.requested ?? []).map((u) => u.applicationId),
  };
}

/** Run by the monthly Schedule: last month's round for each county given (or with township decisions). */
export async function spotCheckSchedulerWorkflow(
  input: { month?: string; counties?: string[] } = {},
): Promise<{ started: string[] }> {
  const month = input.month ?? addMonthsToYearMonth(monthOf(civilDateOf(new Date())), -1);
  const started: string[] = [];
  for (const countyCode of input.counties ?? (await acts.spotCheckCounties({ month }))) {
    try {
      await startChild(spotCheckRoundWorkflow, {
        workflowId: spotCheckRoundWorkflowId(countyCode, month),
        args: [{ countyCode, month }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // One round per county and month, also after it has completed (a catch-up run).
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      started.push(countyCode);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return { started };
}
