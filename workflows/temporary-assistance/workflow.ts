import type { UpdateDefinition } from '@temporalio/common';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { civilDateOf, endOfCivilDay } from '../../domain/dates';
import {
  calendarUpdatedSignal,
  FAILURE,
  type TemporaryAssistanceInput,
  type TemporaryAssistanceResult,
  type TemporaryAssistanceView,
  temporaryAssistanceReceiptUpdate,
  temporaryAssistanceStateQuery,
  temporaryDecisionUpdate,
  temporaryDocumentationUpdate,
  temporaryPaymentResultUpdate,
} from '../contracts';
import { SA_AT_RISK, SA_DEADLINE, SA_OVERDUE, SA_STAGE } from '../contracts/search-attributes';
import { levelOf } from './checks';
import { TemporaryAssistanceState } from './state';

// Short Postgres transactions (the read model, the household's grants of the year, the ledger row
// with its bank line, the notice): local activities keep their inputs out of the history and run
// inside the step's workflow task; each is idempotent, so a task retried after a lost worker
// writes nothing twice.
const acts = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/**
 * One request for temporary assistance (R-A10), from receipt where the hardship happened to the
 * bank's result: decided by the township within its reserve-fund limits (per grant, per household
 * and year) or by the county above them, paid at once exactly once through the ledger and its own
 * bank line, a written decision notice, and — for a grant the township paid first — documented
 * afterwards within its deadline (at risk and overdue like every supervised task, R-O3).
 */
