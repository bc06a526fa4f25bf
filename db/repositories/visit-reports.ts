import type pg from 'pg';
import type { CivilDate, YearMonth } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';

// R-M7: a village's monthly visit report (a zero report when nothing happened) and the township's
// forwarding to the county. No workflow owns these tables: the visit-report routes are their one
// writer. A report's entries reach the cases by signal; what a case made of them is the case's.

/** An entry as stored with the report: where the API sent it (its answer to the village). */
export interface StoredVisitEntry {
  idNumber: string;
  kind: string;
  occurredOn: CivilDate;
  perCapitaIncome?: string;
  summary: string;
  outcome: 'matched' | 'unknown' | 'forbidden';
  caseId?: string;
}

export interface StoredVisitReport<E> {
  zeroReport: boolean;
  entries: E[];
  submittedOn: CivilDate;
}

export function visitReportsRepository(pool: pg.Pool) {
  return {
    /** One report per village and month: the stored one when the month was already reported, else undefined. */
    async submit<E extends StoredVisitEntry>(r: {
      villageCode: string;
      month: YearMonth;
      zeroReport: boolean;
      entries: E[];
      submittedBy: string;
      submittedOn: CivilDate;
    }): Promise<StoredVisitReport<E> | undefined> {
      const ins = await pool.query(
        `INSERT INTO visit_reports (village_code, month, township_code, county_code, zero_report, entries,
           submitted_by, submitted_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (village_code, month) DO NOTHING`,
        [
          r.villageCode,
          r.month,
          townshipOf(r.villageCode),
          countyOf(r.villageCode),
          r.zeroReport,
          JSON.stringify(r.entries),
          r.submittedBy,
          r.submittedOn,
        ],
      );
      if (ins.rowCount === 1) return undefined;
      const { rows } = await pool.query(
        'SELECT zero_report, entries, submitted_on FROM visit_reports WHERE village_code = $1 AND month = $2',
        [r.villageCode, r.month],
      );
      return { zeroReport: rows[0].zero_report, entries: rows[0].entries, submittedOn: rows[0].submitted_on };
    },

    /** Villages of the township with open cases that have not reported the month. */
    async villagesWithoutReport(townshipCode: string, month: YearMonth): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT DISTINCT c.village_code FROM cases c
         WHERE c.township_code = $1 AND c.status <> 'closed'
           AND NOT EXISTS (SELECT 1 FROM visit_reports v WHERE v.village_code = c.village_code AND v.month = $2)
         ORDER BY c.village_code`,
        [townshipCode, month],
      );
      return rows.map((r) => r.village_code as string);
    },

    /** The township forwards the month once; answers whether this call did it, and when it was done. */
    async forward(f: {
      townshipCode: string;
      month: YearMonth;
      forwardedBy: string;
      forwardedOn: CivilDate;
    }): Promise<{ created: boolean; forwardedOn: CivilDate }> {
      const ins = await pool.query(
        `INSERT INTO township_forwards (township_code, month, county_code, forwarded_by, forwarded_on)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (township_code, month) DO NOTHING`,
        [f.townshipCode, f.month, countyOf(f.townshipCode), f.forwardedBy, f.forwardedOn],
      );
      const { rows } = await pool.query(
        'SELECT forwarded_on FROM township_forwards WHERE township_code = $1 AND month = $2',
        [f.townshipCode, f.month],
      );
      return { created: ins.rowCount === 1, forwardedOn: rows[0].forwarded_on as CivilDate };
    },
  };
}
