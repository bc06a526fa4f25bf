import type { FastifyInstance } from 'fastify';
import { WorkingCalendar } from '../domain/calendar';
import type { YearMonth } from '../domain/dates';
import type { DeadlineParameters } from '../domain/deadlines';

// What the R-M7 due dates (a village's report by the 20th, the township's forward by the 25th) are
// computed from: the working calendar with the years published at run time (R-T2), and the county's
// own deadline parameters for the month. The one place the visit-report and supervision routes
// read them.

export async function workingCalendar(app: FastifyInstance): Promise<WorkingCalendar> {
  return (await app.repos.calendar.runtimeYears()).reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
}

export function countyDeadlinesFor(
  app: FastifyInstance,
  countyCode: string,
  month: YearMonth,
): Promise<DeadlineParameters> {
  return app.repos.policies.deadlines(countyCode, `${month}-01`);
}
