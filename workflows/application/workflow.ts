import { allHandlersFinished, condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { ApplicationInput, ApplicationResult } from '../contracts';
import { SA_STAGE } from '../contracts/search-attributes';
import { applicationHandlers } from './handlers';
import { ApplicationRun } from './run';

/**
 * One application from receipt to approval, rejection or withdrawal (R-A1 … R-A11). Staff steps are
 * Updates whose validators refuse a wrong step before it enters history; time only raises at-risk
 * and overdue flags (R-A6) and ends the publicity (R-A4): nothing is decided by a timer.
 */
export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationResult> {
  const run = new ApplicationRun(input);
  const { state, effects, acts } = run;
  applicationHandlers(run);

  // Time first, then wait: a late paper intake may already be at risk or overdue on receipt.
  for (;;) {
    const { flagged, entries } = state.tick(new Date());
    let persisted = false;
    if (!run.receipt) {
      // The receipt carries what time already tells: a back-dated intake is flagged in its rows.
      run.receipt = await effects.receive(entries);
      if (run.receipt.refused) {
        state.refuse(run.receipt.refused, new Date());
        upsertSearchAttributes([{ key: SA_STAGE, value: state.stage }]);
        break;
      }
      effects.syncSearchAttributes();
      run.changes++;
      persisted = true;
      await run.checkRoster('receipt');
    }
    for (const { deadline, flag } of flagged) {
      // R-A6 / R-O3: supervisors are told; the application waits for staff.
      await acts.notifySupervisor({
        alertKey: `application:${input.applicationId}:${deadline.kind}:${deadline.from}:${flag}`,
        subjectKind: 'application',
        subjectId: input.applicationId,
        villageCode: input.villageCode,
        flag,
        deadlineKind: deadline.kind,
        dueOn: deadline.date,
      });
    }
    if (!persisted && (effects.saved === 0 || flagged.length || entries.length || effects.pending))
      await run.persist(entries);
    if (state.terminal) break;
    const seen = run.changes;
    const wake = state.nextWakeUp(new Date());
    const timeout = wake ? Math.max(1, wake.getTime() - Date.now()) : undefined;
    await condition(() => run.changes !== seen || state.terminal, timeout);
  }

  await condition(allHandlersFinished);
  await run.caseStarted;
  await run.registered;
  return {
    applicationId: input.applicationId,
    stage: state.stage,
    caseId: state.view.decision?.caseId,
    noticeId: state.view.decision?.noticeId,
    ...(run.receipt?.refused ? { refused: run.receipt.refused } : {}),
  };
}
