import type { WorkflowHandle } from '@temporalio/client';
import {
  addDays,
  addMonthsToYearMonth,
  type CivilDate,
  civilDateOf,
  dayInMonth,
  endOfCivilDay,
  monthOf,
  type YearMonth,
} from '../../domain/dates';
import { type CaseInput, type CaseView, caseStateQuery, caseWorkflowId } from '../../workflows/contracts';
import { caseInput } from './fixtures';
import type { WorkflowHarness } from './workflow-env';

/** What the case workflow tests share on their time-skipping harness (one per test). */
export function caseKit(harness: () => WorkflowHarness) {
  const nowMs = async () => harness().env.currentTimeMs();
  const today = async () => civilDateOf(new Date(await nowMs()));
  /** Moves workflow time to noon (Asia/Shanghai) of a civil date. */
  async function sleepUntil(date: CivilDate) {
    const target = endOfCivilDay(addDays(date, -1)).getTime() + 12 * 3600_000;
    const ms = target - (await nowMs());
    if (ms > 0) await harness().env.sleep(ms);
  }

  /** Starts a case approved on the 1st of this month; `before` sees its input first (e.g. to fake a read). */
  async function startCase(
    overrides: Partial<CaseInput> & { size?: number } = {},
    before?: (input: CaseInput) => void | Promise<void>,
  ) {
    const h = harness();
    const t = await today();
    // Approved on the 1st of this month: the re-reviews then open before that month's roster.
    const input = caseInput({
      approvedOn: dayInMonth(monthOf(t), 1),
      startMonth: addMonthsToYearMonth(monthOf(t), 1),
      ...overrides,
    });
    await before?.(input);
    const handle = await h.env.client.workflow.start('caseWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: caseWorkflowId(input.caseId),
      args: [input],
    });
    return { input, handle, m: (i: number): YearMonth => addMonthsToYearMonth(monthOf(input.approvedOn), i) };
  }

  const view = (handle: WorkflowHandle): Promise<CaseView> => handle.query(caseStateQuery);
  const monthsOf = (caseId: string) => harness().calls.months.filter((x) => x.caseId === caseId);
  return { nowMs, today, sleepUntil, startCase, view, monthsOf };
}
