import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  calendarUpdatedSignal,
  FAILURE,
  monitoringHitSignal,
  type RegisterInput,
  type RegisterView,
  referralAnswerUpdate,
  referralUpdate,
  registerFindingSignal,
  registerFindingUpdate,
  registerStateQuery,
  registerVisitUpdate,
  registerWorkflowId,
  relocateRegisterUpdate,
  type Visit,
} from '../contracts';
import { forwardUntilQuiet, movedFailure, startSuccessor, successorInput } from './relocation';
import { RegisterState } from './state';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: ['NoPolicy'] },
});
// A new entry's first save runs in its first workflow task (a local activity: no second task).
const local = proxyLocalActivities<Pick<Activities, 'saveRegister'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/**
 * A household's entry in the county's low-income register (R-L1 … R-L3): `register:<county>:<key>`,
 * the one writer of its rows. Findings (applications, cases, imports, staff) and monitoring hits
 * arrive as signals or Updates; a hit opens a visit due 15 working days after the warning was
 * detected, flagged at risk and overdue by timers; a visit that finds the household eligible has an
 * application received for it through the normal receipt (R-A1, never an admission without the
 * procedure, R-A11). Lives as long as the register; continues as new when the server suggests it.
 */
export async function registerWorkflow(input: RegisterInput): Promise<void> {
  const state = new RegisterState(input, new Date());
  const v = state.view;
  let changes = 0;
  let wakeUps = 0;
  const now = () => new Date();
  // R-O7: set once the entry moves to a keyed id (relocation.ts); then it forwards, never saves.
  let movedTo: string | undefined;
  let handedOver = false;
  const forward: Parameters<typeof forwardUntilQuiet>[1] = [];
  const notMoved = () => {
    if (movedTo) throw movedFailure();
  };
  // R-O6: a successor records the move, once, by whoever ran it; its first save re-keys the rows.
  if (input.replaces && input.relocatedBy && !state.hasSeen(`relocated:${input.replaces}`))
    state.applyRelocated(input.replaces, input.relocatedBy, now());

  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    chain = chain.then(async () => {
      if (handedOver) return;
      while (state.alerts.length) {
        const { task, flag } = state.alerts.shift()!;
        // R-O3: supervisors see the at-risk or overdue visit; the register waits for staff.
        await acts.notifySupervisor({
          alertKey: `register:${v.countyCode}:${v.householdKey}:${task.taskId}:${flag}`,
          subjectKind: 'register',
          subjectId: v.householdKey,
          villageCode: v.villageCode,
          flag,
          deadlineKind: 'register_visit',
          dueOn: task.due.date,
        });
      }
      if (!state.unsaved.length && v.revision > 0) return;
      const entries = state.unsaved.splice(0);
      // Entries started before this branch saved first through an activity (ARCHITECTURE.md
      // "Changing a running workflow"); a register entry per imported household makes it count.
      const save = v.revision === 0 && patched('register-first-save-local') ? local : acts;
      v.revision++;
      await save.saveRegister({
        view: state.snapshot(),
        entries,
        ...(input.replaces ? { replaces: input.replaces } : {}),
      });
    });
    return chain;
  };
  const answer = async (): Promise<RegisterView> => {
    changes++;
    await flush();
    return state.snapshot();
  };

  setHandler(registerStateQuery, () => state.snapshot());
  setHandler(registerFindingSignal, (f) => {
    if (movedTo) return void forward.push((to) => to.signal(registerFindingSignal, f));
    if (state.applyFinding(f, now())) changes++;
  });
  // R-L2: a visit counts from the warning's detection.
  setHandler(monitoringHitSignal, (h) => {
    if (movedTo) return void forward.push((to) => to.signal(monitoringHitSignal, h));
    if (state.applyHit(h, now())) {
      state.tick(now());
      changes++;
    }
  });
  setHandler(calendarUpdatedSignal, (y) => {
    if (movedTo) return void forward.push((to) => to.signal(calendarUpdatedSignal, y));
    state.applyCalendar(y, now());
    changes++;
  });
  setHandler(
    registerFindingUpdate,
    async (f) => {
      state.applyFinding(f, now());
      return answer();
    },
    { validator: (_f) => notMoved() },
  );
  setHandler(
    registerVisitUpdate,
    async (i) => {
      let opened: Pick<Visit, 'applicationId' | 'applicationRefused'> | undefined;
      if (i.application && !state.hasSeen(`visit:${i.visitId}`)) {
        // R-L2 / R-A1: the normal receipt; its id derives from the household and the visit, so a
        // retried activity is the same application.
        try {
          opened = await acts.openRegisterApplication({
            countyCode: v.countyCode,
            householdKey: v.householdKey,
            villageCode: v.villageCode,
            visitId: i.visitId,
            actor: i.actor,
            application: i.application,
          });
        } catch (err) {
          if (err instanceof ActivityFailure && (err.cause as ApplicationFailure)?.type === 'NoPolicy')
            throw noPolicy(v.countyCode); // nothing recorded: the visit can be sent again
          throw err;
        }
      }
      state.applyVisit(i, now(), opened);
      return answer();
    },
    {
      validator: (i) => {
        notMoved();
        state.checkVisit(i, now());
      },
    },
  );
  setHandler(
    referralUpdate,
    async (r) => {
      state.applyReferral(r, now());
      return answer();
    },
    {
      validator: (r) => {
        notMoved();
        state.checkReferral(r, now());
      },
    },
  );
  setHandler(
    referralAnswerUpdate,
    async (a) => {
      state.applyAnswer(a, now());
      return answer();
    },
    {
      validator: (a) => {
        notMoved();
        state.checkAnswer(a, now());
      },
    },
  );
  setHandler(
    relocateRegisterUpdate,
    async (r) => {
      const next = () => successorInput(input, state.snapshot(), r);
      if (movedTo) return next().carried!; // the same move again (a retried migration)
      movedTo = r.newKey; // from here on signals queue for the successor
      await flush(); // what this entry holds is saved under its own key first
      handedOver = true;
      await startSuccessor(next());
      changes++;
      return next().carried!;
    },
    {
      validator: (r) => {
        if (movedTo && movedTo !== r.newKey) throw movedFailure();
        if (r.newKey === v.householdKey) throw movedFailure();
      },
    },
  );

  for (;;) {
    if (movedTo) break;
    state.tick(now());
    await flush();
    if (movedTo) break;
    const due =
      workflowInfo().continueAsNewSuggested ||
      (input.continueAsNewAfter !== undefined && wakeUps >= input.continueAsNewAfter);
    if (due) break;
    const seen = changes;
    const wake = state.nextWakeUp(now());
    const timeout = wake ? Math.max(1, wake.getTime() - Date.now()) : undefined;
    await condition(() => changes !== seen || state.unsaved.length > 0 || movedTo !== undefined, timeout);
    wakeUps++;
  }
  if (movedTo) return forwardUntilQuiet(registerWorkflowId(v.countyCode, movedTo), forward);
  await condition(allHandlersFinished);
  while (state.unsaved.length || state.alerts.length) await flush();
  await continueAsNew<typeof registerWorkflow>({
    ...input,
    carried: state.snapshot(),
    continueAsNewAfter: undefined,
    // R-O7: a successor's rows were re-keyed by its first save; the next run need not say so again.
    replaces: undefined,
    relocatedBy: undefined,
  });
}

/** R-L2: no receipt without the county's parameters (a 422 naming no person, R-O7). */
const noPolicy = (county: string) =>
  ApplicationFailure.create({
    type: FAILURE.invalidStep,
    message: `county ${county} has no standard in force`,
    nonRetryable: true,
  });