export async function temporaryAssistanceWorkflow(
  input: TemporaryAssistanceInput,
): Promise<TemporaryAssistanceResult> {
  const state = new TemporaryAssistanceState(input, new Date());
  const now = () => new Date();
  let changes = 0;
  let saved = false;

  const save = async () => {
    const entries = state.unsaved;
    state.unsaved = [];
    await acts.saveTemporaryAssistance({
      view: state.snapshot(),
      entries,
      version: state.view.history.length,
    });
    saved = true;
    const doc = state.view.documentation;
    upsertSearchAttributes([
      { key: SA_STAGE, value: state.view.stage },
      ...(doc
        ? [
            { key: SA_DEADLINE, value: endOfCivilDay(doc.due.date) },
            { key: SA_AT_RISK, value: doc.atRisk },
            { key: SA_OVERDUE, value: doc.overdue },
          ]
        : []),
    ]);
  };

  const step = <A>(
    update: UpdateDefinition<TemporaryAssistanceView, [A]>,
    check: (a: A, at: Date) => void,
    run: (a: A) => Promise<void>,
  ) =>
    setHandler(
      update,
      async (a) => {
        await condition(() => saved); // the read-model row exists before any step changes it
        await run(a);
        changes++;
        await save();
        return state.snapshot();
      },
      { validator: (a) => check(a, now()) },
    );

  setHandler(temporaryAssistanceStateQuery, () => state.snapshot());
  setHandler(temporaryAssistanceReceiptUpdate, async () => {
    await condition(() => saved);
    return state.snapshot();
  });
  step(
    temporaryDecisionUpdate,
    (d) => state.checkDecision(d),
    async (d) => {
      const at = now(); // the decision's day, whatever the activity takes
      let before: string | undefined;
      if (d.approve) {
        // R-A10: the household's grants of the year, read and this one recorded under one lock, so
        // two grants at once cannot both pass the township's yearly limit.
        const r = await acts.reserveTemporaryGrant({
          assistanceId: input.assistanceId,
          idNumbers: input.members.map((m) => m.idNumber),
          amount: d.amount!,
          level: levelOf(d.actor),
          decidedOn: civilDateOf(at),
          limits: input.limits,
        });
        if (r.refused)
          throw ApplicationFailure.create({
            type: FAILURE.wrongRole,
            message: `the household was granted ${r.grantedThisYear} this year; ${d.amount} more passes the township's yearly limit (${input.limits.perHouseholdYear}): the county decides`,
            nonRetryable: true,
            details: [{ stage: state.view.stage, grantedThisYear: r.grantedThisYear }],
          });
        before = r.grantedThisYear;
      }
      state.applyDecision(d, at, before);
    },
  );
  step(
    temporaryDocumentationUpdate,
    (i, at) => state.checkDocumentation(i, at),
    async (i) => state.applyDocumentation(i, now()),
  );
  step(
    temporaryPaymentResultUpdate,
    (r) => state.checkPaymentResult(r),
    async (r) => {
      const outcome = await acts.applyTemporaryPaymentResult({
        assistanceId: input.assistanceId,
        lineId: state.view.payment!.lineId,
        resultId: r.resultId,
        outcome: r.outcome,
        reason: r.reason,
        reportedAt: r.reportedAt,
      });
      state.applyPaymentResult(r, outcome, now());
    },
  );
  // R-T2: a year published, or corrected, moves an open documentation deadline.
  setHandler(calendarUpdatedSignal, (year) => {
    if (state.applyCalendar(year, now())) changes++;
  });

  // Time first, then the row: a grant documented late is overdue in its row.
  for (;;) {
    const flags = state.tick(now());
    if (state.unsaved.length || !saved) await save();
    for (const flag of flags) {
      const d = state.view.documentation!;
      // R-O3: supervisors see the documentation with every other overdue and at-risk task.
      await acts.notifySupervisor({
        alertKey: `temporary-assistance:${input.assistanceId}:documentation:${d.due.date}:${flag}`,
        subjectKind: 'temporary_assistance',
        subjectId: input.assistanceId,
        villageCode: input.villageCode,
        flag,
        deadlineKind: 'temporary_documentation',
        dueOn: d.due.date,
      });
    }
    if (state.needsPayment) {
      // R-A10: paid at once, exactly once: the ledger row and its bank line are keyed by the request.
      const d = state.view.decision!;
      const line = await acts.payTemporaryGrant({
        assistanceId: input.assistanceId,
        amount: d.amount!,
        month: state.paymentMonth(),
      });
      state.paymentSent({ ...line, amount: d.amount!, month: state.paymentMonth() }, now());
      continue;
    }
    if (state.needsNotice) {
      const d = state.view.decision!;
      const { noticeId } = await acts.issueNotice({
        kind: d.approve ? 'temporary_assistance_grant' : 'temporary_assistance_refusal',
        subjectKind: 'temporary_assistance',
        subjectId: input.assistanceId,
        villageCode: input.villageCode,
        addressee: input.members[0]!.name,
        reasons: d.reasons,
        decidedOn: d.on,
        decidedBy: d.by,
        parameterVersion: input.limits.version,
        details: d.approve ? { amount: d.amount, level: d.level } : { level: d.level },
      });
      state.noticeIssued(noticeId, now());
      continue;
    }
    if (state.needsReferralAnswer) {
      // R-L3: the department's answer, recorded with the register's referral.
      const d = state.view.decision!;
      const source = state.view.source as Extract<TemporaryAssistanceInput['source'], { kind: 'referral' }>;
      const { answered } = await acts.answerTemporaryReferral({
        villageCode: input.villageCode,
        householdKey: source.householdId,
        referralId: source.referralId,
        assistanceId: input.assistanceId,
        outcome: d.approve ? 'provided' : 'declined',
        answer: d.approve
          ? `temporary assistance ${input.assistanceId}: granted ${d.amount}`
          : `temporary assistance ${input.assistanceId}: refused`,
        answeredOn: d.on,
        actor: state.decider(),
      });
      state.referralAnswered(answered, now());
      continue;
    }
    const seen = changes;
    if (state.done) {
      // R-M1: a paid grant may still be returned by the bank; its result is taken until the window ends.
      const end = state.returnWindowEnd();
      if (!end || Date.now() >= end.getTime()) break;
      await condition(() => changes !== seen, end.getTime() - Date.now());
      continue;
    }
    const wake = state.nextWakeUp();
    const timeout = wake ? Math.max(1, wake.getTime() - Date.now()) : undefined;
    await condition(
      () => changes !== seen || state.needsPayment || state.needsNotice || state.needsReferralAnswer,
      timeout,
    );
  }
  await condition(allHandlersFinished);
  return { assistanceId: input.assistanceId, stage: state.view.stage };
}
