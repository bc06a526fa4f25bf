import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';

// Oversight reads (R-O1, R-O6) from what the workflows wrote: the close-relative filings (the
// application workflow at receipt, the case workflow at each re-review) and the audit trail
// (`audit_events`, each workflow for its own subject). Nothing here writes.

/**
 * The village of an audit event's subject, for the reach rule: a new subject kind whose workflow
 * writes `audit_events` adds its LEFT JOIN and its column to the COALESCE. A spot-check round is
 * the county's (its county code stands for the village: only county-wide callers reach it).
 */
const SUBJECT_VILLAGE = `
  LEFT JOIN applications sa ON e.subject_kind = 'application' AND sa.application_id = e.subject_id
  LEFT JOIN cases sc ON e.subject_kind = 'case' AND sc.case_id = e.subject_id
  LEFT JOIN complaints sk ON e.subject_kind = 'complaint' AND sk.complaint_id = e.subject_id
  LEFT JOIN spot_checks sq ON e.subject_kind = 'spot_check' AND sq.check_id = e.subject_id
  LEFT JOIN spot_check_rounds sr ON e.subject_kind = 'spot_check' AND sr.round_id = e.subject_id`;
const VILLAGE =
  'COALESCE(sa.village_code, sc.village_code, sk.village_code, sq.village_code, sr.county_code)';

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
  applicationId: string;
  caseId: string | null;
  villageCode: string;
  subjectKind: string;
  subjectId: string;
  occasion: string;
  filedOn: CivilDate;
  filedBy: string;
  details: {
    member?: { idNumber: string; name: string };
    relatedTo?: { name: string; position: string; post?: string };
    relation?: string;
  };
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
     * R-O1: every filing of a region — the receipt's (with who, whom and how) and the case's at each
     * re-review (which carry the receipt's details) — by township, application and date.
     */
    async closeRelativeFilings(region: string, limit: number, offset: number): Promise<FilingRow[]> {
      const { rows } = await pool.query(
        `SELECT a.application_id AS "applicationId", c.case_id AS "caseId", a.village_code AS "villageCode",
                f.subject_kind AS "subjectKind", f.subject_id AS "subjectId", f.occasion,
                f.filed_on AS "filedOn", f.filed_by AS "filedBy", COALESCE(r.details, f.details) AS details
         FROM close_relative_filings f
         LEFT JOIN cases c ON f.subject_kind = 'case' AND c.case_id = f.subject_id
         JOIN applications a
           ON a.application_id = CASE WHEN f.subject_kind = 'case' THEN c.application_id ELSE f.subject_id END
         LEFT JOIN close_relative_filings r
           ON r.subject_kind = 'application' AND r.subject_id = a.application_id AND r.occasion = 'receipt'
         WHERE a.village_code LIKE $1 || '%'
         ORDER BY a.township_code, a.application_id, f.filed_on, f.occasion
         LIMIT $2 OFFSET $3`,
        [region, limit, offset],
      );
      return rows;
    },
  };
}
