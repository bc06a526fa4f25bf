import type pg from 'pg';
import { REPEAT_WINDOW_DAYS } from '../../domain/complaints';
import type { CivilDate } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';
import type { ComplaintEntry, ComplaintStage, ComplaintView } from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { appendAudit, historyEvent } from './audit';
import {
  type LedgerFilter,
  type LedgerKey,
  type LedgerQuery,
  ledgerCountsSql,
  ledgerPageSql,
} from './complaint-ledger';

// complaints (R-O4): the ledger row of each complaint workflow and its audit events (R-O6). Written
// only by the complaint workflow's activity `saveComplaint`; the API reads.

export interface SaveComplaintArgs {
  view: ComplaintView;
  entries: ComplaintEntry[];
  /** Guards against an older snapshot overwriting a newer one. */
  version: number;
}

export interface LedgerRow {
  complaintId: string;
  source: string;
  anonymous: boolean;
  complainantName: string | null;
  complainantPhone: string | null;
  subjectKind: string;
  subjectId: string;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  receivedOn: CivilDate;
  receivedBy: string;
  repeatOf: string | null;
  stage: ComplaintStage;
  handler: string | null;
  deadlineKind: string;
  deadline: CivilDate;
  deadlineProvisional: boolean;
  extended: boolean;
  atRisk: boolean;
  overdue: boolean;
  finding: string | null;
  foundOn: CivilDate | null;
  dataCheckCaseId: string | null;
  spotCheckRequested: boolean;
  answeredOn: CivilDate | null;
  answeredLate: boolean | null;
  closedOn: CivilDate | null;
}

export function complaintsRepository(pool: pg.Pool) {
  return {
    /** The ledger row and the new audit events in one transaction (each event once, by its key). */
    async save({ view: v, entries, version }: SaveComplaintArgs): Promise<void> {
      const named = v.complainant.anonymous ? undefined : v.complainant;
      await inTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO complaints (complaint_id, source, anonymous, complainant_name, complainant_phone, subject_kind,
             subject_id, village_code, township_code, county_code, summary, received_on, received_by, repeat_of, stage,
             handler, deadline_kind, deadline, deadline_provisional, extended, extension_reason, at_risk, overdue,
             finding, finding_summary, found_on, data_check_case_id, spot_check_requested, answered_on, answered_late,
             closed_on, view, view_version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,
             $28,$29,$30,$31,$32,$33)
           ON CONFLICT (complaint_id) DO UPDATE SET stage = EXCLUDED.stage, handler = EXCLUDED.handler,
             deadline = EXCLUDED.deadline, deadline_provisional = EXCLUDED.deadline_provisional,
             extended = EXCLUDED.extended, extension_reason = EXCLUDED.extension_reason, at_risk = EXCLUDED.at_risk,
             overdue = EXCLUDED.overdue, finding = EXCLUDED.finding, finding_summary = EXCLUDED.finding_summary,
             found_on = EXCLUDED.found_on, data_check_case_id = EXCLUDED.data_check_case_id,
             spot_check_requested = EXCLUDED.spot_check_requested, answered_on = EXCLUDED.answered_on,
             answered_late = EXCLUDED.answered_late, closed_on = EXCLUDED.closed_on, view = EXCLUDED.view,
             view_version = EXCLUDED.view_version, updated_at = now()
           WHERE complaints.view_version < EXCLUDED.view_version`,
          [
            v.complaintId,
            v.source,
            v.complainant.anonymous,
            named?.name ?? null,
            named?.phone ?? null,
            v.subject.kind,
            v.subject.id,
            v.villageCode,
            townshipOf(v.villageCode),
            countyOf(v.villageCode),
            v.summary,
            v.receivedOn,
            v.receivedBy,
            v.repeatOf ?? null,
            v.stage,
            v.handler?.sub ?? null,
            v.deadline.kind,
            v.deadline.date,
            v.deadline.provisional,
            v.extension !== undefined,
            v.extension?.reason ?? null,
            v.atRisk,
            v.overdue,
            v.finding?.outcome ?? null,
            v.finding?.summary ?? null,
            v.finding?.on ?? null,
            v.finding?.dataCheck?.caseId ?? null,
            v.finding?.spotCheckRequested ?? false,
            v.answer?.on ?? null,
            v.answer?.late ?? null,
            v.closedOn ?? null,
            JSON.stringify(v),
            version,
          ],
        );
        await appendAudit(
          c,
          entries.map((e) =>
            historyEvent('complaint', v.complaintId, e, { stage: e.stage, ...(e.details ?? {}) }),
          ),
        );
      });
    },

    /** The reach, stage and last view of one complaint (the API's reach check and read). */
    async find(
      id: string,
    ): Promise<{ villageCode: string; stage: ComplaintStage; view: ComplaintView } | undefined> {
      const { rows } = await pool.query(
        `SELECT village_code AS "villageCode", stage, view FROM complaints WHERE complaint_id = $1`,
        [id],
      );
      return rows[0];
    },

    /**
     * R-O4: the first complaint (itself no repeat) on the same subject within the repeat window
     * before `receivedOn`; a new complaint on that subject is linked to it.
     */
    async firstOnSubject(
      kind: string,
      subjectId: string,
      receivedOn: CivilDate,
    ): Promise<string | undefined> {
      const { rows } = await pool.query(
        `SELECT complaint_id FROM complaints
         WHERE subject_kind = $1 AND subject_id = $2 AND repeat_of IS NULL
           AND received_on <= $3::date AND received_on >= $3::date - $4::int
         ORDER BY received_on DESC, created_at DESC LIMIT 1`,
        [kind, subjectId, receivedOn, REPEAT_WINDOW_DAYS],
      );
      return rows[0]?.complaint_id;
    },

    /** R-T2: open complaints whose deadline is provisional or counted across `year`. */
    async openTouching(year: number): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT complaint_id FROM complaints WHERE stage <> 'closed'
           AND (deadline_provisional OR (deadline >= $1 AND received_on <= $2))`,
        [`${year}-01-01`, `${year}-12-31`],
      );
      return rows.map((r) => r.complaint_id as string);
    },

    /** The repeats linked to a complaint. */
    async repeatsOf(id: string): Promise<string[]> {
      const { rows } = await pool.query(
        'SELECT complaint_id FROM complaints WHERE repeat_of = $1 ORDER BY received_on, created_at',
        [id],
      );
      return rows.map((r) => r.complaint_id as string);
    },

    /** R-O4: a page of the ledger of a region, newest first, and the key after its last line if more follow. */
    async ledger(q: LedgerQuery): Promise<{ rows: LedgerRow[]; next?: LedgerKey }> {
      const { rows } = await pool.query<LedgerRow>(ledgerPageSql(q));
      if (rows.length <= q.limit) return { rows };
      const page = rows.slice(0, q.limit);
      const last = page.at(-1)!;
      return { rows: page, next: { receivedOn: last.receivedOn, complaintId: last.complaintId } };
    },

    /** R-O4: how many ledger lines the filters match, and how many are not repeats (asked for on its own). */
    async ledgerCounts(q: LedgerFilter): Promise<{ total: number; distinct: number }> {
      const { rows } = await pool.query(ledgerCountsSql(q));
      return { total: rows[0].total, distinct: rows[0].distinct };
    },
  };
}
