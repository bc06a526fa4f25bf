import type { UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { endOfCivilDay } from '../../domain/dates';
import {
  answerUpdate,
  assignmentUpdate,
  type ComplaintInput,
  type ComplaintResult,
  type ComplaintView,
  calendarUpdatedSignal,
  caseWorkflowId,
  complaintCheckSignal,
  complaintReceiptUpdate,
  complaintStateQuery,
  extensionUpdate,
  findingUpdate,
} from '../contracts';
import { SA_AT_RISK, SA_DEADLINE, SA_OVERDUE, SA_STAGE } from '../contracts/search-attributes';
import { ComplaintState } from './state';

// The read-model writes are short Postgres transactions: local activities keep the whole view out
// of the history (only the marker is recorded) and run inside the step's workflow task.
const acts = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/**
 * One complaint or tip-off (R-O4), from receipt to closure: logged, assigned, investigated, answered
 * to a named complainant within the deadline (extension once, with reason) and closed with a
 * finding. Staff steps are Updates with validators; time only raises at-risk and overdue (R-O3).
 * The workflow is the one writer of its ledger row and its audit events.
 */
export async function complaintWorkflow(input: ComplaintInput): Promise<ComplaintResult> {
  const state = new ComplaintState(input, new Date());
  const now = () => new Date();
  let changes = 0;
  let saved = false;

  const save = async () => {
    const entries = state.unsaved;
    state.unsaved = [];
    await acts.saveComplaint({ view: state.snapshot(), entries, version: state.view.history.length });
    saved = true;
    const v = state.view;
    upsertSearchAttributes([
      { key: SA_STAGE, value: v.stage },
      { key: SA_DEADLINE, value: endOfCivilDay(v.deadline.date) },
      { key: SA_AT_RISK, value: v.atRisk },
      { key: SA_OVERDUE, value: v.overdue },
    ]);
  };

  const step = <A>(
    update: UpdateDefinition<ComplaintView, [A]>,
    check: (a: A, at: Date) => void,
    run: (a: A) => Promise<void>,
  ) =>
    setHandler(
      update,
      async (a) => {
        await condition(() => saved); // the ledger row exists before any step changes it
        await run(a);
        changes++;
        await save();
        return state.snapshot();
      },
      { validator: (a) => check(a, now()) },
    );

  setHandler(complaintStateQuery, () => state.snapshot());
  setHandler(complaintReceiptUpdate, async () => {
    await condition(() => saved);
    return state.snapshot();
  });
  step(
    assignmentUpdate,
    (a) => state.checkAssignment(a),
    async (a) => state.applyAssignment(a, now()),
  );
  step(
    extensionUpdate,
    (e, at) => state.checkExtension(e, at),
    async (e) => state.applyExtension(e, now()),
  );
  step(
    answerUpdate,
    (a, at) => state.checkAnswer(a, at),
    async (a) => state.applyAnswer(a, now()),
  );
  step(
    findingUpdate,
    (f) => state.checkFinding(f),
    async (f) => {
      state.applyFinding(f, now());
      if (f.dataCheckCaseId) {
        // R-O4 → R-M6: the case opens a check like a comparison hit; only a staff result changes it (R-A11).
        const taskId = `complaint-${input.complaintId}`;
        let opened = true;
        try {
          await getExternalWorkflowHandle(caseWorkflowId(f.dataCheckCaseId)).signal(complaintCheckSignal, {
            checkId: taskId,
            complaintId: input.complaintId,
            summary: f.summary,
            requestedBy: f.actor,
          });
        } catch {
          opened = false; // the case's workflow has ended: nothing to check there any more
        }
        state.dataCheckSent(f.dataCheckCaseId, taskId, opened, f.actor, now());
      }
    },
  );
  // R-T2: a year published, or corrected, moves the open deadline.
  setHandler(calendarUpdatedSignal, (year) => {
    if (state.applyCalendar(year, now())) changes++;
  });

  // Time first, then the row: a complaint logged after its deadline is overdue in its first row.
  for (;;) {
    const flags = state.tick(now());
    if (state.unsaved.length || !saved) await save();
    for (const flag of flags) {
      const d = state.view.deadline;
      // R-O3: supervisors see the complaint with every other overdue and at-risk task.
      await acts.notifySupervisor({
        alertKey: `complaint:${input.complaintId}:${d.kind}:${d.date}:${flag}`,
        subjectKind: 'complaint',
        subjectId: input.complaintId,
        villageCode: input.villageCode,
        flag,
        deadlineKind: `complaint_${d.kind}`,
        dueOn: d.date,
      });
    }
    if (state.closed) break;
    const seen = changes;
    const wake = state.nextWakeUp();
    const timeout = wake ? Math.max(1, wake.getTime() - Date.now()) : undefined;
    await condition(() => changes !== seen || state.closed, timeout);
  }
  await condition(allHandlersFinished);
  return { complaintId: input.complaintId, stage: state.view.stage };
}
