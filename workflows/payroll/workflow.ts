import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { WorkingCalendar } from '../../domain/calendar';
import { endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import { paymentDate, rosterDate } from '../../domain/deadlines';
import {
  calendarUpdatedSignal,
  FAILURE,
  PAYMENT_RESULTS_PER_UPDATE,
  type PaymentResultInput,
  type PayrollContext,
  type PayrollInput,
  type PayrollResult,
  type PayrollView,
  paymentResultsSignal,
  paymentResultsUpdate,
  payrollId,
  payrollStateQuery,
} from '../contracts';
import { SA_CASE_KIND, SA_COUNTY, SA_DEADLINE, SA_OVERDUE, SA_STAGE } from '../contracts/search-attributes';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: ['NoPolicy'] },
});

// The bank file of a large county takes minutes; it heartbeats as it goes.
const fileActs = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', maximumInterval: '2m' },
});

/** Cases write their month at the start of the roster date; the payroll reads a little later. */
const ROSTER_GRACE_MS = 6 * 3600_000;
/** After the payment date, keep waiting for the bank this long, looking daily. */
const RESULT_WAIT_DAYS = 45;

/**
 * One county's payroll for one month (R-M1): waits for the roster cut-off (last working day on or
 * before the 5th), writes the exactly-once ledger page by page, retries or escalates earlier failed
 * lines, writes the bank file, then waits for the bank's results; flagged overdue when results are
 * missing after the payment date (last working day on or before the 10th). One workflow per
 * county and month (its id), so a second start is the same payroll.
 */
export async function payrollWorkflow(input: PayrollInput): Promise<PayrollResult> {
  // Handlers first: the API may ask for progress before the parameters are loaded.
  let cal = WorkingCalendar.builtin();
  const view: PayrollView = {
    payrollId: payrollId(input.countyCode, input.month),
    countyCode: input.countyCode,
    month: input.month,
    stage: 'waiting_for_roster',
    rosterDate: rosterDate(cal, input.month),
    paymentDate: paymentDate(cal, input.month),
    quarterlyExtremePoverty: false,
    casesDone: 0,
    rowsWritten: 0,
    retried: 0,
    escalated: 0,
    missingCases: 0,
    lines: {},
    overdue: false,
  };
  let signals = 0;
  setHandler(payrollStateQuery, () => view);
  setHandler(paymentResultsSignal, () => {
    signals++;
  });
  // The bank's results are applied here, by the payroll's own activity: the payroll is the one
  // writer of its lines and ledger rows (R-M1).
  setHandler(
    paymentResultsUpdate,
    async ({ results }) => {
      const outcomes = await acts.applyPaymentResults({ payrollId: view.payrollId, results });
      signals++;
      return outcomes;
    },
    {
      // Refused before anything enters history: an empty batch, or a line of another payroll.
      validator: ({ results }: { results: PaymentResultInput[] }) => {
        const foreign = results.find((r) => !r.lineId.startsWith(`${view.payrollId}:`));
        const size = results.length < 1 || results.length > PAYMENT_RESULTS_PER_UPDATE;
        if (size || foreign)
          throw ApplicationFailure.create({
            type: FAILURE.invalidStep,
            message: foreign
              ? `line ${foreign.lineId} is not in ${view.payrollId}`
              : `1 to ${PAYMENT_RESULTS_PER_UPDATE} results per update`,
            nonRetryable: true,
          });
      },
    },
  );
  // R-T2: dates of a year not yet published are provisional (Monday–Friday); when the year's
  // calendar arrives they are recomputed, and the roster waits for the new date.
  let deadlines: PayrollContext['deadlines'] | undefined;
  let calendars = 0;
  const datesOn = () => {
    view.rosterDate = rosterDate(cal, input.month, deadlines);
    view.paymentDate = paymentDate(cal, input.month, deadlines);
  };
  setHandler(calendarUpdatedSignal, (y) => {
    cal = cal.withYear(y);
    datesOn();
    calendars++;
  });
  const ctx = await acts.loadPayrollContext({ countyCode: input.countyCode, month: input.month });
  cal = ctx.runtimeYears.reduce((c, y) => c.withYear(y), cal);
  deadlines = ctx.deadlines;
  datesOn();
  view.quarterlyExtremePoverty = ctx.policy.extremePoverty.paymentFrequency === 'quarterly';
  const sync = () =>
    upsertSearchAttributes([
      { key: SA_CASE_KIND, value: 'payroll' },
      { key: SA_STAGE, value: view.stage },
      { key: SA_COUNTY, value: input.countyCode },
      { key: SA_DEADLINE, value: endOfCivilDay(view.paymentDate.date) },
      { key: SA_OVERDUE, value: view.overdue },
    ]);
  sync();

  // R-M1: a result that comes after the payroll completed starts a run of its own (update with
  // start) that only applies it; the roster and the file were done by the first run.
  if (input.resultsOnly) {
    view.file = await acts.loadPayrollFile({ payrollId: view.payrollId });
    view.stage = 'sent';
    sync();
    return awaitResults(input, view, () => signals, sync);
  }

  // One timer until the cut-off, as before; a calendar that moves the roster date wakes the wait.
  for (let seen = calendars; ; seen = calendars) {
    const cutoff = startOfCivilDay(view.rosterDate.date).getTime() + ROSTER_GRACE_MS;
    if (Date.now() >= cutoff) break;
    if (!(await condition(() => calendars !== seen, cutoff - Date.now()))) break;
    sync();
  }

  view.stage = 'rostering';
  sync();
  await acts.openPayroll({
    payrollId: view.payrollId,
    countyCode: input.countyCode,
    month: input.month,
    rosterDate: view.rosterDate.date,
    paymentDate: view.paymentDate.date,
  });
  const again = await acts.retryFailedLines({
    payrollId: view.payrollId,
    countyCode: input.countyCode,
    maxAttempts: ctx.policy.payment.maxAttempts,
    dueOn: view.paymentDate.date,
  });
  view.retried = again.retried;
  view.escalated = again.escalated;

  let after: string | undefined;
  for (;;) {
    const page = await acts.rosterPage({
      payrollId: view.payrollId,
      countyCode: input.countyCode,
      month: input.month,
      quarterlyExtremePoverty: view.quarterlyExtremePoverty,
      recoveryOffsetFloor: ctx.policy.payment.recoveryOffsetFloor,
      afterCaseId: after,
      limit: input.pageSize ?? 2000,
    });
    view.casesDone += page.cases;
    view.rowsWritten += page.rows;
    after = page.lastCaseId;
    log.info('payroll roster page', {
      payrollId: view.payrollId,
      casesDone: view.casesDone,
      rows: view.rowsWritten,
    });
    if (page.done) break;
  }
  // Months handed over after their own payroll read the roster are paid now.
  view.rowsWritten += await acts.rosterLateMonths({
    payrollId: view.payrollId,
    countyCode: input.countyCode,
    month: input.month,
  });
  view.rowsWritten += await acts.rosterStragglers({
    payrollId: view.payrollId,
    countyCode: input.countyCode,
    month: input.month,
    recoveryOffsetFloor: ctx.policy.payment.recoveryOffsetFloor,
  });
  view.rowsWritten += await acts.rosterTemporaryGrants({
    payrollId: view.payrollId,
    countyCode: input.countyCode,
    month: input.month,
  });
  const completeness = await acts.checkRosterComplete({
    payrollId: view.payrollId,
    countyCode: input.countyCode,
    month: input.month,
  });
  view.missingCases = completeness.missing;
  if (completeness.missing)
    log.warn('cases missing from the roster', { payrollId: view.payrollId, ...completeness });
  view.file = await fileActs.writeBankFile({
    payrollId: view.payrollId,
    countyCode: input.countyCode,
    month: input.month,
  });
  view.stage = 'sent';
  sync();

  return awaitResults(input, view, () => signals, sync);
}

