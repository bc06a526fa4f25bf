import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';
import type { Money } from '../../domain/money';
import { inTransaction } from '../pool';

// `ledger` (and `ledger_history`, by its trigger) and the settlement of `case_adjustments`: written
// only by the payroll workflow's activities (R-M1). Every row has the unique key (case, month, kind)
// and is inserted with ON CONFLICT DO NOTHING, so a retried activity writes nothing twice.

/** What a case handed to the payroll for a month at its roster cut-off (`case_months`). */
export interface RosterMonth {
  caseId: string;
  township: string;
  village: string;
  category: string;
  residence: string;
  persons: number;
  amount: Money;
}

/** A regular ledger row to write: the case's month, for `month` (R-E6 quarterly: several). */
export type RegularRow = RosterMonth & { month: YearMonth };

/** An open adjustment of a case (R-M2 recovery, R-M8 back-pay) with the case's coordinates. */
export interface OpenAdjustment {
  key: string;
  caseId: string;
  kind: 'back_pay' | 'recovery';
  open: Money;
  category: string;
  township: string;
  village: string;
  persons: number | null;
  residence: string | null;
}

/** The statements of one roster transaction, on its client. */
export function ledgerStatements(db: pg.PoolClient) {
  return {
    async rosterMonths(
      county: string,
      month: YearMonth,
      after: string,
      limit: number,
    ): Promise<RosterMonth[]> {
      const { rows } = await db.query(
        `SELECT case_id, month, township_code, village_code, category, residence, amount, persons
         FROM case_months WHERE county_code = $1 AND month = $2 AND case_id > $3
         ORDER BY case_id LIMIT $4`,
        [county, month, after, limit],
      );
      return rows.map((r) => ({
        caseId: r.case_id,
        township: r.township_code,
        village: r.village_code,
        category: r.category,
        residence: r.residence,
        persons: r.persons,
        amount: r.amount,
      }));
    },

    async insertRegular(payrollId: string, county: string, rows: RegularRow[]): Promise<number> {
      const col = <K extends keyof RegularRow>(k: K) => rows.map((r) => r[k]);
      const inserted = await db.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status)
         SELECT c, m, 'regular', $1, $2, t, v, cat, res, p, a, 'scheduled'
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::numeric[])
           AS x(c, m, t, v, cat, res, p, a)
         ON CONFLICT DO NOTHING`,
        [
          payrollId,
          county,
          col('caseId'),
          col('month'),
          col('township'),
          col('village'),
          col('category'),
          col('residence'),
          col('persons'),
          col('amount'),
        ],
      );
      return inserted.rowCount ?? 0;
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

    /** Open adjustments of the cases, oldest first, locked until the transaction ends. */
    async openAdjustments(caseIds: string[]): Promise<OpenAdjustment[]> {
      const { rows } = await db.query(
        `SELECT a.adjustment_key, a.case_id, a.kind, a.amount - a.settled_amount AS open, a.category,
           c.township_code, c.village_code, coalesce(c.persons, jsonb_array_length(c.members)) AS persons,
           coalesce(c.view->>'residence',
             (SELECT m.residence FROM case_months m WHERE m.case_id = c.case_id ORDER BY m.month DESC LIMIT 1)) AS residence
         FROM case_adjustments a JOIN cases c ON c.case_id = a.case_id
         WHERE a.case_id = ANY($1) AND a.settled_amount < a.amount AND a.demand_id IS NULL
         ORDER BY a.case_id, a.recorded_at, a.adjustment_key FOR UPDATE OF a`,
        [caseIds],
      );
      return rows.map((r) => ({
        key: r.adjustment_key,
        caseId: r.case_id,
        kind: r.kind,
        open: r.open,
        category: r.category,
        township: r.township_code,
        village: r.village_code,
        persons: r.persons,
        residence: r.residence,
      }));
    },

    /** The case's positive money in this payroll so far (what a recovery may offset). */
    async outgoingByCase(payrollId: string, caseIds: string[]): Promise<Map<string, Money>> {
      const { rows } = await db.query(
        `SELECT case_id, sum(amount) AS total FROM ledger WHERE payroll_id = $1 AND case_id = ANY($2) AND amount > 0
         GROUP BY case_id`,
        [payrollId, caseIds],
      );
      return new Map(rows.map((r) => [r.case_id as string, r.total as string]));
    },

    /** A back-pay or recovery-offset row; false when it was already there (nothing to settle). */
    async insertAdjustmentRow(row: {
      caseId: string;
      month: YearMonth;
      kind: 'back_pay' | 'recovery_offset';
      payrollId: string;
      county: string;
      of: OpenAdjustment;
      amount: Money;
      keys: string[];
    }): Promise<boolean> {
      const r = await db.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status, source_keys)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'scheduled', $12) ON CONFLICT DO NOTHING`,
        [
          row.caseId,
          row.month,
          row.kind,
          row.payrollId,
          row.county,
          row.of.township,
          row.of.village,
          row.of.category,
          row.of.residence ?? 'rural',
          row.of.persons ?? 1,
          row.amount,
          row.keys,
        ],
      );
      return (r.rowCount ?? 0) > 0;
    },

    async settleFully(key: string): Promise<void> {
      await db.query('UPDATE case_adjustments SET settled_amount = amount WHERE adjustment_key = $1', [key]);
    },

    async settlePart(key: string, amount: Money): Promise<void> {
      await db.query(
        'UPDATE case_adjustments SET settled_amount = settled_amount + $2 WHERE adjustment_key = $1',
        [key, amount],
      );
    },
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
