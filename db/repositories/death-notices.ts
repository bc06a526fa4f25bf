import type pg from 'pg';
import type { DeathNotice, DeathNoticeOutcome } from '../../workflows/messages';

// R-M2 death notices. `death_notices` is the case workflow's record of each notice it received and
// what it made of it (applied, duplicate, not a member): its one writer is the case's activity
// recordDeathNotice. Whether a notice reached its case is the delivery's business (the signal, the
// staff Update), never a column read back here. `unmatched_death_notices` keeps the notices no case
// holds; the integration intake is its one writer.

export function deathNoticesRepository(pool: pg.Pool) {
  return {
    /** The case records a notice it received; a retried activity writes the same row again. */
    async record(caseId: string, notice: DeathNotice, outcome: DeathNoticeOutcome): Promise<void> {
      await pool.query(
        `INSERT INTO death_notices (notice_id, id_number, died_on, source, case_id, outcome, reported_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (notice_id) DO UPDATE SET case_id = EXCLUDED.case_id, outcome = EXCLUDED.outcome`,
        [
          notice.noticeId,
          notice.idNumber,
          notice.diedOn,
          notice.source,
          caseId,
          outcome,
          notice.reportedBy?.sub ?? null,
        ],
      );
    },

    /** Case histories recorded before the case wrote its own notices set the outcome of an existing row. */
    async setOutcome(noticeId: string, caseId: string, outcome: DeathNoticeOutcome): Promise<void> {
      await pool.query('UPDATE death_notices SET outcome = $2, case_id = $3 WHERE notice_id = $1', [
        noticeId,
        outcome,
        caseId,
      ]);
    },

    /** The ids among `noticeIds` a case has recorded. */
    async recordedByCase(noticeIds: string[]): Promise<Set<string>> {
      if (noticeIds.length === 0) return new Set();
      const { rows } = await pool.query(
        'SELECT notice_id FROM death_notices WHERE notice_id = ANY($1::text[])',
        [noticeIds],
      );
      return new Set(rows.map((r) => r.notice_id as string));
    },

    /** The ids among `noticeIds` already received: recorded by a case, or kept as unmatched. */
    async received(noticeIds: string[]): Promise<Set<string>> {
      if (noticeIds.length === 0) return new Set();
      const { rows } = await pool.query(
        `SELECT notice_id FROM death_notices WHERE notice_id = ANY($1::text[])
         UNION SELECT notice_id FROM unmatched_death_notices WHERE notice_id = ANY($1::text[])`,
        [noticeIds],
      );
      return new Set(rows.map((r) => r.notice_id as string));
    },

    /** Keeps notices no case holds; returns the ids actually inserted (a conflict: already received). */
    async recordUnmatched(notices: Omit<DeathNotice, 'receivedOn'>[]): Promise<Set<string>> {
      if (notices.length === 0) return new Set();
      const { rows } = await pool.query(
        `INSERT INTO unmatched_death_notices (notice_id, id_number, died_on, source, reported_by)
         SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[])
         ON CONFLICT (notice_id) DO NOTHING RETURNING notice_id`,
        [
          notices.map((n) => n.noticeId),
          notices.map((n) => n.idNumber),
          notices.map((n) => n.diedOn),
          notices.map((n) => n.source),
          notices.map((n) => n.reportedBy?.sub ?? null),
        ],
      );
      return new Set(rows.map((r) => r.notice_id as string));
    },
  };
}
