import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CaseInput, CaseResult, ImportedCaseStart } from '../contracts';
import { registerImported } from '../register/hooks';
import { catchUp, syncCaseSearchAttributes } from './catch-up';
import { closeOut } from './closing';
import { caseEffectRunner } from './effects';
import { caseHandlers } from './handlers';
import { CaseState } from './state';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

// An imported case reads its input in its first workflow task (a local activity: no task round trip).
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/** Months a run rosters before it continues as new (at least yearly: a bounded history, STYLE.md). */
const MONTHS_PER_RUN = 12;

/**
 * A case in benefit for as long as it lasts (R-M2 … R-M9): an entity workflow owning the
 * entitlement. Each month's roster cut-off hands the month to the payroll; events (death notices,
 * comparison hits, change reports, review results, standard changes) change it only as the rules
 * say, and a hit never by itself (R-A11). Continues as new yearly, carrying its state.
 */
export async function caseWorkflow(start: CaseInput | ImportedCaseStart): Promise<CaseResult> {
  // A case brought in by a caseload import reads its household and starting state from the import's
  // stored batch (no personal data in the import workflow's history); an approval hands it in whole.
  // Its three reads (input, newer standards, waiting death notices) are one local activity; a case
  // started before that read them one by one (ARCHITECTURE.md "Changing a running workflow").
  const reads =
    'importRef' in start && patched('imported-case-one-read')
      ? await local.importedCaseStart(start.importRef)
      : undefined;
  const input =
    reads?.input ?? ('importRef' in start ? await local.importedCaseInput(start.importRef) : start);
  // An imported case also reads newer standards, records its starting rate and filing and saves its
  // first state as local activities: its start is one workflow task instead of four (a third fewer
  // events for the server).
  const startsLocally = 'importRef' in start;
  const state = new CaseState(input, new Date());
  const v = state.view;
  // A closed case started again (a late death, R-M10) has done its closure's register step already.
  const closedAtStart = input.carried !== undefined && state.closed;
  let changes = 0;
  let wakeUps = 0;
  let monthsThisRun = 0;
  /** Until the first save, an imported case's effects and save run in its first workflow task. */
  const starting = () => startsLocally && v.revision === 0;
  const run = caseEffectRunner(state, () => monthsThisRun++, starting);

  // Effects run in the order the rules queued them, one flush at a time (handlers interleave).
  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    chain = chain.then(async () => {
      while (state.effects.length) await run(state.effects.shift()!);
      if (!state.unsaved.length && v.revision > 0) return;
      const entries = state.unsaved.splice(0);
      const save = starting() ? local.saveCase : acts.saveCase;
      v.revision++;
      await save({ view: state.snapshot(), entries });
      syncCaseSearchAttributes(state);
    });
    return chain;
  };
  caseHandlers(state, flush, () => changes++, local);
  if (!input.carried)
    await catchUp(
      state,
      reads
        ? {
            newerPolicies: async () => reads.newerPolicies,
            waitingDeathNotices: async () => reads.waitingDeathNotices,
          }
        : startsLocally
          ? local
          : acts,
    );

  for (;;) {
    state.tick(new Date());
    await registerImported(state.record, input.imported, starting());
    await flush();
    if (state.closed) break;
    const due =
      workflowInfo().continueAsNewSuggested ||
      monthsThisRun >= MONTHS_PER_RUN ||
      (input.continueAsNewAfter !== undefined && wakeUps >= input.continueAsNewAfter);
    if (due) break;
    const seen = changes;
    const wake = state.nextWakeUp(new Date());
    const timeout = wake ? Math.max(1, wake.getTime() - Date.now()) : undefined;
    // Also wake for work a signal queued while the last flush was running (it saw `seen` already).
    await condition(
      () => changes !== seen || state.closed || state.effects.length > 0 || state.unsaved.length > 0,
      timeout,
    );
    wakeUps++;
  }
  if (state.closed) await closeOut(state, flush, acts, closedAtStart);

  await condition(allHandlersFinished);
  // Signals may land while effects run; nothing queued may be left behind by continue-as-new.
  while (state.effects.length || state.unsaved.length) await flush();
  if (!state.closed) {
    // Signals that arrived while handlers finished were applied to the state carried here.
    await continueAsNew<typeof caseWorkflow>({
      ...input,
      runtimeYears: state.input.runtimeYears,
      carried: state.snapshot(),
    });
  }
  return { caseId: v.caseId, status: v.status, closed: v.closed };
}
