import type pg from 'pg';
import type { YearCalendar } from '../../domain/calendar';

// calendar_years: the working-day calendar published at run time (R-T2). Written only by the
// administrators' route (PUT /v1/admin/calendar/{year}) through saveYear; read by the API and by
// the activities that load a workflow's context. It also names the open work whose deadlines were
// computed on the Monday–Friday fallback, which the route tells about a new year.

export function calendarRepository(pool: pg.Pool) {
  return {
    /** The years published at run time, oldest first (the built-in years are in domain/calendar). */
    async runtimeYears(): Promise<YearCalendar[]> {
      const { rows } = await pool.query(
        `SELECT year, holidays::text[] AS holidays, make_up_workdays::text[] AS make_up_workdays
         FROM calendar_years ORDER BY year`,
      );
      return rows.map((r) => ({
        year: r.year,
        holidays: r.holidays,
        makeUpWorkdays: r.make_up_workdays,
        source: 'runtime',
      }));
    },

    /** A year's holidays and make-up working days; a second publication of the year replaces it. */
    async saveYear(year: YearCalendar, updatedBy: string): Promise<void> {
      await pool.query(
        `INSERT INTO calendar_years (year, holidays, make_up_workdays, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, make_up_workdays = EXCLUDED.make_up_workdays,
           updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [year.year, year.holidays, year.makeUpWorkdays, updatedBy],
      );
    },

    /**
     * R-T2: open applications and cases whose deadlines the calendar of `year` may move: provisional
     * ones, and those counted across that year (a known year may be published again corrected).
     */
    async touching(year: number): Promise<{ applicationIds: string[]; caseIds: string[] }> {
      const [first, last] = [`${year}-01-01`, `${year}-12-31`];
      const applications = await pool.query(
        `SELECT application_id FROM applications
         WHERE stage NOT IN ('approved', 'rejected', 'withdrawn', 'refused')
           AND (deadline_provisional OR (overall_deadline >= $1 AND accepted_on <= $2))`,
        [first, last],
      );
      const cases = await pool.query(
        `SELECT DISTINCT case_id FROM case_tasks
         WHERE closed_on IS NULL AND (due_provisional OR (due_on >= $1 AND opened_on <= $2))`,
        [first, last],
      );
      return {
        applicationIds: applications.rows.map((r) => r.application_id as string),
        caseIds: cases.rows.map((r) => r.case_id as string),
      };
    },
  };
}

export type CalendarRepository = ReturnType<typeof calendarRepository>;
