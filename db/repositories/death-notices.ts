import type pg from 'pg';
import type { DeathNotice, DeathNoticeOutcome } from '../../workflows/contracts';

// R-M2 death notices. `death_notices` is the case workflow's record of each notice it received and
// what it made of it (applied, duplicate, not a member): its one writer is the case's activity
// recordDeathNotice. Whether a notice reached its case is the delivery's business (the signal, the
// staff Update), never a column read back here. `unmatched_death_notices` keeps the notices no case
// holds (yet): the integration intake is its one writer, and a case that comes to hold the person
// (an approval, an import) applies those it has not recorded (`waitingFor`).

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

    /**
     * R-M2: the pending application holding each person (an active enrolment of an application): a
     * notice for them is kept until the application is decided.
     */
    async pendingApplicationsOf(
      idNumbers: string[],
    ): Promise<Map<string, { applicationId: string; villageCode: string }>> {
      if (idNumbers.length === 0) return new Map();
      const { rows } = await pool.query(
        `SELECT pe.id_number, a.application_id, a.village_code
         FROM person_enrolments pe JOIN applications a ON a.application_id = pe.holder_id
         WHERE pe.holder_kind = 'application' AND pe.released_at IS NULL AND pe.id_number = ANY($1::text[])`,
        [idNumbers],
      );
      return new Map(
        rows.map((r) => [r.id_number, { applicationId: r.application_id, villageCode: r.village_code }]),
      );
    },

    /**
     * R-M2 R-M10: the closed case that last held each person (its enrolment released at closure): a
     * death reported after the closure is that case's to recover.
     */
    async closedCasesOf(idNumbers: string[]): Promise<Map<string, { caseId: string; villageCode: string }>> {
      if (idNumbers.length === 0) return new Map();
      const { rows } = await pool.query(
        `SELECT DISTINCT ON (pe.id_number) pe.id_number, c.case_id, c.village_code
         FROM person_enrolments pe JOIN cases c ON c.case_id = pe.holder_id
         WHERE pe.holder_kind = 'case' AND pe.released_at IS NOT NULL AND c.status = 'closed'
           AND pe.id_number = ANY($1::text[])
         ORDER BY pe.id_number, pe.held_at DESC`,
        [idNumbers],
      );
      return new Map(rows.map((r) => [r.id_number, { caseId: r.case_id, villageCode: r.village_code }]));
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

    /** R-M2: of these kept notices, the pending application each waits for (null: for any later case). */
    async keptFor(noticeIds: string[]): Promise<Map<string, string | null>> {
      if (noticeIds.length === 0) return new Map();
      const { rows } = await pool.query(
        'SELECT notice_id, application_id FROM unmatched_death_notices WHERE notice_id = ANY($1::text[])',
        [noticeIds],
      );
      return new Map(rows.map((r) => [r.notice_id as string, r.application_id as string | null]));
    },

    /**
     * R-M2: the kept notices for these persons that no case has recorded yet, oldest first — what a
     * case that now holds them (an approval, an import) applies at its start. The reporter is the
     * one the intake recorded (R-O6).
     */
    async waitingFor(idNumbers: string[]): Promise<DeathNotice[]> {
      if (idNumbers.length === 0) return [];
      const { rows } = await pool.query(
        `SELECT u.notice_id, u.id_number, to_char(u.died_on, 'YYYY-MM-DD') AS died_on, u.source,
                to_char(u.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS received_on,
                u.reported_by, u.reported_role, u.reported_region
         FROM unmatched_death_notices u
         WHERE u.id_number = ANY($1::text[])
           AND NOT EXISTS (SELECT 1 FROM death_notices d WHERE d.notice_id = u.notice_id)
         ORDER BY u.received_at, u.notice_id`,
        [idNumbers],
      );
      return rows.map((r) => ({
        noticeId: r.notice_id,
        idNumber: r.id_number,
        diedOn: r.died_on,
        source: r.source,
        receivedOn: r.received_on,
        ...(r.reported_by && r.reported_role
          ? { reportedBy: { sub: r.reported_by, role: r.reported_role, region: r.reported_region ?? '' } }
          : {}),
      }));
    },

    /** Keeps notices no case holds; returns the ids actually inserted (a conflict: already received). */
    async recordUnmatched(
      notices: (Omit<DeathNotice, 'receivedOn'> & { applicationId?: string })[],
    ): Promise<Set<string>> {
      if (notices.length === 0) return new Set();
      const { rows } = await pool.query(
        `INSERT INTO unmatched_death_notices (notice_id, id_number, died_on, source, reported_by, reported_role,
           reported_region, application_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::text[])
         ON CONFLICT (notice_id) DO NOTHING RETURNING notice_id`,
        [
          notices.map((n) => n.noticeId),
          notices.map((n) => n.idNumber),
          notices.map((n) => n.diedOn),
          notices.map((n) => n.source),
          notices.map((n) => n.reportedBy?.sub ?? null),
          notices.map((n) => n.reportedBy?.role ?? null),
          notices.map((n) => n.reportedBy?.region ?? null),
          notices.map((n) => n.applicationId ?? null),
        ],
      );
      return new Set(rows.map((r) => r.notice_id as string));
    },
  };
}
