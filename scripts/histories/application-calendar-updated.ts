import { firstWeekdaysOf, unpublishedYear, weekdayOnOrAfter } from '../../test/helpers/calendar';
import { applicationStateQuery, calendarUpdatedSignal } from '../../workflows/contracts';
import { check, type NamedScenario, overall, until } from './session';

// R-T2: received late in December before a year the shipped calendar does not know, so the overall
// deadline is provisional (Monday–Friday); the `calendarUpdated` signal publishes the year and the
// deadline is computed again. Left open, waiting for the investigation.
export const applicationCalendarUpdated: NamedScenario = {
  prefix: 'application',
  name: 'calendar-updated',
  run: async (s) => {
    const next = unpublishedYear();
    const acceptedOn = weekdayOnOrAfter(`${next - 1}-12-21`);
    if ((await s.today()) < acceptedOn) await s.sleepUntil(acceptedOn);
    const { handle } = await s.start({ acceptedOn });
    const before = await handle.query(applicationStateQuery);
    check('a provisional deadline', !!overall(before)?.provisional, before);
    await handle.signal(calendarUpdatedSignal, {
      year: next,
      holidays: firstWeekdaysOf(next, 1),
      makeUpWorkdays: [],
      source: 'runtime',
    });
    // The signal handler only queues the entry; wait for the main loop to save it.
    const view = await until(handle, (v) => v.history.at(-1)?.action === 'deadlines_recomputed');
    check('deadline confirmed', overall(view)?.provisional === false, view);
    return { handle, closed: false };
  },
};
