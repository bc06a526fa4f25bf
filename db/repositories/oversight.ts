import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';

// Oversight reads (R-O1, R-O6) from what the workflows wrote: the close-relative filings (the
// application workflow at receipt, the case workflow at each re-review) and the audit trail
// (`audit_events`, each workflow for its own subject). Nothing here writes.

/**
 * The village of an audit event's subject, for the reach rule: a new subject kind whose workflow
 * writes `audit_events` adds its LEFT JOIN and its column to the COALESCE. A spot-check round and
 * a roster update (R-O1) are the county's (its county code stands for the village: only county-wide
 * callers reach them).
 */
const SUBJECT_VILLAGE = `
  LEFT JOIN applications sa ON e.subject_kind = 'application' AND sa.application_id = e.subject_id
  LEFT JOIN cases sc ON e.subject_kind = 'case' AND sc.case_id = e.subject_id
  LEFT JOIN complaints sk ON e.subject_kind = 'complaint' AND sk.complaint_id = e.subject_id
  LEFT JOIN spot_checks sq ON e.subject_kind = 'spot_check' AND sq.check_id = e.subject_id
  LEFT JOIN spot_check_rounds sr ON e.subject_kind = 'spot_check' AND sr.round_id = e.subject_id
  LEFT JOIN roster_uploads ru ON e.subject_kind = 'roster' AND ru.upload_id = e.subject_id
  LEFT JOIN temporary_assistance st ON e.subject_kind = 'temporary_assistance' AND st.assistance_id = e.subject_id
  LEFT JOIN register_households sh ON e.subject_kind = 'register' AND sh.household_key = e.subject_id`;
const VILLAGE =
  'COALESCE(sa.village_code, sc.village_code, sk.village_code, sq.village_code, sr.county_code, ru.county_code, st.village_code, sh.village_code)';

export interface AuditQuery {
  actor: string;
  from?: CivilDate;
  to?: CivilDate;
  region: string;
  /** Events without a village (e.g. codec decodes of a namespace) only for a province or above. */
  withoutVillage: boolean;
  after: number;
  limit: number;
}

export interface AuditItem {
  id: number;
  subjectKind: string;
  subjectId: string;
  villageCode: string | null;
  action: string;
  actorSub: string;
  actorRole: string | null;
  occurredAt: string;
  reason: string | null;
  parameterVersion: string | null;
  details: Record<string, unknown>;
}

export interface FilingRow {
  /** Null for a case brought in by a caseload import (no application). */
  applicationId: string | null;
  caseId: string | null;
  villageCode: string;
  subjectKind: string;
  subjectId: string;
  occasion: string;
  filedOn: CivilDate;
  filedBy: string;
  /** `clerk` (the receipt's box), `roster` (a match), `case` (a close-relative case filed again). */
  source: 'clerk' | 'roster' | 'case';
  details: FilingDetails;
  /** The clerk's filing at the application's receipt, whatever page it fell on. */
  receiptDetails: FilingDetails | null;
}

interface FilingDetails {
  member?: { idNumber: string; name: string };
  relatedTo?: { name: string; position: string; post?: string };
  relation?: string;
  /** R-O1: the roster's matches (activities/close-relatives.ts). */
  matches?: {
    member: { idNumber: string; name: string };
    relatedTo: { ref: string; name: string; position: string; post?: string };
    relation: string;
  }[];
}

export function oversightRepository(pool: pg.Pool) {
  return {
    /** R-O6: what one staff member did, in a period (Asia/Shanghai days), oldest first, by id. */
    async auditByActor(q: AuditQuery): Promise<AuditItem[]> {
      const { rows } = await pool.query(
        `SELECT e.id::int AS id, e.subject_kind AS "subjectKind", e.subject_id AS "subjectId",
                ${VILLAGE} AS "villageCode", e.action, e.actor_sub AS "actorSub", e.actor_role AS "actorRole",
                e.occurred_at AS "occurredAt", e.reason, e.parameter_version AS "parameterVersion",
                e.payload AS details
         FROM audit_events e ${SUBJECT_VILLAGE}
         WHERE e.actor_sub = $1 AND e.id > $2
           AND ($3::date IS NULL OR e.occurred_at >= ($3::date::timestamp AT TIME ZONE 'Asia/Shanghai'))
           AND ($4::date IS NULL OR e.occurred_at < (($4::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))
           AND (${VILLAGE} LIKE $5 || '%' OR (${VILLAGE} IS NULL AND $6::boolean))
         ORDER BY e.id LIMIT $7`,
        [q.actor, q.after, q.from ?? null, q.to ?? null, q.region, q.withoutVillage, q.limit],
      );
      return rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt).toISOString() }));
    },

    /**
     * R-O1: every filing of a region — the clerk's at receipt, the roster's matches (receipt,
     * investigation, change of members, re-review, import) and a close-relative case's own at each
     * re-review — by township, application (or imported case) and date.
     */
    async closeRelativeFilings(region: string, limit: number, offset: number): Promise<FilingRow[]> {
      const { rows } = await pool.query(
        `SELECT a.application_id AS "applicationId", COALESCE(c.case_id, ac.case_id) AS "caseId",
                COALESCE(a.village_code, c.village_code) AS "villageCode",
                f.subject_kind AS "subjectKind", f.subject_id AS "subjectId", f.occasion,
                f.filed_on AS "filedOn", f.filed_by AS "filedBy", f.source, f.details,
                r.details AS "receiptDetails"
         FROM close_relative_filings f
         LEFT JOIN cases c ON f.subject_kind = 'case' AND c.case_id = f.subject_id
         LEFT JOIN applications a
           ON a.application_id = CASE WHEN f.subject_kind = 'case' THEN c.application_id ELSE f.subject_id END
         LEFT JOIN cases ac ON ac.application_id = a.application_id
         LEFT JOIN close_relative_filings r
           ON r.subject_kind = 'application' AND r.subject_id = a.application_id AND r.occasion = 'receipt'
             AND r.source = 'clerk'
         WHERE COALESCE(a.village_code, c.village_code) LIKE $1 || '%'
         ORDER BY COALESCE(a.township_code, c.township_code), COALESCE(a.application_id, c.case_id),
                  f.filed_on, f.occasion, f.source
         LIMIT $2 OFFSET $3`,
        [region, limit, offset],
      );
      return rows;
    },
  };
}
