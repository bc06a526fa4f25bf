import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';
import type { Money } from '../../domain/money';

// R-O5: the monthly payment statistics, read from the ledger the payroll workflow writes.

/** One county's money of one category and residence: the payroll month and January … month. */
export interface LedgerFigures {
  countyCode: string;
  category: string;
  residence: string;
  monthRows: number;
  backPayPersons: number;
  backPayAmount: Money;
  monthPersons: number;
  monthAmount: Money;
  cumulativePersons: number;
  cumulativeAmount: Money;
}

export type ExcludedBucket = 'failedOrReturned' | 'scheduled' | 'outsideTables';

export function reportsRepository(pool: pg.Pool) {
  return {
    /**
     * Counted: money that went out (sent or paid) in the payroll months January … month, by the
     * payroll's month (a retried row counts where it was paid, quarterly R-E6 rows where paid).
     * Recovery offsets reduce the amounts but are nobody's payment, so they add no 人次.
     */
    async paymentFigures(region: string, month: YearMonth): Promise<LedgerFigures[]> {
      const { rows } = await pool.query(
        `SELECT l.county_code, l.category, l.residence,
           count(*) FILTER (WHERE p.month = $2)::int AS month_rows,
           coalesce(sum(l.persons) FILTER (WHERE p.month = $2 AND l.kind = 'back_pay'), 0)::int AS back_pay_persons,
           coalesce(sum(l.amount) FILTER (WHERE p.month = $2 AND l.kind = 'back_pay'), 0) AS back_pay_amount,
           coalesce(sum(l.persons) FILTER (WHERE p.month = $2 AND l.kind <> 'recovery_offset'), 0)::int AS month_persons,
           coalesce(sum(l.amount) FILTER (WHERE p.month = $2), 0) AS month_amount,
           coalesce(sum(l.persons) FILTER (WHERE l.kind <> 'recovery_offset'), 0)::int AS cumulative_persons,
           sum(l.amount) AS cumulative_amount
         FROM ledger l JOIN payrolls p ON p.payroll_id = l.payroll_id
         WHERE left(l.county_code, length($1)) = $1 AND p.month BETWEEN $3 AND $2
           AND l.status IN ('sent', 'paid') AND l.kind IN ('regular', 'back_pay', 'recovery_offset')
         GROUP BY l.county_code, l.category, l.residence`,
        [region, month, `${month.slice(0, 4)}-01`],
      );
      return rows.map((r) => ({
        countyCode: r.county_code,
        category: r.category,
        residence: r.residence,
        monthRows: r.month_rows,
        backPayPersons: r.back_pay_persons,
        backPayAmount: r.back_pay_amount,
        monthPersons: r.month_persons,
        monthAmount: r.month_amount,
        cumulativePersons: r.cumulative_persons,
        cumulativeAmount: r.cumulative_amount,
      }));
    },

    /** The rest of this payroll month's rows, so that nothing in the ledger goes unaccounted. */
    async excludedRows(
      region: string,
      month: YearMonth,
    ): Promise<{ bucket: ExcludedBucket; count: number; amount: Money }[]> {
      const { rows } = await pool.query(
        `SELECT CASE WHEN l.status IN ('failed', 'returned') THEN 'failedOrReturned'
                     WHEN l.status = 'scheduled' THEN 'scheduled' ELSE 'outsideTables' END AS bucket,
           count(*)::int AS count, sum(l.amount) AS amount
         FROM ledger l JOIN payrolls p ON p.payroll_id = l.payroll_id
         WHERE left(l.county_code, length($1)) = $1 AND p.month = $2
           AND (l.status NOT IN ('sent', 'paid') OR l.kind = 'temporary_grant')
         GROUP BY 1`,
        [region, month],
      );
      return rows.map((r) => ({ bucket: r.bucket, count: r.count, amount: r.amount }));
    },
  };
}
