import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';
import {
  defaultTemporaryAssistanceLimits,
  type TemporaryAssistanceLimits,
} from '../../domain/temporary-assistance';
import { inTransaction } from '../pool';

// R-A10: `temporary_assistance_limits`, a county's reserve-fund limits and documentation deadline,
// effective-dated like the other county parameters (a change is a new version, nothing is edited,
// R-O6). Written only by the administrators' route (PUT /v1/admin/temporary-assistance-limits);
// read by the API when it receives a request (the version travels in the workflow input).

export type LimitsInput = Omit<TemporaryAssistanceLimits, 'version'>;

const COLUMNS = `version, county_code AS "countyCode", effective_from::text AS "effectiveFrom",
  per_grant AS "perGrant", per_household_year AS "perHouseholdYear",
  documentation_working_days AS "documentationWorkingDays",
  documentation_at_risk_working_days AS "documentationAtRiskWorkingDays"`;

const same = (a: LimitsInput, b: LimitsInput) =>
  a.perGrant === b.perGrant &&
  a.perHouseholdYear === b.perHouseholdYear &&
  a.documentationWorkingDays === b.documentationWorkingDays &&
  a.documentationAtRiskWorkingDays === b.documentationAtRiskWorkingDays;

export function temporaryAssistanceLimitsRepository(pool: pg.Pool) {
  return {
    /** The version in force on a date (a later correction with the same date wins), or the default. */
    async inForce(countyCode: string, onDate: CivilDate): Promise<TemporaryAssistanceLimits> {
      const { rows } = await pool.query(
        `SELECT ${COLUMNS} FROM temporary_assistance_limits WHERE county_code = $1 AND effective_from <= $2
         ORDER BY effective_from DESC, created_at DESC LIMIT 1`,
        [countyCode, onDate],
      );
      return rows[0] ?? defaultTemporaryAssistanceLimits(countyCode);
    },

    /** Every version of a county, oldest first. */
    async versions(countyCode: string): Promise<TemporaryAssistanceLimits[]> {
      const { rows } = await pool.query(
        `SELECT ${COLUMNS} FROM temporary_assistance_limits WHERE county_code = $1 ORDER BY effective_from, created_at`,
        [countyCode],
      );
      return rows;
    },

    /**
     * A new version `<county>-<date>-ta<n>`, unless the newest version of that date holds the same
     * limits (the same limits again are no new version).
     */
    async saveVersion(l: LimitsInput, createdBy: string): Promise<{ version: string; unchanged: boolean }> {
      return inTransaction(pool, async (db) => {
        await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `temporary_assistance_limits:${l.countyCode}`,
        ]);
        const { rows } = await db.query(
          `SELECT ${COLUMNS} FROM temporary_assistance_limits WHERE county_code = $1 AND effective_from = $2
           ORDER BY created_at DESC`,
          [l.countyCode, l.effectiveFrom],
        );
        const latest = rows[0] as TemporaryAssistanceLimits | undefined;
        if (latest && same(latest, l)) return { version: latest.version, unchanged: true };
        const version = `${l.countyCode}-${l.effectiveFrom}-ta${rows.length + 1}`;
        await db.query(
          `INSERT INTO temporary_assistance_limits (version, county_code, effective_from, per_grant, per_household_year,
             documentation_working_days, documentation_at_risk_working_days, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            version,
            l.countyCode,
            l.effectiveFrom,
            l.perGrant,
            l.perHouseholdYear,
            l.documentationWorkingDays,
            l.documentationAtRiskWorkingDays,
            createdBy,
          ],
        );
        return { version, unchanged: false };
      });
    },
  };
}
