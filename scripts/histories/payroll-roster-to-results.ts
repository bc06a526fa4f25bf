import { addDays, addMonthsToYearMonth, monthOf } from '../../domain/dates';
import { COUNTY } from '../../test/helpers/fixtures';
import {
  type PaymentResultInput,
  paymentResultsUpdate,
  payrollId,
  payrollStateQuery,
  payrollWorkflowId,
} from '../../workflows/contracts';
import type { payrollWorkflow } from '../../workflows/payroll/workflow';
import { type NamedScenario, poll } from './session';

// R-M1 R-O3: next month's payroll of a county with three cases waits for its roster date (a timer),
// writes the roster two cases a page, the bank file (three lines), then waits for the bank: two
// lines paid (Update `applyPaymentResults`), the payment date passes (overdue, the status raises
// the supervisors' alert), the last line paid: completed.
export const payrollRosterToResults: NamedScenario = {
  prefix: 'payroll',
  name: 'roster-to-results',
  run: async (s) => {
    const month = addMonthsToYearMonth(monthOf(await s.today()), 1);
    const id = payrollId(COUNTY, month);
    const cases = ['C1', 'C2', 'C3'].map((c, i) => ({
      caseId: `${COUNTY}-${c}`,
      amount: `${1000 + 100 * i}.00`,
    }));
    s.fakes.payroll.cases.set(COUNTY, cases);
    const handle = await s.env.client.workflow.start<typeof payrollWorkflow>('payrollWorkflow', {
      taskQueue: s.taskQueue,
      workflowId: payrollWorkflowId(COUNTY, month),
      args: [{ countyCode: COUNTY, month, pageSize: 2 }],
    });
    const waiting = await handle.query(payrollStateQuery);
    if (waiting.stage !== 'waiting_for_roster') throw new Error(`expected a wait, got ${waiting.stage}`);
    await s.sleepUntil(waiting.rosterDate.date);
    const sent = await poll(
      () => handle.query(payrollStateQuery),
      (v) => v.stage === 'sent',
      'file sent',
    );
    if (sent.casesDone !== 3 || sent.file?.lines !== 3 || sent.file.amount !== '3300.00')
      throw new Error(`unexpected roster ${JSON.stringify(sent.file)}`);
    const paid = (caseIds: string[]): PaymentResultInput[] =>
      caseIds.map((caseId) => ({
        resultId: `bank-${caseId}`,
        lineId: `${id}:${caseId}`,
        outcome: 'paid',
        reportedAt: new Date().toISOString(),
      }));
    const first = await handle.executeUpdate(paymentResultsUpdate, {
      args: [{ results: paid([cases[0]!.caseId, cases[1]!.caseId]) }],
    });
    if (first.join() !== 'applied,applied') throw new Error(`unexpected outcomes ${first}`);
    await s.sleepUntil(addDays(sent.paymentDate.date, 1));
    await poll(
      () => handle.query(payrollStateQuery),
      (v) => v.overdue,
      'overdue',
    );
    await handle.executeUpdate(paymentResultsUpdate, { args: [{ results: paid([cases[2]!.caseId]) }] });
    const result = await handle.result();
    if (result.stage !== 'completed' || result.lines.paid !== 3)
      throw new Error(`unexpected result ${JSON.stringify(result)}`);
    return { handle, closed: true };
  },
};
