import { Context } from '@temporalio/activity';
import { inTransaction } from '../../db/pool';
import type { YearMonth } from '../../domain/dates';
import { isZero } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import { settleAdjustments } from './settlement';

// The payroll's roster (R-M1, R-M2, R-M8, R-E6, R-A10). Exactly once: every ledger row has the
// unique key (case, month, kind) and is written with ON CONFLICT DO NOTHING inside the same
// transaction that settles what it pays, so a retried activity or a second payroll run writes
// nothing twice and settles nothing twice. Status changes leave history rows (ledger trigger).

/** Quarter months from `month` to the quarter's end (R-E6 quarterly: paid at the start). */
export function restOfQuarter(month: YearMonth): YearMonth[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const end = Math.ceil(m / 3) * 3;
  return Array.from({ length: end - m + 1 }, (_, i) => `${y}-${String(m + i).padStart(2, '0')}`);
}

export interface RosterPage {
  afterCaseId?: string;
  lastCaseId?: string;
  cases: number;
  rows: number;
  done: boolean;
}

export function rosterActivities({ pool }: ActivityDeps) {
  return {
    /**
     * R-M1 / R-M2 / R-M8: one page of the county's roster (cases ordered by id), in one transaction:
     * the month's regular lines from what each case handed to the payroll at the cut-off (nothing
     * after death or closure: no month row), open back-pay as one line per case, and open recoveries
     * offset against the case's money this month (never more). Bounded: one page per call.
     */
    async rosterPage(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
      quarterlyExtremePoverty: boolean;
      afterCaseId?: string;
      limit: number;
    }): Promise<RosterPage> {
      const result = await inTransaction(pool, async (db) => {
        const page = await db.query(
          `SELECT case_id, month, township_code, village_code, category, residence, amount, persons
           FROM case_months WHERE county_code = $1 AND month = $2 AND case_id > $3
           ORDER BY case_id LIMIT $4`,
          [args.countyCode, args.month, args.afterCaseId ?? '', args.limit],
        );
        const ids = page.rows.map((r) => r.case_id as string);
        if (!ids.length) return { cases: 0, rows: 0, lastCaseId: args.afterCaseId };
        let rows = 0;
        // Regular lines. Quarterly extreme-poverty support (R-E6) is paid at the start of the
        // quarter: the first payroll that sees the case pays it to the quarter's end; the later
        // months of the quarter then find their rows already there (unique key).
        const quarter = restOfQuarter(args.month);
        const regular = page.rows.filter((r) => !isZero(r.amount));
        const cols = {
          caseId: [] as string[],
          month: [] as string[],
          township: [] as string[],
          village: [] as string[],
          category: [] as string[],
          residence: [] as string[],
          persons: [] as number[],
          amount: [] as string[],
        };
        for (const r of regular) {
          const months =
            args.quarterlyExtremePoverty && r.category === 'extreme_poverty' ? quarter : [args.month];
          for (const m of months) {
            cols.caseId.push(r.case_id);
            cols.month.push(m);
            cols.township.push(r.township_code);
            cols.village.push(r.village_code);
            cols.category.push(r.category);
            cols.residence.push(r.residence);
            cols.persons.push(r.persons);
            cols.amount.push(r.amount);
          }
        }
        const inserted = await db.query(
          `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
             residence, persons, amount, status)
           SELECT c, m, 'regular', $1, $2, t, v, cat, res, p, a, 'scheduled'
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::numeric[])
             AS x(c, m, t, v, cat, res, p, a)
           ON CONFLICT DO NOTHING`,
          [
            args.payrollId,
            args.countyCode,
            cols.caseId,
            cols.month,
            cols.township,
            cols.village,
            cols.category,
            cols.residence,
            cols.persons,
            cols.amount,
          ],
        );
        rows += inserted.rowCount ?? 0;
        rows += await settleAdjustments(db, args.payrollId, args.countyCode, args.month, ids);
        await db.query(
          'UPDATE payrolls SET lines_done = lines_done + $2, updated_at = now() WHERE payroll_id = $1',
          [args.payrollId, rows],
        );
        return { cases: ids.length, rows, lastCaseId: ids.at(-1) };
      });
      Context.current().heartbeat(result.lastCaseId);
      return {
        afterCaseId: args.afterCaseId,
        lastCaseId: result.lastCaseId,
        cases: result.cases,
        rows: result.rows,
        done: result.cases < args.limit,
      };
    },

    /**
     * R-M1 "never silently lost": a month a case handed over after its own payroll had read the
     * roster (a case worker down at the cut-off, say) has no ledger row; the next payroll pays it
     * (the last 12 months, and only months whose payroll has finished its roster). Exactly once by the same key.
     */
    async rosterLateMonths(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
    }): Promise<number> {
      const r = await pool.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status)
         SELECT cm.case_id, cm.month, 'regular', $1, cm.county_code, cm.township_code, cm.village_code, cm.category,
           cm.residence, cm.persons, cm.amount, 'scheduled'
         FROM case_months cm JOIN payrolls p ON p.county_code = cm.county_code AND p.month = cm.month
         WHERE cm.county_code = $2 AND cm.month < $3 AND cm.month >= to_char(to_date($3, 'YYYY-MM') - interval '12 months', 'YYYY-MM')
           AND p.status <> 'rostering' -- that payroll has finished reading its roster
           AND cm.amount > 0
           AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.case_id = cm.case_id AND l.month = cm.month AND l.kind = 'regular')
         ON CONFLICT DO NOTHING`,
        [args.payrollId, args.countyCode, args.month],
      );
      return r.rowCount ?? 0;
    },

    /** Back-pay owed to cases that handed no month this time (closed after a review, say). */
    async rosterStragglers(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
    }): Promise<number> {
      return inTransaction(pool, async (db) => {
        const { rows } = await db.query(
          `SELECT DISTINCT a.case_id FROM case_adjustments a
           WHERE a.county_code = $1 AND a.kind = 'back_pay' AND a.settled_amount < a.amount
             AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.case_id = a.case_id AND l.month = $2 AND l.kind = 'back_pay')`,
          [args.countyCode, args.month],
        );
        return settleAdjustments(
          db,
          args.payrollId,
          args.countyCode,
          args.month,
          rows.map((r) => r.case_id),
        );
      });
    },

    /**
     * R-A10: temporary grants are paid at once by the township; the ledger records them (status
     * paid) in the first payroll after their month, one row per application and month.
     */
    async rosterTemporaryGrants(args: { payrollId: string; countyCode: string; month: YearMonth }) {
      const r = await pool.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status, source_keys)
         SELECT g.application_id, to_char(g.granted_on, 'YYYY-MM'), 'temporary_grant', $1, a.county_code,
           a.township_code, a.village_code, a.category, coalesce(a.view->'household'->>'residence', 'rural'),
           (SELECT count(*)::int FROM application_members m WHERE m.application_id = a.application_id),
           sum(g.amount), 'paid', array_agg(g.grant_id ORDER BY g.grant_id)
         FROM temporary_grants g JOIN applications a ON a.application_id = g.application_id
         WHERE a.county_code = $2 AND to_char(g.granted_on, 'YYYY-MM') < $3
         GROUP BY g.application_id, to_char(g.granted_on, 'YYYY-MM'), a.county_code, a.township_code,
           a.village_code, a.category, a.view, a.application_id
         ON CONFLICT DO NOTHING`,
        [args.payrollId, args.countyCode, args.month],
      );
      return r.rowCount ?? 0;
    },

    /**
     * R-M1 "never silently lost": open cases that should have handed this month to the payroll but
     * have not (a case worker down at the cut-off, say) are counted and raised to supervisors.
     */
    async checkRosterComplete(args: { payrollId: string; countyCode: string; month: YearMonth }) {
      const { rows } = await pool.query(
        `SELECT c.case_id FROM cases c
         WHERE c.county_code = $1 AND c.status <> 'closed' AND c.start_month <= $2
           AND NOT EXISTS (SELECT 1 FROM case_months m WHERE m.case_id = c.case_id AND m.month = $2)
         ORDER BY c.case_id`,
        [args.countyCode, args.month],
      );
      if (rows.length) {
        await pool.query(
          `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code, village_code,
             flag, deadline_kind, due_on)
           SELECT 'payroll:' || payroll_id || ':roster_incomplete', 'payroll', payroll_id, county_code, '', '',
             'overdue', 'roster_incomplete', roster_date
           FROM payrolls WHERE payroll_id = $1 ON CONFLICT DO NOTHING`,
          [args.payrollId],
        );
      }
      return { missing: rows.length, examples: rows.slice(0, 20).map((r) => r.case_id as string) };
    },
  };
}
