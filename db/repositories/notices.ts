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
  issuedAt: string;
}

export function noticesRepository(pool: pg.Pool) {
  return {
    async byId(noticeId: string): Promise<Notice | undefined> {
      const { rows } = await pool.query(
        `SELECT notice_id, kind, subject_kind, subject_id, village_code, addressee, reasons, decided_on,
           decided_by, due_on, parameter_version, issued_at
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
        issuedAt: new Date(n.issued_at).toISOString(),
      };
    },
  };
}

export type NoticesRepository = ReturnType<typeof noticesRepository>;
