import type pg from 'pg';
import type { RosterEntry } from '../../domain/close-relative-roster';
import type { CivilDate } from '../../domain/dates';
import { type RosterChanges, type RosterSubmission, rosterChanges } from '../../domain/roster-update';
import { inTransaction } from '../pool';
import { appendAudit } from './audit';

// R-O1: the county's close-relative roster. Written only by the API (`POST /v1/oversight/roster`,
// no workflow owns it): each submission in one transaction with its audit event (R-O6); entries
// are ended, never deleted. Read by the workflows' roster check (activities/close-relatives.ts) and
// by the API's list.

const ENTRY_COLUMNS = `entry_id::text AS "entryId", county_code AS "countyCode", staff_ref, staff_name, position,
  post, region_code, relative_id_number, relative_name, relation, effective_from::text AS "effectiveFrom",
  ended_on::text AS "endedOn"`;

type EntryRow = {
  entryId: string;
  countyCode: string;
  staff_ref: string;
  staff_name: string;
  position: RosterEntry['staff']['position'];
  post: string | null;
  region_code: string;
  relative_id_number: string;
  relative_name: string;
  relation: RosterEntry['relative']['relation'];
  effectiveFrom: CivilDate;
  endedOn: CivilDate | null;
};

const entryOf = (r: EntryRow): RosterEntry & { countyCode: string } => ({
  entryId: r.entryId,
  countyCode: r.countyCode,
  staff: {
    ref: r.staff_ref,
    name: r.staff_name,
    position: r.position,
    ...(r.post ? { post: r.post } : {}),
    regionCode: r.region_code,
  },
  relative: { idNumber: r.relative_id_number, name: r.relative_name, relation: r.relation },
  effectiveFrom: r.effectiveFrom,
  ...(r.endedOn ? { endedOn: r.endedOn } : {}),
});

export interface RosterUpload {
  uploadId: string;
  format: 'json' | 'csv' | 'xlsx';
  recordedBy: string;
  recordedByRole: string;
  at: string;
}

export type RosterOutcome =
  | { uploadId: string; started: number; ended: number; unchanged: number }
  | { conflicts: RosterChanges['conflicts'] };

export function rosterRepository(pool: pg.Pool) {
  return {
    /**
     * R-O1: records a checked submission once (by upload id): the relations it starts and ends,
     * computed against the county's open entries under a lock of the county's roster, so two
     * submissions never interleave. Entries that would end before their first day: nothing written.
     */
    async record(s: RosterSubmission, u: RosterUpload): Promise<RosterOutcome> {
      return inTransaction(pool, async (c) => {
        await c.query(`SELECT pg_advisory_xact_lock(hashtext('close_relative_roster:' || $1))`, [
          s.countyCode,
        ]);
        const done = await c.query(
          'SELECT upload_id AS "uploadId", started, ended, unchanged FROM roster_uploads WHERE upload_id = $1',
          [u.uploadId],
        );
        if (done.rows[0]) return done.rows[0];
        const open = await c.query<EntryRow>(
          `SELECT ${ENTRY_COLUMNS} FROM close_relative_roster WHERE county_code = $1 AND ended_on IS NULL
           ORDER BY entry_id`,
          [s.countyCode],
        );
        const changes = rosterChanges(open.rows.map(entryOf), s);
        if (changes.conflicts.length) return { conflicts: changes.conflicts };
        const counts = {
          started: changes.start.length,
          ended: changes.end.length,
          unchanged: changes.unchanged,
        };
        await c.query(
          `INSERT INTO roster_uploads (upload_id, county_code, effective_on, complete, format, started, ended,
             unchanged, recorded_by, recorded_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
          [
            u.uploadId,
            s.countyCode,
            s.effectiveOn,
            s.complete,
            u.format,
            counts.started,
            counts.ended,
            counts.unchanged,
            u.recordedBy,
            u.at,
          ],
        );
        await c.query(
          `UPDATE close_relative_roster SET ended_on = $2, ended_in = $3
           WHERE entry_id = ANY($1::bigint[]) AND ended_on IS NULL`,
          [changes.end.map((e) => e.entryId), s.effectiveOn, u.uploadId],
        );
        const st = changes.start;
        await c.query(
          `INSERT INTO close_relative_roster (county_code, staff_ref, staff_name, position, post, region_code,
             relative_id_number, relative_name, relation, effective_from, started_in)
           SELECT $1, ref, sname, pos, post, region, rid, rname, rel, $2, $3
           FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
             $11::text[]) WITH ORDINALITY AS t(ref, sname, pos, post, region, rid, rname, rel, n)
           ORDER BY n`,
          [
            s.countyCode,
            s.effectiveOn,
            u.uploadId,
            st.map((e) => e.staff.ref),
            st.map((e) => e.staff.name),
            st.map((e) => e.staff.position),
            st.map((e) => e.staff.post ?? null),
            st.map((e) => e.staff.regionCode),
            st.map((e) => e.relative.idNumber),
            st.map((e) => e.relative.name),
            st.map((e) => e.relative.relation),
          ],
        );
        // R-O6: who changed the roster, when, from which day; counts only (no names, no ID numbers).
        await appendAudit(c, [
          {
            eventKey: `roster:${u.uploadId}`,
            subjectKind: 'roster',
            subjectId: u.uploadId,
            action: 'roster_updated',
            actorSub: u.recordedBy,
            actorRole: u.recordedByRole,
            occurredAt: u.at,
            payload: {
              countyCode: s.countyCode,
              effectiveOn: s.effectiveOn,
              complete: s.complete,
              format: u.format,
              ...counts,
            },
          },
        ]);
        return { uploadId: u.uploadId, ...counts };
      });
    },

    /** R-O1: every entry, open or ended, of the county naming one of these ID numbers (the check). */
    async forRelatives(countyCode: string, idNumbers: string[]): Promise<RosterEntry[]> {
      const { rows } = await pool.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM close_relative_roster
         WHERE relative_id_number = ANY($1::text[]) AND county_code = $2 ORDER BY entry_id`,
        [idNumbers.map((i) => i.trim().toUpperCase()), countyCode],
      );
      return rows.map(entryOf);
    },

    /**
     * The entries of staff members serving in a region (county, township or village), by entry id:
     * those in force on `asOf`, or all of them, ended ones included.
     */
    async list(q: { region: string; asOf?: CivilDate; after: number; limit: number }) {
      const { rows } = await pool.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM close_relative_roster
         WHERE region_code LIKE $1 || '%' AND entry_id > $2
           AND ($3::date IS NULL OR (effective_from <= $3::date AND (ended_on IS NULL OR ended_on > $3::date)))
         ORDER BY entry_id LIMIT $4`,
        [q.region, q.after, q.asOf ?? null, q.limit],
      );
      return rows.map(entryOf);
    },
  };
}
