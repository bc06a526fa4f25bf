import { dayInMonth } from '../../domain/dates';
import { reviewResultUpdate } from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario, staff } from './session';

// R-M1 R-M4: a two-person case over 14 months. The yearly re-review opens on the 1st of
// month 12; month 12's roster is the run's 12th month, so the workflow continues as new carrying
// the open review; the 'continue' result then lands on the second run, which rosters months 13–14.
export const caseMonthsAndReview: NamedScenario = {
  prefix: 'case',
  name: 'months-and-review',
  run: async (s) => {
    const { handle, m } = await s.startCase();
    await s.sleepUntil(dayInMonth(m(12), 2));
    let v = await caseView(handle);
    const review = v.tasks.find((t) => t.kind === 're_review' && !t.result);
    checkCase('a re-review open before month 12 is rostered', !!review && v.rostered.length === 11, v);
    await s.sleepUntil(dayInMonth(m(12), 10));
    const { runId } = await handle.describe();
    v = await caseView(handle);
    checkCase('continued as new after 12 months', runId !== handle.firstExecutionRunId, v);
    v = await handle.executeUpdate(reviewResultUpdate, {
      args: [
        { actor: staff, taskId: review!.taskId, outcome: 'continue', reasons: 'circumstances unchanged' },
      ],
    });
    checkCase(
      'the review continued the case',
      v.status === 'active' &&
        v.tasks.find((t) => t.taskId === review!.taskId)?.result?.outcome === 'continue',
      v,
    );
    await s.sleepUntil(dayInMonth(m(14), 10));
    v = await caseView(handle);
    const months = v.rostered.map((r) => r.month);
    checkCase(
      '14 months rostered at the same amount',
      months.length === 14 && months.at(-1) === m(14) && v.rostered.every((r) => r.amount === '1000.00'),
      v,
    );
    return { handle, closed: false, continued: true };
  },
};
