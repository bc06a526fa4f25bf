import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { CivilDate, YearMonth } from '../../domain/dates';
import { SUPERVISED_KINDS, type SupervisedKind, type SupervisedWork } from './supervision';

// R-O3: the region's overdue and at-risk work, most urgent first (overdue, then by due date), a
// page at a time, and its counts by township and kind; R-A6: the share of decisions made within
// the legal deadline by month. Read from the read models the workflows keep (applications,
// case_tasks, payrolls). Every query is served by the partial indexes of migration
// 1764000000040 (open, flagged work keyed by scope, overdue, due date, id), so a page costs
// the same at 100,000 open items as at 1,000,000.

export type OverdueFlag = 'overdue' | 'at_risk' | 'any';

/** Where a page ends: the last item's sort key (overdue first, due date, kind, subject, task). */
export interface OverdueKey {
  overdue: boolean;
  dueOn: CivilDate;
  kind: SupervisedKind;
  subjectId: string;
  taskId: string | null;
}

export interface OverdueQuery {
  /** The caller's region (2, 4, 6, 9 or 12 digits). */
  region: string;
  /** A township inside the region, or containing it (a village's supervisor naming its own). */
  township?: string;
  kind?: SupervisedKind;
  flag: OverdueFlag;
}

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

const TASK_KINDS = SUPERVISED_KINDS.filter(
  (k) => k !== 'application' && k !== 'payroll' && k !== 'spot_check',
);
const OPEN_APPLICATION = `stage NOT IN ('approved', 'rejected', 'withdrawn') AND (at_risk OR overdue)`;
const OPEN_TASK = 'closed_on IS NULL AND (at_risk OR overdue)';
const OPEN_STAGE = `stage NOT IN ('approved', 'rejected', 'withdrawn')`;
/**
 * A page branch's flag, written so that it implies the partial indexes' `(at_risk OR overdue)` and
 * the planner estimates it as one column's share: `(at_risk OR overdue) AND overdue` would be
 * estimated as the product of both and turn the ordered index scan into a bitmap scan and a sort.
 */
const flagOf = (overdue: boolean) => (overdue ? 'overdue' : 'at_risk AND NOT overdue');

/** Positional parameters collected while the SQL is written. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown, type = 'text'): string {
    this.values.push(v);
    return `$${this.values.length}::${type}`;
  }
}

/** The narrowest of the region and the township filter, as the leading column of an index. */
function scopeOf(q: OverdueQuery): string {
  return q.township && q.township.length > q.region.length ? q.township : q.region;
}

function scopeWhere(code: string, p: Params): string {
  if (code.length >= 12)
    return `township_code = ${p.add(code.slice(0, 9))} AND village_code = ${p.add(code)}`;
  if (code.length === 9) return `township_code = ${p.add(code)}`;
  if (code.length === 6) return `county_code = ${p.add(code)}`;
  return `county_code LIKE ${p.add(code)} || '%'`;
}

/**
 * The keyset condition of one branch (a constant kind and overdue flag) after `key`, or null when
 * the whole branch sorts before the key. Kinds are lowercase words differing in a letter before
 * any underscore, so JavaScript's order of them is the database's under any collation.
 */
function after(
  key: OverdueKey | undefined,
  kind: SupervisedKind,
  overdue: boolean,
  p: Params,
  cols: { due: string; id: string; task?: string },
): string | null {
  if (!key) return 'true';
  if (overdue !== key.overdue) return overdue ? null : 'true';
  const due = p.add(key.dueOn, 'date');
  if (kind < key.kind) return `${cols.due} > ${due}`;
  if (kind > key.kind) return `${cols.due} >= ${due}`;
  if (!cols.task) return `(${cols.due}, ${cols.id}) > (${due}, ${p.add(key.subjectId)})`;
  return `(${cols.due}, ${cols.id}, ${cols.task}) > (${due}, ${p.add(key.subjectId)}, ${p.add(key.taskId ?? '')})`;
}

