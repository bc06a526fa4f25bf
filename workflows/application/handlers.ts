import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { condition, patched, setHandler } from '@temporalio/workflow';
import {
  type ApplicationView,
  alreadyEnrolledFailure,
  applicationStateQuery,
  calendarUpdatedSignal,
  decisionUpdate,
  economicCheckUpdate,
  FAILURE,
  initialOpinionUpdate,
  investigationUpdate,
  objectionUpdate,
  procedureExtensionUpdate,
  receiptUpdate,
  returnForOpinionUpdate,
  type Stage,
  temporaryGrantUpdate,
  withdrawalUpdate,
} from '../contracts';
import type { ApplicationRun, Receipt } from './run';

// The application's staff steps, each an Update whose validator refuses a wrong step before it
// enters history (R-A2 … R-A10), and the calendar signal (R-T2).

export function applicationHandlers(run: ApplicationRun) {
  const { state, input, acts, enrolment } = run;
  const now = () => new Date();
  // A staff step is checked by its validator before it enters history. One that arrives while the
  // receipt is still being written waits for it in the handler and is checked then; after a
  // refused receipt every step is refused.
  const step = <A>(
    update: UpdateDefinition<ApplicationView, [A]>,
    check: (a: A, at: Date) => void,
    apply: (a: A) => Promise<ApplicationView>,
  ) =>
    setHandler(
      update,
      async (a) => {
        if (!run.receipt) {
          await condition(() => run.receipt !== undefined);
          // Set by the main loop meanwhile (the compiler narrowed it to undefined above).
          if ((run.receipt as Receipt | undefined)?.refused) throw refusedStep('refused');
          check(a, now());
        }
        return apply(a);
      },
      {
        validator: (a) => {
          if (run.receipt?.refused) throw refusedStep('refused');
          if (run.receipt) check(a, now());
        },
      },
    );
  const simple = <A>(
    update: UpdateDefinition<ApplicationView, [A]>,
    check: (a: A, at: Date) => void,
    transition: (a: A, at: Date) => Parameters<ApplicationRun['persist']>[0][number],
  ) =>
    step(update, check, async (a) => {
      await run.persist([transition(a, now())]);
      return state.snapshot();
    });

  setHandler(applicationStateQuery, () => state.snapshot());
  setHandler(receiptUpdate, async () => {
    await condition(() => run.receipt !== undefined);
    if (run.receipt?.refused) throw alreadyEnrolledFailure(run.receipt.refused, { stage: 'refused' });
    return state.snapshot();
  });
  step(investigationUpdate, state.checkInvestigation.bind(state), (i) =>
    enrolment.investigation(
      i,
      () => state.checkInvestigation(i, now()),
      async () => {
        const entry = state.applyInvestigation(i, now());
        // R-O1: the roster check reads the household as investigated, not the save's result, so it
        // runs beside the save (one local-activity round fewer); histories before it ran them in turn.
        if (patched('investigation-roster-beside-save')) {
          await run.persistInvestigation(entry);
        } else {
          await run.persist([entry]);
          await run.checkRoster('investigation');
        }
        return state.snapshot();
      },
    ),
  );
  simple(economicCheckUpdate, state.checkEconomicCheck.bind(state), state.applyEconomicCheck.bind(state));
  simple(initialOpinionUpdate, state.checkInitialOpinion.bind(state), state.applyInitialOpinion.bind(state));
  simple(objectionUpdate, state.checkObjection.bind(state), state.applyObjection.bind(state));
  // R-A1: an approval first holds the persons its case will cover (enrolment.ts).
  step(decisionUpdate, state.checkDecision.bind(state), (d) =>
    d.approve
      ? enrolment.approval(
          () => state.checkDecision(d, now()),
          () => run.decide(d),
        )
      : run.decide(d),
  );
  simple(returnForOpinionUpdate, state.checkReturn.bind(state), state.applyReturn.bind(state));
  simple(
    procedureExtensionUpdate,
    state.checkProcedureExtension.bind(state),
    state.applyProcedureExtension.bind(state),
  );
  simple(withdrawalUpdate, state.checkWithdrawal.bind(state), state.applyWithdrawal.bind(state));
  step(temporaryGrantUpdate, state.checkTemporaryGrant.bind(state), async (g) => {
    // R-A10: paid at once while pending, documented afterwards.
    const entry = state.applyTemporaryGrant(g, now());
    await acts.recordTemporaryGrant({
      grantId: g.grantId,
      applicationId: input.applicationId,
      villageCode: input.villageCode,
      amount: g.amount,
      reason: g.reason,
      grantedOn: entry.at.slice(0, 10),
      grantedBy: g.actor.sub,
    });
    await run.persist([entry]);
    return state.snapshot();
  });
  setHandler(calendarUpdatedSignal, (year) => {
    const entry = state.applyCalendar(year, now());
    if (entry) run.effects.queue(entry);
    run.changes++;
  });
}

const refusedStep = (stage: Stage) =>
  ApplicationFailure.create({
    type: FAILURE.wrongStage,
    message: stage === 'refused' ? 'the receipt was refused' : 'the receipt is still being recorded',
    nonRetryable: true,
    details: [{ stage }],
  });
