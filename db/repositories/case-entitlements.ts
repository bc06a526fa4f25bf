import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';
import type { RateEntry, RosteredMonth } from '../../domain/entitlement';
import type { Adjustment, CaseView } from '../../workflows/contracts';
import { regionOf } from './cases';

// A case's money: its effective-dated rates (`entitlements`, R-A8, R-M8), the months handed to the
// payroll (`case_months`, R-M1) and the back-pay or recoveries for months already rostered
// (`case_adjustments`, R-M2, R-M5, R-M8), each written once per key by the case workflow. The API
// reads a case's payments here.

export function caseEntitlementsRepository(pool: pg.Pool) {
  return {
    async recordRate(caseId: string, entry: RateEntry, decidedOn: CivilDate): Promise<void> {
      await pool.query(
        `INSERT INTO entitlements (entry_key, case_id, effective_month, monthly_amount, reason, parameter_version,
           persons, decided_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (entry_key) DO NOTHING`,
        [
          entry.key,
          caseId,
          entry.fromMonth,
          entry.monthlyAmount,
          entry.reason,
          entry.parameterVersion,
          entry.persons,
          decidedOn,
        ],
      );
    },

    async recordMonth(args: {
      caseId: string;
      villageCode: string;
      category: CaseView['category'];
      residence: CaseView['residence'];
      month: RosteredMonth;
      rosteredOn: CivilDate;
      parameterVersion: string;
    }): Promise<void> {
      const { month } = args;
      await pool.query(
        `INSERT INTO case_months (case_id, month, county_code, township_code, village_code, category, residence,
           amount, persons, status, rostered_on, parameter_version)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (case_id, month) DO NOTHING`,
        [
          args.caseId,
          month.month,
          ...regionOf(args.villageCode),
          args.category,
          args.residence,
          month.amount,
          month.persons,
          month.status,
          args.rosteredOn,
          args.parameterVersion,
        ],
      );
    },

    async recordAdjustment(args: {
      caseId: string;
      villageCode: string;
      category: CaseView['category'];
      adjustment: Adjustment;
    }): Promise<void> {
      const a = args.adjustment;
      await pool.query(
        `INSERT INTO case_adjustments (adjustment_key, case_id, county_code, township_code, village_code, category,
           kind, amount, months, reason, decided_on, parameter_version)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (adjustment_key) DO NOTHING`,
        [
          a.key,
          args.caseId,
          ...regionOf(args.villageCode),
          args.category,
          a.kind,
          a.amount,
          a.months,
          a.reason,
          a.on,
          a.parameterVersion,
        ],
      );
    },

    /** The months rostered, the adjustments decided and the payroll's ledger rows of one case. */
    async payments(caseId: string) {
      const [months, adjustments, ledger] = await Promise.all([
        pool.query(
          'SELECT month, amount, persons, status, rostered_on FROM case_months WHERE case_id = $1 ORDER BY month',
          [caseId],
        ),
        pool.query(
          `SELECT adjustment_key, kind, amount, months, reason, decided_on, settled_amount, demand_id
           FROM case_adjustments WHERE case_id = $1 ORDER BY decided_on, recorded_at`,
          [caseId],
        ),
        pool.query(
          `SELECT payroll_id, month, kind, amount, status, attempts, payment_line_id FROM ledger WHERE case_id = $1
           ORDER BY month, kind`,
          [caseId],
        ),
      ]);
      return {
        ledger: ledger.rows.map((l) => ({
          payrollId: l.payroll_id as string,
          month: l.month as string,
          kind: l.kind,
          amount: l.amount as string,
          status: l.status,
          attempts: l.attempts as number,
          paymentLineId: l.payment_line_id as string | null,
        })),
        months: months.rows.map((m) => ({
          month: m.month as string,
          amount: m.amount as string,
          persons: m.persons as number,
          status: m.status,
          rosteredOn: m.rostered_on as string,
        })),
        adjustments: adjustments.rows.map((a) => ({
          key: a.adjustment_key as string,
          kind: a.kind,
          amount: a.amount as string,
          months: a.months as string[],
          reason: a.reason as string,
          decidedOn: a.decided_on as string,
          settledAmount: a.settled_amount as string,
          demandId: (a.demand_id as string | null) ?? null,
        })),
      };
    },
  };
}
