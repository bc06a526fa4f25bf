import type pg from 'pg';
import { sum, toMoney } from '../../domain/money';
import type { ClaimedRecoveries, DemandStatus, RepaymentDemand } from '../../workflows/contracts';
import { inTransaction } from '../pool';

// repayment_demands (R-M10): written only by the case workflow (`claimOpenRecoveries`, `saveDemand`),
// like the adjustments whose open part a demand takes over. The API reads a case's demands here.

export function repaymentDemandsRepository(pool: pg.Pool) {
  return {
    /**
     * The closed case's open recoveries become demand `demandId`, in one transaction: they are
     * locked (waiting for a payroll that is offsetting them now), their open part summed and marked
     * taken over, so no payroll offsets them again. A retry answers with what the demand took over.
     */
    async claimOpenRecoveries(caseId: string, demandId: string): Promise<ClaimedRecoveries | null> {
      return inTransaction(pool, async (c) => {
        const done = await c.query(
          'SELECT amount, months, adjustment_keys, reasons FROM repayment_demands WHERE demand_id = $1',
          [demandId],
        );
        if (done.rows[0]) {
          const d = done.rows[0];
          const grounds = await c.query(
            'SELECT reason FROM case_adjustments WHERE adjustment_key = ANY($1) ORDER BY recorded_at',
            [d.adjustment_keys],
          );
          return {
            amount: d.amount,
            months: d.months,
            adjustmentKeys: d.adjustment_keys,
            reasons: grounds.rows.map((r) => r.reason),
          };
        }
        const { rows } = await c.query(
          `SELECT adjustment_key, amount - settled_amount AS open, months, reason
           FROM case_adjustments
           WHERE case_id = $1 AND kind = 'recovery' AND demand_id IS NULL AND settled_amount < amount
           ORDER BY recorded_at, adjustment_key FOR UPDATE`,
          [caseId],
        );
        if (!rows.length) return null;
        const claimed: ClaimedRecoveries = {
          amount: toMoney(sum(rows.map((r) => r.open as string))),
          months: [...new Set(rows.flatMap((r) => r.months as string[]))].sort(),
          adjustmentKeys: rows.map((r) => r.adjustment_key),
          reasons: rows.map((r) => r.reason),
        };
        await c.query(
          `INSERT INTO repayment_demands (demand_id, case_id, county_code, township_code, village_code, category,
             residence, amount, months, adjustment_keys, reasons, issued_on, issued_by, status)
           SELECT $1, c.case_id, c.county_code, c.township_code, c.village_code, c.category,
             coalesce(c.view->>'residence', 'rural'), $3, $4, $5, $6, current_date, 'pending', 'open'
           FROM cases c WHERE c.case_id = $2`,
          [
            demandId,
            caseId,
            claimed.amount,
            claimed.months,
            claimed.adjustmentKeys,
            claimed.reasons.join('; '),
          ],
        );
        await c.query('UPDATE case_adjustments SET demand_id = $1 WHERE adjustment_key = ANY($2)', [
          demandId,
          claimed.adjustmentKeys,
        ]);
        return claimed;
      });
    },

    /** The demand as the case keeps it: its notice, repayments, write-off and status. */
    async save(caseId: string, d: RepaymentDemand): Promise<void> {
      await pool.query(
        `UPDATE repayment_demands SET reasons = $3, issued_on = $4, issued_by = $5, notice_id = $6, status = $7,
           repaid_amount = $8, written_off_amount = $9, steps = $10, closed_on = $11, updated_at = now()
         WHERE demand_id = $1 AND case_id = $2`,
        [
          d.demandId,
          caseId,
          d.reasons,
          d.issuedOn,
          d.issuedBy,
          d.noticeId ?? null,
          d.status,
          d.repaid,
          d.writtenOff,
          JSON.stringify(d.steps),
          d.closedOn ?? null,
        ],
      );
    },

    /** A case's demands, oldest first (the payments view). */
    async byCase(caseId: string) {
      const { rows } = await pool.query(
        `SELECT demand_id, amount, months, reasons, issued_on, notice_id, status, repaid_amount,
           written_off_amount, amount - repaid_amount - written_off_amount AS outstanding, steps, closed_on
         FROM repayment_demands WHERE case_id = $1 ORDER BY issued_on, demand_id`,
        [caseId],
      );
      return rows.map((r) => ({
        demandId: r.demand_id as string,
        amount: r.amount as string,
        months: r.months as string[],
        reasons: r.reasons as string,
        issuedOn: r.issued_on as string,
        noticeId: (r.notice_id as string | null) ?? null,
        status: r.status as DemandStatus,
        repaid: r.repaid_amount as string,
        writtenOff: r.written_off_amount as string,
        outstanding: r.outstanding as string,
        steps: r.steps as unknown[],
        closedOn: (r.closed_on as string | null) ?? null,
      }));
    },
  };
}
