import { dayInMonth } from '../../domain/dates';
import { deathNoticeSignal } from '../../workflows/contracts';
import { caseView, checkCase, type NamedScenario } from './session';

// R-M2: a member of a three-person household dies; a second source reports another date: one
// death, one death review, and a staff check of the date. Left open.
export const caseDeathDateConflict: NamedScenario = {
  prefix: 'case',
  name: 'death-date-conflict',
  run: async (s) => {
    const { input, handle, m } = await s.startCase({ size: 3 });
    await s.sleepUntil(dayInMonth(m(1), 10));
    const notice = {
      noticeId: 'cremation-1',
      idNumber: input.members[2]!.idNumber,
      diedOn: dayInMonth(m(1), 3),
      source: 'integration' as const,
      receivedOn: await s.today(),
    };
    await handle.signal(deathNoticeSignal, notice);
    await handle.signal(deathNoticeSignal, { ...notice, noticeId: 'police-2', diedOn: dayInMonth(m(1), 4) });
    await s.sleepUntil(dayInMonth(m(1), 11));
    const v = await caseView(handle);
    checkCase(
      'one death review and one date check',
      v.tasks.filter((t) => t.kind === 'death_review').length === 1 &&
        v.tasks.some((t) => t.taskId === 'death-date-police-2'),
      v,
    );
    return { handle, closed: false };
  },
};
