import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';
import { inTransaction } from '../pool';
import { settlementStatements } from './ledger-settlement';

// `ledger` (and `ledger_history`, by its trigger) and the settlement of `case_adjustments`: written
// only by the payroll workflow's activities (R-M1). Every row has the unique key (case, month, kind)
// and is inserted with ON CONFLICT DO NOTHING, so a retried activity writes nothing twice.

/** The statements of one roster transaction, on its client. */
export function ledgerStatements(db: pg.PoolClient) {
  return {
    /**
     * One page of the roster (cases by id after `after`), written in the server: the month's regular
     * row for every case that handed a non-zero month to the payroll (R-E6 quarterly: one row per
     * month of `quarterMonths` for extreme-poverty cases, else `month` only). Nothing passes through Node
     * but the page's case ids (for the settlement).
     */
    async insertRosterPage(args: {
      payrollId: string;
      county: string;
      month: YearMonth;
      quarterMonths: YearMonth[] | null;
      after: string;
      limit: number;
    }): Promise<{ caseIds: string[]; rows: number }> {
      const { rows } = await db.query(
        `WITH page AS (
           SELECT case_id, township_code, village_code, category, residence, persons, amount FROM case_months
           WHERE county_code = $2 AND month = $3 AND case_id > $5 ORDER BY case_id LIMIT $6),
         written AS (
           INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
             residence, persons, amount, status)
           SELECT p.case_id, m, 'regular', $1, $2, p.township_code, p.village_code, p.category, p.residence,
             p.persons, p.amount, 'scheduled'
           FROM page p CROSS JOIN LATERAL unnest(CASE WHEN $4::text[] IS NOT NULL AND p.category = 'extreme_poverty'
             THEN $4::text[] ELSE ARRAY[$3::text] END) AS m
           WHERE p.amount <> 0
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT coalesce(array_agg(case_id ORDER BY case_id), '{}') AS ids, (SELECT count(*) FROM written)::int AS rows
         FROM page`,
        [args.payrollId, args.county, args.month, args.quarterMonths, args.after, args.limit],
      );
      return { caseIds: rows[0].ids, rows: rows[0].rows };
    },

    async addLinesDone(payrollId: string, rows: number): Promise<void> {
      await db.query(
        'UPDATE payrolls SET lines_done = lines_done + $2, updated_at = now() WHERE payroll_id = $1',
        [payrollId, rows],
      );
    },

    /** Cases with open back-pay that have no back-pay row this month (closed after a review, say). */
    async stragglerCases(county: string, month: YearMonth): Promise<string[]> {
      const { rows } = await db.query(
        `SELECT DISTINCT a.case_id FROM case_adjustments a
         WHERE a.county_code = $1 AND a.kind = 'back_pay' AND a.settled_amount < a.amount
           AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.case_id = a.case_id AND l.month = $2 AND l.kind = 'back_pay')`,
        [county, month],
      );
      return rows.map((r) => r.case_id);
    },

    ...settlementStatements(db),
  };
}

export type LedgerStatements = ReturnType<typeof ledgerStatements>;

export function ledgerRepository(pool: pg.Pool) {
  return {
    /** One roster transaction: every statement on one client, rolled back on any error. */
    transaction<T>(fn: (tx: LedgerStatements) => Promise<T>): Promise<T> {
      return inTransaction(pool, (db) => fn(ledgerStatements(db)));
    },

    /**
     * Months handed over after their own payroll had read the roster, not yet in the ledger: the
     * last 12 months, and only months whose payroll has finished its roster.
     */
    async insertLateMonths(payrollId: string, county: string, month: YearMonth): Promise<number> {
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
        [payrollId, county, month],
      );
      return r.rowCount ?? 0;
    },

    /** R-A10: the county's temporary grants of months before `month`, one paid row per application and month. */
    async insertTemporaryGrants(payrollId: string, county: string, month: YearMonth): Promise<number> {
      const r = await pool.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status, source_keys)
         SELECT g.application_id, to_char(g.granted_on, 'YYYY-MM'), 'temporary_grant', $1, a.county_code,
           a.township_code, a.village_code, a.category, coalesce(a.residence, 'rural'),
           (SELECT count(*)::int FROM application_members m WHERE m.application_id = a.application_id),
           sum(g.amount), 'paid', array_agg(g.grant_id ORDER BY g.grant_id)
         FROM temporary_grants g JOIN applications a ON a.application_id = g.application_id
         WHERE a.county_code = $2 AND to_char(g.granted_on, 'YYYY-MM') < $3
         GROUP BY g.application_id, to_char(g.granted_on, 'YYYY-MM'), a.county_code, a.township_code,
           a.village_code, a.category, a.residence, a.application_id
         ON CONFLICT DO NOTHING`,
        [payrollId, county, month],
      );
      return r.rowCount ?? 0;
    },
  };
}
