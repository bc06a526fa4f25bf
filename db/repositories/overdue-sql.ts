import type { CivilDate } from '../../domain/dates';
import { SUPERVISED_KINDS, type SupervisedKind } from './supervision';

// R-O3: the SQL of the overdue list and its counts. Every kind of supervised work is one source —
// its table, the open-work predicate, and the columns that play subject, task, stage and due date —
// and every page is one index range per source and flag (migrations 040 and 100), merged and cut.
// The summary reads `supervision_counts`, which the sources' triggers keep (migration 100); the
// recount below is its definition, used for a village's scope (the counters are per township).

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

interface Source {
  table: string;
  /** The open-work predicate, as in migration 100's `supervision_sources()`. */
  open: string;
  subject: string;
  task?: string;
  stage: string;
  due: string;
  provisional: string;
}

const TASK_KINDS = ['death_review', 're_review', 'data_check', 'change_review'] as const;

/** Each kind's source; a case task's kind is one more equality of `case_tasks`. */
const SOURCES: Record<Exclude<SupervisedKind, 'payroll'>, Source> = {
  application: {
    table: 'applications',
    open: `stage NOT IN ('approved', 'rejected', 'withdrawn')`,
    subject: 'application_id',
    stage: 'stage',
    due: 'overall_deadline',
    provisional: 'deadline_provisional',
  },
  ...(Object.fromEntries(
    TASK_KINDS.map((k) => [
      k,
      {
        table: 'case_tasks',
        open: `closed_on IS NULL AND kind = '${k}'`,
        subject: 'case_id',
        task: 'task_id',
        stage: 'kind',
        due: 'due_on',
        provisional: 'due_provisional',
      },
    ]),
  ) as Record<(typeof TASK_KINDS)[number], Source>),
  // R-O2: the county's open spot checks of township decisions.
  spot_check: {
    table: 'spot_checks',
    open: 'outcome IS NULL',
    subject: 'application_id',
    task: 'check_id',
    stage: `'spot_check'::text`,
    due: 'due_on',
    provisional: 'due_provisional',
  },
  // R-O4: complaints not yet closed, due by their answer deadline.
  complaint: {
    table: 'complaints',
    open: 'closed_on IS NULL',
    subject: 'complaint_id',
    stage: 'stage',
    due: 'deadline',
    provisional: 'deadline_provisional',
  },
  // R-L2: a register household with a warning whose visit is due.
  household_visit: {
    table: 'register_households',
    open: 'open_warnings > 0',
    subject: 'household_key',
    stage: `'visit'::text`,
    due: 'next_due_on',
    provisional: 'false',
  },
  // R-A10: a temporary grant paid first from the township's reserve fund, not yet documented.
  temporary_documentation: {
    table: 'temporary_assistance',
    open: 'documentation_due IS NOT NULL AND documented_on IS NULL',
    subject: 'assistance_id',
    stage: `'documentation'::text`,
    due: 'documentation_due',
    provisional: 'documentation_provisional',
  },
};

/**
 * A page branch's flag, written so that it implies the partial indexes' `(at_risk OR overdue)` and
 * the planner estimates it as one column's share: `(at_risk OR overdue) AND overdue` would be
 * estimated as the product of both and turn the ordered index scan into a bitmap scan and a sort.
 */
const flagOf = (overdue: boolean) => (overdue ? 'overdue' : 'at_risk AND NOT overdue');

