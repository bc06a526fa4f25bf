import { isDeepStrictEqual } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS, type DeadlineParameters } from '../../domain/deadlines';
import { type PolicyParameters, policyParametersSchema } from '../../domain/policy';
import { inTransaction } from '../pool';

// policy_versions: effective-dated county parameters (R-E*, R-M8, R-A6 deadlines). Written only by
// the administrators' route (PUT /v1/admin/standards) through saveVersion; read by the API and by
// the activities that load a workflow's context (R-O6: the version travels in the workflow input).

export type PolicyRow = { version: string; parameters: Record<string, unknown> };

/** The deadline parameters of a stored policy: the defaults with the county's overrides (R-A6, R-M7). */
function deadlinesOf(parameters: Record<string, unknown>): DeadlineParameters {
  return {
    ...DEFAULT_DEADLINE_PARAMETERS,
    ...((parameters.deadlines as Partial<DeadlineParameters> | undefined) ?? {}),
  };
}

/** A stored policy row as workflows use it: validated parameters (version of the row) and deadlines. */
export function storedPolicy(row: PolicyRow): { policy: PolicyParameters; deadlines: DeadlineParameters } {
  return {
    policy: policyParametersSchema.parse({ ...row.parameters, version: row.version }),
    deadlines: deadlinesOf(row.parameters),
  };
}

export function policiesRepository(pool: pg.Pool) {
  /** The newest version in force on a date (a later correction with the same date wins). */
  async function row(countyCode: string, onDate: CivilDate): Promise<PolicyRow | undefined> {
    const { rows } = await pool.query(
      `SELECT version, parameters FROM policy_versions
       WHERE county_code = $1 AND effective_from <= $2
       ORDER BY effective_from DESC, created_at DESC LIMIT 1`,
      [countyCode, onDate],
    );
    return rows[0] as PolicyRow | undefined;
  }

  return {
    row,

    /** The county's policy in force on a date; none is a non-retryable `NoPolicy` failure. */
    async inForce(countyCode: string, onDate: CivilDate) {
      const found = await row(countyCode, onDate);
      if (!found) {
        throw ApplicationFailure.create({
          type: 'NoPolicy',
          message: `county ${countyCode} has no policy parameters in force on ${onDate}`,
          nonRetryable: true,
        });
      }
      return storedPolicy(found);
    },

    /** A county's deadline parameters in force on a date (the defaults when it has no policy yet). */
    async deadlines(countyCode: string, onDate: CivilDate): Promise<DeadlineParameters> {
      const found = await row(countyCode, onDate);
      return found ? deadlinesOf(found.parameters) : { ...DEFAULT_DEADLINE_PARAMETERS };
    },

    /**
     * R-M8: the county's versions published after `afterVersion` (all of them when it is unknown),
     * in the order they take effect.
     */
    async newerThan(countyCode: string, afterVersion: string): Promise<PolicyParameters[]> {
      const { rows } = await pool.query(
        `SELECT version, parameters FROM policy_versions
         WHERE county_code = $1
           AND created_at > coalesce((SELECT created_at FROM policy_versions WHERE version = $2), '-infinity')
         ORDER BY effective_from, created_at`,
        [countyCode, afterVersion],
      );
      return rows.map((r) => storedPolicy(r).policy);
    },

    /** Every version of a county, oldest first, parameters read as the workflows read them. */
    async versions(countyCode: string) {
      const { rows } = await pool.query(
        `SELECT version, effective_from::text AS effective_from, parameters, created_by, created_at
         FROM policy_versions WHERE county_code = $1 ORDER BY effective_from, created_at`,
        [countyCode],
      );
      return rows.map((r) => ({
        version: r.version as string,
        effectiveFrom: r.effective_from as string,
        createdBy: r.created_by as string,
        createdAt: (r.created_at as Date).toISOString(),
        parameters: {
          ...policyParametersSchema.parse(r.parameters),
          deadlines: { ...deadlinesOf(r.parameters) },
        },
      }));
    },

    /**
     * Stores a county's parameters from a date as a new version `<county>-<date>-v<n>`, unless the
     * newest version of that date holds the same parameters (R-M8: the same standard again is no
     * new version). `parameters(version)` builds what is stored under a version id.
     */
    async saveVersion(args: {
      countyCode: string;
      effectiveFrom: CivilDate;
      createdBy: string;
      parameters: (version: string) => Record<string, unknown>;
    }): Promise<{ version: string; unchanged: boolean }> {
      return inTransaction(pool, async (db) => {
        // Two concurrent writes for the same county and date must not take the same version.
        await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policy_versions:${args.countyCode}`]);
        const { rows } = await db.query(
          `SELECT version, parameters FROM policy_versions WHERE county_code = $1 AND effective_from = $2
           ORDER BY created_at DESC`,
          [args.countyCode, args.effectiveFrom],
        );
        // Compared as stored: jsonb drops undefined members and keeps no key order.
        const stored = (version: string) => JSON.parse(JSON.stringify(args.parameters(version)));
        const latest = rows[0];
        if (latest && isDeepStrictEqual(latest.parameters, stored(latest.version)))
          return { version: latest.version as string, unchanged: true };
        const version = `${args.countyCode}-${args.effectiveFrom}-v${rows.length + 1}`;
        await db.query(
          `INSERT INTO policy_versions (county_code, version, effective_from, parameters, created_by)
           VALUES ($1, $2, $3, $4, $5)`,
          [args.countyCode, version, args.effectiveFrom, JSON.stringify(stored(version)), args.createdBy],
        );
        return { version, unchanged: false };
      });
    },
  };
}

export type PoliciesRepository = ReturnType<typeof policiesRepository>;
