import type pg from 'pg';
import type { ComparisonHit } from '../../workflows/contracts';

// R-M6 data-comparison hits as received. No workflow owns this table: the integration intake is its
// one writer (the case workflow learns of a hit by signal and keeps its own check task). A hit id
// already received is a duplicate; a hit that reached a case is sent again on a resend, since the
// case deduplicates by the hit id and a lost signal must not stay lost.

export type HitIntakeOutcome = 'matched' | 'unknown' | 'duplicate';

export function comparisonHitsRepository(pool: pg.Pool) {
  return {
    /** Records each hit once; returns the ids actually inserted. */
    async record(rows: { hit: ComparisonHit; caseId: string | null; outcome: HitIntakeOutcome }[]) {
      if (rows.length === 0) return new Set<string>();
      const { rows: ins } = await pool.query(
        `INSERT INTO comparison_hits (hit_id, kind, id_number, detected_on, source, details, case_id, outcome)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[],
           $7::text[], $8::text[])
         ON CONFLICT (hit_id) DO NOTHING RETURNING hit_id`,
        [
          rows.map((r) => r.hit.hitId),
          rows.map((r) => r.hit.kind),
          rows.map((r) => r.hit.idNumber),
          rows.map((r) => r.hit.detectedOn),
          rows.map((r) => r.hit.source),
          rows.map((r) => r.hit.details),
          rows.map((r) => r.caseId),
          rows.map((r) => r.outcome),
        ],
      );
      return new Set(ins.map((r) => r.hit_id as string));
    },

    /** The ids among `hitIds` that were forwarded to a case (sent again on a resend). */
    async forwarded(hitIds: string[]): Promise<Set<string>> {
      if (hitIds.length === 0) return new Set();
      const { rows } = await pool.query(
        `SELECT hit_id FROM comparison_hits
         WHERE hit_id = ANY($1::text[]) AND outcome = 'matched' AND case_id IS NOT NULL`,
        [hitIds],
      );
      return new Set(rows.map((r) => r.hit_id as string));
    },

    /** The case's workflow is gone: nothing holds the person any more. */
    async markUnknown(hitId: string): Promise<void> {
      await pool.query(`UPDATE comparison_hits SET outcome = 'unknown' WHERE hit_id = $1`, [hitId]);
    },
  };
}