/**
 * Waits for the bank's results (R-M1), looking again on each Update or signal and daily after the
 * payment date; flags the payroll overdue (R-O3) while lines are unanswered after that date.
 */
async function awaitResults(
  input: PayrollInput,
  view: PayrollView,
  signals: () => number,
  sync: () => void,
): Promise<PayrollResult> {
  // Results come through the payroll's Update (a signal says "look again"), a daily timer too.
  const paymentDeadline = endOfCivilDay(view.paymentDate.date).getTime();
  const giveUp = input.resultsUntil ?? Math.max(paymentDeadline, Date.now()) + RESULT_WAIT_DAYS * 86_400_000;
  let wakeUps = 0;
  for (;;) {
    // Taken before reading: a signal that lands during the read wakes the next wait at once.
    const seen = signals();
    view.lines = await acts.payrollProgress({ payrollId: view.payrollId });
    if (!view.lines.sent) break;
    if (!view.overdue && Date.now() >= paymentDeadline) {
      view.overdue = true;
      view.stage = 'overdue';
      // R-O3: supervisors are told (the status change raises the alert).
      await acts.setPayrollStatus({ payrollId: view.payrollId, status: 'overdue' });
      sync();
    }
    if (Date.now() >= giveUp) break;
    const next = Date.now() < paymentDeadline ? paymentDeadline - Date.now() : 86_400_000;
    await condition(() => signals() !== seen, next);
    wakeUps++;
    // Every Update carries its results into history: a long wait continues as new (Temporal's
    // history limit) as a results-only run of the same payroll, once no Update is in flight.
    const due =
      workflowInfo().continueAsNewSuggested ||
      (input.continueAsNewAfter !== undefined && wakeUps >= input.continueAsNewAfter);
    if (due) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof payrollWorkflow>({
        countyCode: input.countyCode,
        month: input.month,
        resultsOnly: true,
        resultsUntil: giveUp,
      });
    }
  }
  if (!view.lines.sent) {
    view.stage = 'completed';
    await acts.setPayrollStatus({ payrollId: view.payrollId, status: 'completed' });
    sync();
  }
  // An Update still applying results finishes before the run completes (Temporal: a run that
  // completes with a handler in flight fails that Update).
  await condition(allHandlersFinished);
  log.info('payroll finished', { payrollId: view.payrollId, lines: view.lines, runId: workflowInfo().runId });
  return { payrollId: view.payrollId, stage: view.stage, lines: view.lines };
}