/** Positional parameters collected while the SQL is written. */
export class Params {
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
function after(key: OverdueKey | undefined, kind: SupervisedKind, overdue: boolean, p: Params, s: Source) {
  if (!key) return 'true';
  if (overdue !== key.overdue) return overdue ? null : 'true';
  const due = p.add(key.dueOn, 'date');
  if (kind < key.kind) return `${s.due} > ${due}`;
  if (kind > key.kind) return `${s.due} >= ${due}`;
  if (!s.task) return `(${s.due}, ${s.subject}) > (${due}, ${p.add(key.subjectId)})`;
  return `(${s.due}, ${s.subject}, ${s.task}) > (${due}, ${p.add(key.subjectId)}, ${p.add(key.taskId ?? '')})`;
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
  const kinds = SUPERVISED_KINDS.filter((k) => !q.kind || q.kind === k);
  const n = p.add(limit, 'int');
  const branches: string[] = [];
  for (const o of flags) {
    for (const kind of kinds) {
      if (kind === 'payroll') continue;
      const s = SOURCES[kind];
      const k = after(key, kind, o, p, s);
      if (!k) continue;
      branches.push(`(SELECT ${p.add(kind)} AS kind, ${s.subject} AS subject_id, ${s.task ?? 'NULL::text'} AS task_id,
          ${s.stage} AS stage, county_code, township_code, village_code, ${s.due} AS due_on,
          ${s.provisional} AS provisional, at_risk, overdue
        FROM ${s.table} WHERE ${s.open} AND ${flagOf(o)} AND ${scopeWhere(scope, p)} AND ${k}
        ORDER BY ${[s.due, s.subject, s.task].filter(Boolean).join(', ')} LIMIT ${n})`);
    }
  }
  // A payroll is a county's: seen by the county and above, not through a township filter.
  if (flags.includes(true) && kinds.includes('payroll') && scope.length <= 6) {
    const s = { due: 'payment_date', subject: 'payroll_id' } as Source;
    const k = after(key, 'payroll', true, p, s);
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

/** A county's overdue payrolls (township null): few rows, read directly. */
function payrollCountSql(scope: string, p: Params) {
  return `SELECT county_code, NULL::text AS township_code, 'payroll'::text AS kind, count(*) AS overdue, 0 AS at_risk
    FROM payrolls WHERE status = 'overdue' AND county_code LIKE ${p.add(scope)} || '%' GROUP BY county_code`;
}

const ordered = (parts: string[]) =>
  `SELECT * FROM (${parts.join('\nUNION ALL\n')}) s ORDER BY 1, 2 NULLS FIRST, 3`;

/**
 * The summary's query: the counters of the townships in scope (one row per township and kind),
 * and the county payrolls. A village's scope is counted from the sources (overdueRecountSql).
 */
export function overdueSummarySql(q: OverdueQuery): { text: string; values: unknown[] } {
  const scope = scopeOf(q);
  if (scope.length >= 12) return overdueRecountSql(q);
  const p = new Params();
  const parts: string[] = [];
  if (q.kind !== 'payroll') {
    const where =
      scope.length === 9 ? `township_code = ${p.add(scope)}` : `township_code LIKE ${p.add(scope)} || '%'`;
    parts.push(`SELECT left(township_code, 6) AS county_code, township_code, kind, overdue, at_risk
      FROM supervision_counts WHERE ${where}${q.kind ? ` AND kind = ${p.add(q.kind)}` : ''}
        AND (overdue > 0 OR at_risk > 0)`);
  }
  if ((!q.kind || q.kind === 'payroll') && scope.length <= 6) parts.push(payrollCountSql(scope, p));
  // A county's payrolls asked of a township: nothing to count (the repository answers []).
  if (parts.length === 0) return { text: '', values: [] };
  return { text: ordered(parts), values: p.values };
}

/** What the counters hold, counted from the sources: a village's summary, and the counters' check. */
export function overdueRecountSql(q: OverdueQuery): { text: string; values: unknown[] } {
  const p = new Params();
  const scope = scopeOf(q);
  const parts: string[] = [];
  const bySource = new Map<string, { s: Source; kinds: SupervisedKind[] }>();
  for (const kind of SUPERVISED_KINDS.filter((k) => !q.kind || q.kind === k)) {
    if (kind === 'payroll') continue;
    const s = SOURCES[kind];
    bySource.set(s.table, { s, kinds: [...(bySource.get(s.table)?.kinds ?? []), kind] });
  }
  for (const { s, kinds } of bySource.values()) {
    const kind = s.table === 'case_tasks' ? 'kind' : p.add(kinds[0]);
    const open =
      s.table === 'case_tasks' ? `closed_on IS NULL AND kind = ANY(${p.add(kinds, 'text[]')})` : s.open;
    parts.push(`SELECT left(township_code, 6) AS county_code, township_code, ${kind} AS kind,
        count(*) FILTER (WHERE overdue) AS overdue, count(*) FILTER (WHERE NOT overdue) AS at_risk
      FROM ${s.table} WHERE ${open} AND (at_risk OR overdue) AND ${scopeWhere(scope, p)} GROUP BY 2, 3`);
  }
  if ((!q.kind || q.kind === 'payroll') && scope.length <= 6) parts.push(payrollCountSql(scope, p));
  if (parts.length === 0) return { text: 'SELECT NULL LIMIT 0', values: [] };
  return { text: ordered(parts), values: p.values };
}
