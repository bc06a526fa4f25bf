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

    /**
     * R-A10: temporary assistance's own line — every grant paid (`temporary_grant` rows sent or
     * paid), counted in its payment month: a request's own payment by its ledger month, a grant
     * paid while an application was pending by the payroll that rostered it. No back-pay.
     */
    async temporaryAssistanceFigures(region: string, month: YearMonth): Promise<LedgerFigures[]> {
      const { rows } = await pool.query(
        `SELECT l.county_code,
           count(*) FILTER (WHERE m.month = $2)::int AS month_rows,
           coalesce(sum(l.persons) FILTER (WHERE m.month = $2), 0)::int AS month_persons,
           coalesce(sum(l.amount) FILTER (WHERE m.month = $2), 0) AS month_amount,
           coalesce(sum(l.persons), 0)::int AS cumulative_persons,
           sum(l.amount) AS cumulative_amount
         FROM ledger l LEFT JOIN payrolls p ON p.payroll_id = l.payroll_id
         CROSS JOIN LATERAL (SELECT coalesce(p.month, l.month) AS month) m
         WHERE l.kind = 'temporary_grant' AND left(l.county_code, length($1)) = $1
           AND l.month <= $2 AND m.month BETWEEN $3 AND $2 AND l.status IN ('sent', 'paid')
         GROUP BY l.county_code`,
        [region, month, `${month.slice(0, 4)}-01`],
      );
      return rows.map((r) => ({
        countyCode: r.county_code,
        category: 'temporary_assistance',
        residence: '',
        monthRows: r.month_rows,
        backPayPersons: 0,
        backPayAmount: '0.00',
        monthPersons: r.month_persons,
        monthAmount: r.month_amount,
        cumulativePersons: r.cumulative_persons,
        cumulativeAmount: r.cumulative_amount,
      }));
    },

    /**
     * R-M10 recovery lines: recoveries offset against payments (recovery_offset rows that went out,
     * this payroll month and January … month), repayment demands issued January … month-end with
     * what was repaid and written off on them, and what the region's open demands still owe.
     */
    async recoveryFigures(region: string, month: YearMonth) {
      const [offsets, demands] = await Promise.all([
        pool.query(
          `SELECT count(*) FILTER (WHERE p.month = $2)::int AS month_count,
             coalesce(-sum(l.amount) FILTER (WHERE p.month = $2), 0)::numeric(14, 2) AS month_amount,
             count(*)::int AS cumulative_count, coalesce(-sum(l.amount), 0)::numeric(14, 2) AS cumulative_amount
           FROM ledger l JOIN payrolls p ON p.payroll_id = l.payroll_id
           WHERE left(l.county_code, length($1)) = $1 AND p.month BETWEEN $3 AND $2
             AND l.status IN ('sent', 'paid') AND l.kind = 'recovery_offset'`,
          [region, month, `${month.slice(0, 4)}-01`],
        ),
        pool.query(
          `SELECT count(*) FILTER (WHERE issued_on >= $2)::int AS issued_count,
             coalesce(sum(amount) FILTER (WHERE issued_on >= $2), 0)::numeric(14, 2) AS issued_amount,
             coalesce(sum(repaid_amount) FILTER (WHERE issued_on >= $2), 0)::numeric(14, 2) AS repaid_amount,
             coalesce(sum(written_off_amount) FILTER (WHERE issued_on >= $2), 0)::numeric(14, 2) AS written_off_amount,
             count(*) FILTER (WHERE status = 'open')::int AS open_count,
             coalesce(sum(amount - repaid_amount - written_off_amount) FILTER (WHERE status = 'open'), 0)::numeric(14, 2) AS outstanding
           FROM repayment_demands
           WHERE left(county_code, length($1)) = $1 AND issued_on < $3::date + interval '1 month'`,
          [region, `${month.slice(0, 4)}-01-01`, `${month}-01`],
        ),
      ]);
      const o = offsets.rows[0];
      const d = demands.rows[0];
      return {
        offset: {
          month: { count: o.month_count as number, amount: o.month_amount as Money },
          cumulative: { count: o.cumulative_count as number, amount: o.cumulative_amount as Money },
        },
        demands: {
          issued: { count: d.issued_count as number, amount: d.issued_amount as Money },
          repaid: d.repaid_amount as Money,
          writtenOff: d.written_off_amount as Money,
          open: { count: d.open_count as number, amount: d.outstanding as Money },
        },
      };
    },

    /**
     * The rest of this payroll month's rows, so that nothing in the ledger goes unaccounted; a
     * temporary-assistance grant's own row (no payroll) by its ledger month (R-A10).
     */
    async excludedRows(
      region: string,
      month: YearMonth,
    ): Promise<{ bucket: ExcludedBucket; count: number; amount: Money }[]> {
      const { rows } = await pool.query(
        `SELECT CASE WHEN l.status IN ('failed', 'returned') THEN 'failedOrReturned'
                     WHEN l.status = 'scheduled' THEN 'scheduled' ELSE 'outsideTables' END AS bucket,
           count(*)::int AS count, sum(l.amount) AS amount
         FROM (SELECT l.status, l.amount FROM ledger l JOIN payrolls p ON p.payroll_id = l.payroll_id
               WHERE left(l.county_code, length($1)) = $1 AND p.month = $2 AND l.status NOT IN ('sent', 'paid')
               UNION ALL
               SELECT l.status, l.amount FROM ledger l
               WHERE l.kind = 'temporary_grant' AND left(l.county_code, length($1)) = $1 AND l.month = $2
                 AND l.status NOT IN ('sent', 'paid')
                 AND NOT EXISTS (SELECT 1 FROM payrolls p WHERE p.payroll_id = l.payroll_id)) l
         GROUP BY 1`,
        [region, month],
      );
      return rows.map((r) => ({ bucket: r.bucket, count: r.count, amount: r.amount }));
    },
  };
}
