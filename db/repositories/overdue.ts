import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { CivilDate, YearMonth } from '../../domain/dates';
import { type OverdueKey, type OverdueQuery, overduePageSql, overdueSummarySql, Params } from './overdue-sql';
import type { SupervisedKind, SupervisedWork } from './supervision';

export * from './overdue-sql';

// R-O3: the region's overdue and at-risk work, most urgent first (overdue, then by due date), a
// page at a time, and its counts by township and kind; R-A6: the share of decisions made within
// the legal deadline by month. Read from the read models the workflows keep. Pages are served by
// the partial indexes of migrations 040 and 100 (open, flagged work keyed by scope, overdue, due
// date, id) and the counts by the counters of migration 100, so neither grows with the province.

export interface OverdueCount {
  countyCode: string;
  /** Null for a county's payroll. */
  townshipCode: string | null;
  kind: SupervisedKind;
  overdue: number;
  atRisk: number;
}

export interface SlaMonth {
  month: YearMonth;
  decided: number;
  onTime: number;
}

/**
 * A named statement per distinct text: the branches of a page query vary only with the filters and
 * the cursor's place, so there are few texts, and each connection plans one once (a page's many
 * branches take longer to plan than to run).
 */
export const named = (q: { text: string; values: unknown[] }) => ({
  name: `overdue_${createHash('sha1').update(q.text).digest('hex').slice(0, 20)}`,
  ...q,
});

export function overdueRepository(pool: pg.Pool) {
  return {
    /** A page of the region's overdue and at-risk work after `key`, most urgent first. */
    async page(q: OverdueQuery, limit: number, key?: OverdueKey): Promise<SupervisedWork[]> {
      const { rows } = await pool.query(named(overduePageSql(q, limit, key)));
      return rows.map((r) => ({
        kind: r.kind,
        subjectId: r.subject_id,
        taskId: r.task_id,
        stage: r.stage,
        countyCode: r.county_code,
        townshipCode: r.township_code,
        villageCode: r.village_code,
        dueOn: r.due_on,
        provisional: r.provisional,
        atRisk: r.at_risk,
        overdue: r.overdue,
      }));
    },

    /** Overdue and at-risk counts by township and kind (a county's payroll: township null). */
    async summary(q: OverdueQuery): Promise<OverdueCount[]> {
      const sql = overdueSummarySql(q);
      if (!sql.text) return [];
      const { rows } = await pool.query(named(sql));
      return rows.map((r) => ({
        countyCode: r.county_code,
        townshipCode: r.township_code,
        kind: r.kind,
        overdue: Number(r.overdue),
        atRisk: Number(r.at_risk),
      }));
    },

    /**
     * R-A6: applications decided (approved or rejected) per month of decision from `from` (a first
     * of month) up to `to` (exclusive), and how many of them on or before their overall deadline.
     */
    async slaByMonth(region: string, from: CivilDate, to: CivilDate): Promise<SlaMonth[]> {
      const p = new Params();
      const scope =
        region.length >= 6
          ? `county_code = ${p.add(region.slice(0, 6))} AND village_code LIKE ${p.add(region)} || '%'`
          : `county_code LIKE ${p.add(region)} || '%'`;
      const { rows } = await pool.query(
        `SELECT to_char(decided_on, 'YYYY-MM') AS month, count(*)::int AS decided,
           count(*) FILTER (WHERE decided_on <= overall_deadline)::int AS on_time
         FROM applications
         WHERE decided_on IS NOT NULL AND decided_on >= ${p.add(from, 'date')} AND decided_on < ${p.add(to, 'date')}
           AND ${scope}
         GROUP BY 1 ORDER BY 1`,
        p.values,
      );
      return rows.map((r) => ({ month: r.month, decided: r.decided, onTime: r.on_time }));
    },
  };
}
