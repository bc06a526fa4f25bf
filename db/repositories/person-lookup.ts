import type pg from 'pg';
import { inTransaction } from '../pool';
import { appendAudit } from './audit';
import type { ListScope } from './list-sql';

// POST /v1/people/lookup (API.md "Cases in benefit"): everything the caller's region holds on one
// person — the applications naming them, the cases that held them (closed ones too), their
// register entries, their applications' temporary grants and the complaints about those
// applications and cases — and, in the same transaction, the audit of the read (R-O7: who, which
// person by keyed digest and which records by id, when), through the one audit writer.

export interface PersonRecords {
  applications: {
    applicationId: string;
    category: string;
    stage: string;
    villageCode: string;
    acceptedOn: string;
    overallDeadline: string | null;
    name: string;
    relation: string;
  }[];
  cases: {
    caseId: string;
    category: string;
    status: string;
    villageCode: string;
    monthlyAmount: string;
    startMonth: string;
    closedReason: string | null;
    closedFromMonth: string | null;
    /** The person is held by the case now (R-A1), not only in its past. */
    held: boolean;
    name: string | null;
    relation: string | null;
  }[];
  register: {
    householdKey: string;
    villageCode: string;
    groups: string[];
    sources: string[];
    openWarnings: number;
    registeredOn: string;
  }[];
  temporaryGrants: {
    grantId: string;
    applicationId: string;
    amount: string;
    reason: string;
    grantedOn: string;
  }[];
  complaints: {
    complaintId: string;
    source: string;
    subjectKind: string;
    subjectId: string;
    stage: string;
    receivedOn: string;
    deadline: string;
    closedOn: string | null;
  }[];
}

export interface LookupReader {
  sub: string;
  role: string;
  region: string;
}

async function readAll(c: pg.PoolClient, idNumber: string, scope: ListScope): Promise<PersonRecords> {
  const inScope = [idNumber, scope.lo, scope.hi];
  const applications = await c.query(
    `SELECT a.application_id AS "applicationId", a.category, a.stage, a.village_code AS "villageCode",
            a.accepted_on AS "acceptedOn", a.overall_deadline AS "overallDeadline", m.name, m.relation
     FROM application_members m JOIN applications a USING (application_id)
     WHERE m.id_number = $1 AND a.village_code BETWEEN $2 AND $3
     ORDER BY a.accepted_on DESC, a.application_id`,
    inScope,
  );
  const cases = await c.query(
    `SELECT c.case_id AS "caseId", c.category, c.status, c.village_code AS "villageCode",
            c.monthly_amount AS "monthlyAmount", c.start_month AS "startMonth",
            c.closed_reason AS "closedReason", c.closed_from_month AS "closedFromMonth",
            bool_or(pe.released_at IS NULL) AS held, m->>'name' AS name, m->>'relation' AS relation
     FROM person_enrolments pe JOIN cases c ON c.case_id = pe.holder_id
     LEFT JOIN LATERAL jsonb_path_query_first(c.members, '$[*] ? (@.idNumber == $id)',
       jsonb_build_object('id', $1::text)) m ON true
     WHERE pe.id_number = $1 AND pe.holder_kind = 'case' AND c.village_code BETWEEN $2 AND $3
     GROUP BY c.case_id, m
     ORDER BY c.start_month DESC, c.case_id`,
    inScope,
  );
  const register = await c.query(
    `SELECT h.household_key AS "householdKey", h.village_code AS "villageCode", h.groups, h.sources,
            h.open_warnings AS "openWarnings", h.registered_on AS "registeredOn"
     FROM register_members rm JOIN register_households h USING (household_key)
     WHERE rm.id_number = $1 AND h.village_code BETWEEN $2 AND $3
     ORDER BY h.registered_on DESC, h.household_key`,
    inScope,
  );
  const appIds = applications.rows.map((r) => r.applicationId as string);
  const caseIds = cases.rows.map((r) => r.caseId as string);
  const grants = await c.query(
    `SELECT grant_id AS "grantId", application_id AS "applicationId", amount, reason, granted_on AS "grantedOn"
     FROM temporary_grants WHERE application_id = ANY($1::text[]) ORDER BY granted_on DESC, grant_id`,
    [appIds],
  );
  const complaints = await c.query(
    `SELECT complaint_id AS "complaintId", source, subject_kind AS "subjectKind", subject_id AS "subjectId",
            stage, received_on AS "receivedOn", deadline, closed_on AS "closedOn"
     FROM complaints
     WHERE ((subject_kind = 'application' AND subject_id = ANY($1::text[]))
         OR (subject_kind = 'case' AND subject_id = ANY($2::text[])))
       AND village_code BETWEEN $3 AND $4
     ORDER BY received_on DESC, complaint_id`,
    [appIds, caseIds, scope.lo, scope.hi],
  );
  return {
    applications: applications.rows,
    cases: cases.rows,
    register: register.rows,
    temporaryGrants: grants.rows,
    complaints: complaints.rows,
  };
}

export function personLookupRepository(pool: pg.Pool) {
  return {
    /**
     * The person's records within `scope`, and one audit event naming the reader, the person by
     * `digest` and the records by id — never the ID number (R-O7). Every look-up is a read of its
     * own: the event key is the request's.
     */
    async lookup(a: {
      idNumber: string;
      digest: string;
      scope: ListScope;
      reader: LookupReader;
      requestId: string;
    }): Promise<PersonRecords> {
      return inTransaction(pool, async (c) => {
        const found = await readAll(c, a.idNumber, a.scope);
        await appendAudit(c, [
          {
            eventKey: `person_lookup:${a.requestId}`,
            subjectKind: 'person',
            subjectId: a.digest,
            action: 'person_lookup',
            actorSub: a.reader.sub,
            actorRole: a.reader.role,
            payload: {
              region: a.reader.region,
              applications: found.applications.map((r) => r.applicationId),
              cases: found.cases.map((r) => r.caseId),
              register: found.register.map((r) => r.householdKey),
              temporaryGrants: found.temporaryGrants.map((r) => r.grantId),
              complaints: found.complaints.map((r) => r.complaintId),
            },
          },
        ]);
        return found;
      });
    },
  };
}
