import { applicationStateQuery, calendarUpdatedSignal } from '../../workflows/contracts';
import { check, type NamedScenario, overall, until } from './session';

// R-T2: a provisional deadline (2027 unknown to the built-in calendar) recomputed by the signal.
export const applicationCalendarUpdated: NamedScenario = {
  prefix: 'application',
  name: 'calendar-updated',
  run: async (s) => {
    const { handle } = await s.start({ acceptedOn: '2026-11-23' });
    const before = await handle.query(applicationStateQuery);
    check('a provisional deadline', !!overall(before)?.provisional, before);
    await handle.signal(calendarUpdatedSignal, {
      year: 2027,
      holidays: ['2027-01-01'],
      makeUpWorkdays: [],
      source: 'runtime',
    });
    // The signal handler only queues the entry; wait for the main loop to save it.
    const view = await until(handle, (v) => v.history.at(-1)?.action === 'deadlines_recomputed');
    check('deadline confirmed', overall(view)?.provisional === false, view);
    return { handle, closed: false };
  },
};