/** The page's query: one index range per branch (kind × overdue), merged and cut. */
export function overduePageSql(
  q: OverdueQuery,
  limit: number,
  key?: OverdueKey,
): { text: string; values: unknown[] } {
  const p = new Params();
  const scope = scopeOf(q);
  const flags = q.flag === 'overdue' ? [true] : q.flag === 'at_risk' ? [false] : [true, false];
  const wants = (k: SupervisedKind) => !q.kind || q.kind === k;
  const n = p.add(limit, 'int');
  const branches: string[] = [];
  for (const o of flags) {
    if (wants('application')) {
      const k = after(key, 'application', o, p, { due: 'overall_deadline', id: 'application_id' });
      if (k)
        branches.push(`(SELECT 'application'::text AS kind, application_id AS subject_id, NULL::text AS task_id, stage,
            county_code, township_code, village_code, overall_deadline AS due_on, deadline_provisional AS provisional,
            at_risk, overdue
          FROM applications WHERE ${OPEN_STAGE} AND ${flagOf(o)} AND ${scopeWhere(scope, p)} AND ${k}
          ORDER BY overall_deadline, application_id LIMIT ${n})`);
    }
    for (const kind of TASK_KINDS.filter(wants)) {
      const k = after(key, kind, o, p, { due: 'due_on', id: 'case_id', task: 'task_id' });
      if (k)
        branches.push(`(SELECT kind, case_id AS subject_id, task_id, kind AS stage, county_code, township_code, village_code,
            due_on, due_provisional AS provisional, at_risk, overdue
          FROM case_tasks WHERE closed_on IS NULL AND kind = ${p.add(kind)} AND ${flagOf(o)} AND ${scopeWhere(scope, p)}
            AND ${k}
          ORDER BY due_on, case_id, task_id LIMIT ${n})`);
    }
  }
  // R-O2: the county's open spot checks of township decisions (their own table, like case tasks).
  for (const o of flags) {
    if (!wants('spot_check')) break;
    const k = after(key, 'spot_check', o, p, { due: 'due_on', id: 'application_id', task: 'check_id' });
    if (k)
      branches.push(`(SELECT 'spot_check'::text AS kind, application_id AS subject_id, check_id AS task_id,
          'spot_check'::text AS stage, county_code, township_code, village_code, due_on,
          due_provisional AS provisional, at_risk, overdue
        FROM spot_checks WHERE outcome IS NULL AND ${flagOf(o)} AND ${scopeWhere(scope, p)} AND ${k}
        ORDER BY due_on, application_id, check_id LIMIT ${n})`);
  }
  // A payroll is a county's: seen by the county and above, not through a township filter.
  if (flags.includes(true) && wants('payroll') && scope.length <= 6) {
    const k = after(key, 'payroll', true, p, { due: 'payment_date', id: 'payroll_id' });
    if (k)
      branches.push(`(SELECT 'payroll'::text AS kind, payroll_id AS subject_id, NULL::text AS task_id, status AS stage,
          county_code, NULL::text AS township_code, NULL::text AS village_code, payment_date AS due_on,
          false AS provisional, false AS at_risk, true AS overdue
        FROM payrolls WHERE status = 'overdue' AND county_code LIKE ${p.add(scope)} || '%' AND ${k}
        ORDER BY payment_date, payroll_id LIMIT ${n})`);
  }
  if (branches.length === 0) return { text: 'SELECT NULL LIMIT 0', values: [] };
  return {
    text: `SELECT * FROM (${branches.join('\nUNION ALL\n')}) w
      ORDER BY overdue DESC, due_on, kind, subject_id, task_id LIMIT ${n}`,
    values: p.values,
  };
}

/** The summary's query: counts by township and kind, index-only over the same partial indexes. */
export function overdueSummarySql(q: OverdueQuery): { text: string; values: unknown[] } {
  const p = new Params();
  const scope = scopeOf(q);
  const wants = (k: SupervisedKind) => !q.kind || q.kind === k;
  const parts: string[] = [];
  if (wants('application'))
    parts.push(`SELECT left(township_code, 6) AS county_code, township_code, 'application'::text AS kind, count(*) FILTER (WHERE overdue) AS overdue,
        count(*) FILTER (WHERE NOT overdue) AS at_risk
      FROM applications WHERE ${OPEN_APPLICATION} AND ${scopeWhere(scope, p)} GROUP BY township_code`);
  // Every case task is one of TASK_KINDS; without a kind filter there is no kind condition, so the
  // planner may read the index alone.
  if (!q.kind || TASK_KINDS.some((k) => k === q.kind))
    parts.push(`SELECT left(township_code, 6), township_code, kind, count(*) FILTER (WHERE overdue),
        count(*) FILTER (WHERE NOT overdue)
      FROM case_tasks WHERE ${OPEN_TASK}${q.kind ? ` AND kind = ${p.add(q.kind)}` : ''} AND ${scopeWhere(scope, p)}
      GROUP BY township_code, kind`);
  if (wants('spot_check'))
    parts.push(`SELECT left(township_code, 6), township_code, 'spot_check', count(*) FILTER (WHERE overdue),
        count(*) FILTER (WHERE NOT overdue)
      FROM spot_checks WHERE outcome IS NULL AND (at_risk OR overdue) AND ${scopeWhere(scope, p)}
      GROUP BY township_code`);
  if (wants('payroll') && scope.length <= 6)
    parts.push(`SELECT county_code, NULL::text, 'payroll', count(*), 0 FROM payrolls
      WHERE status = 'overdue' AND county_code LIKE ${p.add(scope)} || '%' GROUP BY county_code`);
  if (parts.length === 0) return { text: '', values: [] };
  return {
    text: `SELECT * FROM (${parts.join('\nUNION ALL\n')}) s ORDER BY 1, 2 NULLS FIRST, 3`,
    values: p.values,
  };
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
