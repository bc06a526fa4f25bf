import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { endOfCivilDay } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';
import {
  type CaseInput,
  type CaseResult,
  calendarUpdatedSignal,
  caseStateQuery,
  changeReportUpdate,
  comparisonHitSignal,
  complaintCheckSignal,
  deathNoticeSignal,
  deathReportUpdate,
  demandIdOf,
  demandStepUpdate,
  type ImportedCaseStart,
  reviewResultUpdate,
  spotCheckCaseSignal,
  standardChangedSignal,
  visitEventSignal,
} from '../contracts';
import {
  SA_AT_RISK,
  SA_CASE_KIND,
  SA_COUNTY,
  SA_DEADLINE,
  SA_OVERDUE,
  SA_STAGE,
  SA_TOWNSHIP,
  SA_VILLAGE,
} from '../contracts/search-attributes';
import { caseClosureFinding, registerActs, registerImported } from '../register/hooks';
import { caseEffectRunner } from './effects';
import { caseMemberSteps } from './members';
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
  const input = 'importRef' in start ? await local.importedCaseInput(start.importRef) : start;
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
  const now = () => new Date();
  /** Until the first save, an imported case's effects and save run in its first workflow task. */
  const starting = () => startsLocally && v.revision === 0;
  const run = caseEffectRunner(state, () => monthsThisRun++, starting);

  const syncSearchAttributes = () => {
    const open = state.openTasks();
    const earliest = open.map((t) => t.due.date).sort()[0];
    upsertSearchAttributes([
      { key: SA_CASE_KIND, value: 'case' },
      { key: SA_STAGE, value: v.status },
      { key: SA_COUNTY, value: countyOf(v.villageCode) },
      { key: SA_TOWNSHIP, value: townshipOf(v.villageCode) },
      { key: SA_VILLAGE, value: v.villageCode },
      { key: SA_DEADLINE, value: earliest ? endOfCivilDay(earliest) : null },
      { key: SA_AT_RISK, value: open.some((t) => t.atRisk) },
      { key: SA_OVERDUE, value: open.some((t) => t.overdue) },
    ]);
  };

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
      syncSearchAttributes();
    });
    return chain;
  };

  setHandler(caseStateQuery, () => state.snapshot());
  // R-A1 / R-M5 / R-M4: members who join are held for the case before the step applies (409 else).
  const members = caseMemberSteps(state, local);
  setHandler(
    changeReportUpdate,
    (c) =>
      members(
        c.members,
        () => state.checkChange(c, now()),
        async () => {
          state.applyChange(c, now());
          await flush();
          return state.snapshot();
        },
      ),
    { validator: (c) => state.checkChange(c, now()) },
  );
  setHandler(
    reviewResultUpdate,
    (r) =>
      members(
        r.members,
        () => state.checkReviewResult(r, now()),
        async () => {
          state.applyReviewResult(r, now());
          await flush();
          return state.snapshot();
        },
      ),
    { validator: (r) => state.checkReviewResult(r, now()) },
  );
  const onSignal =
    <T>(apply: (x: T, at: Date) => void) =>
    (x: T) => {
      apply(x, now());
      changes++;
    };
  setHandler(
    deathNoticeSignal,
    onSignal((n, at) => state.applyDeath(n, at)),
  );
  // R-M2 from staff: an Update, so the answer says whether the case counted it and a case whose
  // workflow is gone is refused before anything is recorded.
  setHandler(
    deathReportUpdate,
    async (n) => {
      const outcome = state.applyDeath(n, now());
      changes++;
      await flush();
      return outcome;
    },
    { validator: (n) => state.checkDeathReport(n, now()) },
  );
  // R-M10: repayments and write-offs of a closed case's repayment demand, recorded by the county.
  setHandler(
    demandStepUpdate,
    async (step) => {
      const demand = state.applyDemandStep(step, now());
      changes++;
      await flush();
      return JSON.parse(JSON.stringify(demand)) as typeof demand;
    },
    { validator: (step) => state.checkDemandStep(step) },
  );
  setHandler(
    comparisonHitSignal,
    onSignal((h, at) => state.applyHit(h, at)),
  );
  setHandler(
    complaintCheckSignal,
    onSignal((c, at) => state.applyComplaintCheck(c, at)),
  );
  setHandler(
    visitEventSignal,
    onSignal((c, at) => state.applyChange(c, at)),
  );
  setHandler(
    standardChangedSignal,
    onSignal((s, at) => state.applyStandardChange(s.policy, at)),
  );
  setHandler(
    calendarUpdatedSignal,
    onSignal((y, at) => state.applyCalendar(y, at)),
  );
  // R-O2: a spot-check finding (corrected amount, reversed approval).
  setHandler(
    spotCheckCaseSignal,
    onSignal((f, at) => state.applySpotCheckFinding(f, at)),
  );

  // R-M8: a standard published while the application was pending (its fan-out ran before this case
  // existed) applies from its effective month.
  if (!input.carried) {
    const read = startsLocally ? local.newerPolicies : acts.newerPolicies;
    for (const p of await read({
      countyCode: countyOf(v.villageCode),
      afterVersion: v.policy.version,
    }))
      state.applyStandardChange(p, now());
  }
  // R-M2: death notices that waited for a member — received while the application was pending, or
  // matching no one then — apply before the first month is rostered.
  if (!input.carried) {
    const read = startsLocally ? local.waitingDeathNotices : acts.waitingDeathNotices;
    for (const n of await read({ idNumbers: v.members.map((m) => m.idNumber) })) state.applyDeath(n, now());
  }

  for (;;) {
    state.tick(now());
    await registerImported(state.record, input.imported, starting());
    await flush();
    if (state.closed) break;
    const due =
      workflowInfo().continueAsNewSuggested ||
      monthsThisRun >= MONTHS_PER_RUN ||
      (input.continueAsNewAfter !== undefined && wakeUps >= input.continueAsNewAfter);
    if (due) break;
    const seen = changes;
    const wake = state.nextWakeUp(now());
    const timeout = wake ? Math.max(1, wake.getTime() - Date.now()) : undefined;
    // Also wake for work a signal queued while the last flush was running (it saw `seen` already).
    await condition(
      () => changes !== seen || state.closed || state.effects.length > 0 || state.unsaved.length > 0,
      timeout,
    );
    wakeUps++;
  }

  // R-M10: the closure's own effects — its recovery above all — are recorded before anything that
  // reads them (an Update's flush and the loop's can interleave so that the loop leaves first).
  if (state.closed) await flush();
  // R-L1: a closed case keeps the household in the register (a former recipient, by the closure's
  // reason and the income measured) at closure, before a repayment demand keeps the case open.
  if (state.closed && !closedAtStart) {
    const finding = caseClosureFinding(state.snapshot());
    if (finding) await registerActs.registerFinding(finding);
  }
  // R-M10: a closed case's recoveries that no later payment can offset become a repayment demand,
  // and the case stays to track it until it is repaid or written off. A recovery found later (a
  // death reported after the closure) becomes a demand of its own: the case ends once nothing is
  // open and every recovery was claimed.
  if (state.closed) {
    const recoveries = () => v.adjustments.filter((a) => a.kind === 'recovery').length;
    let claimedAt = -1;
    for (;;) {
      if (claimedAt !== recoveries()) {
        claimedAt = recoveries();
        const demandId = demandIdOf(v.caseId, (v.demands?.length ?? 0) + 1);
        const claimed = await acts.claimOpenRecoveries({ caseId: v.caseId, demandId });
        if (claimed) {
          state.raiseDemand(demandId, claimed, now());
          await flush();
        }
      }
      await condition(() => state.openDemands().length === 0 || recoveries() !== claimedAt);
      await condition(allHandlersFinished);
      await flush(); // a late recovery is recorded before it is claimed
      if (state.openDemands().length === 0 && recoveries() === claimedAt) break;
    }
  }

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
