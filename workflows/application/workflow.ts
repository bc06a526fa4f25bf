import {
  ApplicationFailure,
  type UpdateDefinition,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { caseWorkflow } from '../case/workflow';
import {
  type ApplicationInput,
  type ApplicationResult,
  type ApplicationView,
  alreadyEnrolledFailure,
  applicationStateQuery,
  type CaseInput,
  calendarUpdatedSignal,
  caseWorkflowId,
  type DecisionInput,
  decisionUpdate,
  type EnrolmentConflict,
  economicCheckUpdate,
  FAILURE,
  type HistoryEntry,
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
import { SA_STAGE } from '../contracts/search-attributes';
import { applicationFinding, registerActs } from '../register/hooks';
import { applyRosterCheck, rosterCheckOf } from './close-relatives';
import { ApplicationEffects } from './effects';
import { applicationEnrolment } from './enrolment';
import { ApplicationState } from './state';

/** Starts the case-in-benefit workflow; it outlives the application (abandoned on close). */
async function startCase(caseId: string, input: CaseInput) {
  try {
    await startChild(caseWorkflow, {
      workflowId: caseWorkflowId(caseId),
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * One application from receipt to approval, rejection or withdrawal (R-A1 … R-A11). Staff steps are
 * Updates whose validators refuse a wrong step before it enters history; time only raises at-risk
 * and overdue flags (R-A6) and ends the publicity (R-A4): nothing is decided by a timer.
 */
export async function applicationWorkflow(input: ApplicationInput): Promise<ApplicationResult> {
  const ctx = input.context;
  const state = new ApplicationState(input, ctx, new Date());
  // R-A1: the receipt is the workflow's first step, so its rows and the workflow exist together.
  const effects = new ApplicationEffects(input, state);
  const { acts } = effects;
  const enrolment = applicationEnrolment(input, state, acts);
  let receipt: Receipt | undefined;
  let changes = 0;
  // R-A8: the case workflow's start, awaited before this workflow ends.
  let caseStarted: Promise<void> | undefined;
  // R-L1: the household's register entry learns of the decision, awaited before this workflow ends.
  let registered: Promise<unknown> | undefined;
  const persist = async (entries: HistoryEntry[]) => {
    await effects.save(entries);
    changes++;
  };

  const now = () => new Date();
  // R-O1: the household against the county's roster at receipt and each investigation; a match is
  // filed by the activity.
  const checkRoster = async (kind: 'receipt' | 'investigation') => {
    const check = rosterCheckOf(state, kind, now());
    const { matches } = await acts.checkCloseRelatives(check);
    const entry = applyRosterCheck(state, check, matches, now());
    if (entry) await persist([entry]);
  };
  // A staff step is checked by its validator before it enters history. One that arrives while the
  // receipt is still being written waits for it in the handler and is checked then; after a
  // refused receipt every step is refused.
  const step = <A>(
    update: UpdateDefinition<ApplicationView, [A]>,
    check: (a: A, at: Date) => void,
    run: (a: A) => Promise<ApplicationView>,
  ) =>
    setHandler(
      update,
      async (a) => {
        if (!receipt) {
          await condition(() => receipt !== undefined);
          if ((receipt as Receipt | undefined)?.refused) throw refusedStep('refused');
          check(a, now());
        }
        return run(a);
      },
      {
        validator: (a) => {
          if (receipt?.refused) throw refusedStep('refused');
          if (receipt) check(a, now());
        },
      },
    );
  setHandler(applicationStateQuery, () => state.snapshot());
  setHandler(receiptUpdate, async () => {
    await condition(() => receipt !== undefined);
    if (receipt?.refused) throw alreadyEnrolledFailure(receipt.refused, { stage: 'refused' });
    return state.snapshot();
  });
  step(investigationUpdate, state.checkInvestigation.bind(state), (i) =>
    enrolment.investigation(
      i,
      () => state.checkInvestigation(i, now()),
      async () => {
        await persist([state.applyInvestigation(i, now())]);
        await checkRoster('investigation');
        return state.snapshot();
      },
    ),
  );
  step(economicCheckUpdate, state.checkEconomicCheck.bind(state), async (e) => {
    await persist([state.applyEconomicCheck(e, now())]);
    return state.snapshot();
  });
  step(initialOpinionUpdate, state.checkInitialOpinion.bind(state), async (o) => {
    await persist([state.applyInitialOpinion(o, now())]);
    return state.snapshot();
  });
  step(objectionUpdate, state.checkObjection.bind(state), async (o) => {
    await persist([state.applyObjection(o, now())]);
    return state.snapshot();
  });
  const decide = async (d: DecisionInput) => {
    // The case record or the notice first, then one save.
    const entry = state.applyDecision(d, now());
    const decision = state.view.decision!;
    // R-E2 R-L1: an approved marginal household is registered (below), never made a paying case.
    if (d.approve && state.view.opinion?.category !== 'marginal') {
      // R-A8: the case is recorded with its amount and start month; payroll reads its entitlement.
      const { caseId } = await acts.recordCase({ input, view: state.snapshot() });
      state.caseRecorded(caseId);
      // R-A8: the case in benefit lives on as its own workflow; the answer does not wait for its start.
      caseStarted = startCase(caseId, state.caseInput(caseId, d));
    } else if (!d.approve) {
      // R-A7: the written notice with reasons, issued at once (due within the parameter).
      const notice = await acts.issueNotice({
        kind: 'rejection',
        subjectKind: 'application',
        subjectId: input.applicationId,
        villageCode: input.villageCode,
        addressee: state.household().members.find((m) => m.relation === 'applicant')?.name ?? '',
        reasons: decision.reasons,
        decidedOn: decision.on,
        decidedBy: decision.by,
        dueOn: state.openDeadlines().find((x) => x.kind === 'rejection_notice')?.date,
        parameterVersion: ctx.policy.version,
      });
      state.noticeIssued(notice.noticeId, now());
    }
    // R-L1 / R-E2: approvals and marginal findings register the household.
    const finding = applicationFinding(input, state.view, d);
    if (finding) registered = registerActs.registerFinding(finding);
    await persist([entry]);
    return state.snapshot();
  };
  // R-A1: an approval first holds the persons its case will cover (application-enrolment.ts).
  step(decisionUpdate, state.checkDecision.bind(state), (d) =>
    d.approve
      ? enrolment.approval(
          () => state.checkDecision(d, now()),
          () => decide(d),
        )
      : decide(d),
  );
  step(returnForOpinionUpdate, state.checkReturn.bind(state), async (r) => {
    await persist([state.applyReturn(r, now())]);
    return state.snapshot();
  });
  step(procedureExtensionUpdate, state.checkProcedureExtension.bind(state), async (x) => {
    await persist([state.applyProcedureExtension(x, now())]);
    return state.snapshot();
  });
  step(withdrawalUpdate, state.checkWithdrawal.bind(state), async (w) => {
    await persist([state.applyWithdrawal(w, now())]);
    return state.snapshot();
  });
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
    await persist([entry]);
    return state.snapshot();
  });
  setHandler(calendarUpdatedSignal, (year) => {
    const entry = state.applyCalendar(year, now());
    if (entry) effects.queue(entry);
    changes++;
  });

  // Time first, then wait: a late paper intake may already be at risk or overdue on receipt.
  for (;;) {
    const { flagged, entries } = state.tick(now());
    let persisted = false;
    if (!receipt) {
      // The receipt carries what time already tells: a back-dated intake is flagged in its rows.
      receipt = await effects.receive(entries);
      if (receipt.refused) {
        state.refuse(receipt.refused, now());
        upsertSearchAttributes([{ key: SA_STAGE, value: state.stage }]);
        break;
      }
      effects.syncSearchAttributes();
      changes++;
      persisted = true;
      await checkRoster('receipt');
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
      await persist(entries);
    if (state.terminal) break;
    const seen = changes;
    const wake = state.nextWakeUp(now());
    const timeout = wake ? Math.max(1, wake.getTime() - Date.now()) : undefined;
    await condition(() => changes !== seen || state.terminal, timeout);
  }

  await condition(allHandlersFinished);
  await caseStarted;
  await registered;
  return {
    applicationId: input.applicationId,
    stage: state.stage,
    caseId: state.view.decision?.caseId,
    noticeId: state.view.decision?.noticeId,
    ...(receipt?.refused ? { refused: receipt.refused } : {}),
  };
}

type Receipt = { refused?: EnrolmentConflict };

const refusedStep = (stage: Stage) =>
  ApplicationFailure.create({
    type: FAILURE.wrongStage,
    message: stage === 'refused' ? 'the receipt was refused' : 'the receipt is still being recorded',
    nonRetryable: true,
    details: [{ stage }],
  });
