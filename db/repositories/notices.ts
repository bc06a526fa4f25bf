import type pg from 'pg';

// notices: written notices with their reasons (R-A7, R-M9). Written only by the workflows through
// the activity issueNotice; the API reads one by id here.

export interface Notice {
  noticeId: string;
  kind: string;
  subjectKind: string;
  subjectId: string;
  villageCode: string;
  addressee: string;
  reasons: string;
  decidedOn: string;
  decidedBy: string;
  dueOn: string | null;
  parameterVersion: string | null;
  details: Record<string, unknown> | null;
  issuedAt: string;
}

/** What a workflow issues (R-A7, R-M9): one notice per subject, kind and decision day. */
export interface NoticeToIssue {
  kind:
    | 'rejection'
    | 'stop'
    | 'reduction'
    | 'suspension'
    | 'repayment_demand'
    | 'temporary_assistance_grant'
    | 'temporary_assistance_refusal';
  subjectKind: string;
  subjectId: string;
  villageCode: string;
  addressee: string;
  reasons: string;
  decidedOn: string;
  decidedBy: string;
  dueOn?: string;
  parameterVersion?: string;
  /** What the notice concerns in figures (R-M10: the demand, its amount and months). */
  details?: Record<string, unknown>;
}

export function noticesRepository(pool: pg.Pool) {
  return {
    /** Written once: the same notice issued again (a retried activity) changes nothing. */
    async issue(n: NoticeToIssue): Promise<{ noticeId: string }> {
      const noticeId = `N-${n.subjectKind}-${n.subjectId}-${n.kind}-${n.decidedOn}`;
      await pool.query(
        `INSERT INTO notices (notice_id, kind, subject_kind, subject_id, village_code, addressee, reasons, decided_on,
           decided_by, due_on, parameter_version, details)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (notice_id) DO NOTHING`,
        [
          noticeId,
          n.kind,
          n.subjectKind,
          n.subjectId,
          n.villageCode,
          n.addressee,
          n.reasons,
          n.decidedOn,
          n.decidedBy,
          n.dueOn ?? null,
          n.parameterVersion ?? null,
          n.details ?? null,
        ],
      );
      return { noticeId };
    },

    async byId(noticeId: string): Promise<Notice | undefined> {
      const { rows } = await pool.query(
        `SELECT notice_id, kind, subject_kind, subject_id, village_code, addressee, reasons, decided_on,
           decided_by, due_on, parameter_version, details, issued_at
         FROM notices WHERE notice_id = $1`,
        [noticeId],
      );
      const n = rows[0];
      if (!n) return undefined;
      return {
        noticeId: n.notice_id,
        kind: n.kind,
        subjectKind: n.subject_kind,
        subjectId: n.subject_id,
        villageCode: n.village_code,
        addressee: n.addressee,
        reasons: n.reasons,
        decidedOn: n.decided_on,
        decidedBy: n.decided_by,
        dueOn: n.due_on,
        parameterVersion: n.parameter_version,
        details: n.details ?? null,
        issuedAt: new Date(n.issued_at).toISOString(),
      };
    },
  };
}

export type NoticesRepository = ReturnType<typeof noticesRepository>;
