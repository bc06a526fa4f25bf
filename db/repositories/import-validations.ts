import type pg from 'pg';

// import_validations: the progress of a caseload upload answered at once (`Prefer: respond-async`)
// while an import thread validates it. Written by the import route only; the batch itself goes to
// `imports` (imports.ts) once valid.

export interface ImportValidation {
  importId: string;
  countyCode: string;
  status: 'validating' | 'refused' | 'accepted';
  rowsTotal: number | null;
  rowsChecked: number;
  problem: Record<string, unknown> | null;
  createdAt: string;
  /** Seconds since the last progress write (a validation whose API stopped moves no more). */
  idleSeconds: number;
}

export function importValidationsRepository(pool: pg.Pool) {
  return {
    /** The upload's validation begins; the same import id again (a retried request) writes nothing. */
    async begin(v: { importId: string; countyCode: string; createdBy: string }): Promise<void> {
      await pool.query(
        `INSERT INTO import_validations (import_id, county_code, created_by, status)
         VALUES ($1, $2, $3, 'validating') ON CONFLICT (import_id) DO NOTHING`,
        [v.importId, v.countyCode, v.createdBy],
      );
    },

    async progress(importId: string, p: { rowsTotal?: number; rowsChecked: number }): Promise<void> {
      await pool.query(
        `UPDATE import_validations SET rows_total = COALESCE($2, rows_total), rows_checked = $3, updated_at = now()
         WHERE import_id = $1 AND status = 'validating'`,
        [importId, p.rowsTotal ?? null, p.rowsChecked],
      );
    },

    /** The end of the validation: stored as an import (`accepted`), or refused with its problem. */
    async finish(
      importId: string,
      end:
        | { status: 'accepted'; rowsTotal: number }
        | { status: 'refused'; problem: Record<string, unknown> },
    ): Promise<void> {
      await pool.query(
        `UPDATE import_validations SET status = $2, rows_total = COALESCE($3, rows_total),
           rows_checked = COALESCE($3, rows_checked), problem = $4, updated_at = now()
         WHERE import_id = $1 AND status = 'validating'`,
        [
          importId,
          end.status,
          end.status === 'accepted' ? end.rowsTotal : null,
          end.status === 'refused' ? JSON.stringify(end.problem) : null,
        ],
      );
    },

    async find(importId: string): Promise<ImportValidation | undefined> {
      const { rows } = await pool.query(
        `SELECT import_id AS "importId", county_code AS "countyCode", status, rows_total AS "rowsTotal",
           rows_checked AS "rowsChecked", problem, created_at AS "createdAt",
           extract(epoch FROM now() - updated_at)::float8 AS "idleSeconds"
         FROM import_validations WHERE import_id = $1`,
        [importId],
      );
      const r = rows[0];
      return r && { ...r, createdAt: (r.createdAt as Date).toISOString() };
    },
  };
}

export type ImportValidationsRepository = ReturnType<typeof importValidationsRepository>;
