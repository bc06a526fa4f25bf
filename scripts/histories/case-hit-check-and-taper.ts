import { dayInMonth } from '../../domain/dates';
import { changeReportUpdate, comparisonHitSignal, reviewResultUpdate } from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario, staff } from './session';

// R-M6 R-A11 R-M3: a comparison hit opens a check that changes nothing; staff find nothing
// ('continue'). A job then lifts income above the standard (taper from the next month), and income
// falls back two months later: the taper ends and the case goes on. Left open.
export const caseHitCheckAndTaper: NamedScenario = {
  prefix: 'case',
  name: 'hit-check-and-taper',
  run: async (s) => {
    const { input, handle, m } = await s.startCase();
    await s.sleepUntil(dayInMonth(m(1), 10));
    await handle.signal(comparisonHitSignal, {
      hitId: 'hit-1',
      kind: 'employee_medical_insurance',
      idNumber: input.members[1]!.idNumber,
      detectedOn: await s.today(),
      source: 'medical insurance bureau',
      details: 'insured through an employer',
    });
    await s.sleepUntil(dayInMonth(m(1), 13));
    let v = await caseView(handle);
    checkCase(
      'a data check open',
      v.tasks.some((t) => t.taskId === 'check-hit-1' && !t.result),
      v,
    );
    v = await handle.executeUpdate(reviewResultUpdate, {
      args: [
        { actor: staff, taskId: 'check-hit-1', outcome: 'continue', reasons: 'a two-week trial, ended' },
      ],
    });
    checkCase('the check changed nothing', v.status === 'active' && v.adjustments.length === 0, v);
    await s.sleepUntil(dayInMonth(m(2), 10));
    const report = { actor: staff, kind: 'employment' as const, summary: 'applicant found work' };
    v = await handle.executeUpdate(changeReportUpdate, {
      args: [{ ...report, changeId: 'job-1', reportedOn: await s.today(), perCapitaIncome: '900.00' }],
    });
    checkCase('a taper from month 3', v.status === 'tapering' && v.taper?.firstMonth === m(3), v);
    await s.sleepUntil(dayInMonth(m(4), 10));
    v = await handle.executeUpdate(changeReportUpdate, {
      args: [
        {
          ...report,
          changeId: 'job-1-ended',
          kind: 'income',
          reportedOn: await s.today(),
          perCapitaIncome: '300.00',
          summary: 'the job ended',
        },
      ],
    });
    checkCase('the taper ended', v.status === 'active' && v.taper === undefined, v);
    await s.sleepUntil(dayInMonth(m(6), 10));
    v = await caseView(handle);
    checkCase(
      'months 3–4 tapered, the rest regular',
      v.rostered.map((r) => r.status).join() === 'regular,regular,taper,taper,regular,regular',
      v,
    );
    return { handle, closed: false };
  },
};
