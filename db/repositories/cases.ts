import type pg from 'pg';
import { countyOf, townshipOf } from '../../domain/region';
import type { CaseHistoryEntry, CaseView } from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { appendAudit, historyEvent } from './audit';
import { caseHolder, release } from './enrolments';

// The case read model: `cases` (with `case_tasks`, the case's `audit_events` and, through the
// enrolment module, the release of its persons) is written only by the case workflow (activity
// saveCase); the API reads it.

export interface CaseRow {
  villageCode: string;
  status: string;
  /** ID numbers of the household's members as the case recorded them. */
  memberIds: string[];
  /** The workflow's last saved view (the read model when the workflow cannot answer). */
  view: CaseView | null;
}

/** The case that holds a person (R-A1), for routing an event to it. */
export interface PersonCase {
  caseId: string;
  villageCode: string;
  status: string;
  /** The person's enrolment was released because the case already recorded the death. */
  deceased: boolean;
}

export const regionOf = (villageCode: string) => [
  countyOf(villageCode),
  townshipOf(villageCode),
  villageCode,
];

export function casesRepository(pool: pg.Pool) {
  return {
    async find(caseId: string): Promise<CaseRow | undefined> {
      const { rows } = await pool.query(
        'SELECT village_code, status, members, view FROM cases WHERE case_id = $1',
        [caseId],
      );
      const r = rows[0];
      if (!r) return undefined;
      const members = (r.members ?? []) as { idNumber: string }[];
      return {
        villageCode: r.village_code,
        status: r.status,
        memberIds: members.map((m) => m.idNumber),
        view: r.view,
      };
    },

    /**
     * The case holding each person: the active enrolment (R-A1), or else the case that recorded the
     * person's death (its death notice, written by the case), so that the same death reported again
     * is still one event of that case (R-M2).
     */
    async holdersOf(idNumbers: string[]): Promise<Map<string, PersonCase>> {
      if (idNumbers.length === 0) return new Map();
      const { rows } = await pool.query(
        `SELECT DISTINCT ON (pe.id_number) pe.id_number, c.case_id, c.village_code, c.status,
                pe.released_at IS NOT NULL AS deceased
         FROM person_enrolments pe JOIN cases c ON c.case_id = pe.holder_id
         WHERE pe.holder_kind = 'case' AND pe.id_number = ANY($1::text[])
           AND (pe.released_at IS NULL
                OR EXISTS (SELECT 1 FROM death_notices d
                           WHERE d.case_id = c.case_id AND d.id_number = pe.id_number AND d.outcome = 'applied'))
         ORDER BY pe.id_number, (pe.released_at IS NULL) DESC, pe.held_at DESC`,
        [idNumbers],
      );
      return new Map(
        rows.map((r) => [
          r.id_number,
          { caseId: r.case_id, villageCode: r.village_code, status: r.status, deceased: r.deceased },
        ]),
      );
    },

    /** R-M8 fan-out: a page of the county's cases not closed, by case id. */
    async openPage(countyCode: string, afterCaseId: string | undefined, limit: number): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT case_id FROM cases
         WHERE county_code = $1 AND status <> 'closed' AND case_id > coalesce($2::text, '')
         ORDER BY case_id LIMIT $3`,
        [countyCode, afterCaseId ?? null, limit],
      );
      return rows.map((r) => r.case_id as string);
    },

    /**
     * The read model (cases row: status, amount, persons, closed reason/month, next review, view
     * jsonb, revision guard), the open/closed tasks (case_tasks, for supervision), and one audit
     * event per history entry (R-O6). Returns false for a stale snapshot.
     */
    async save(view: CaseView, entries: CaseHistoryEntry[]): Promise<boolean> {
      const caseId = view.caseId;
      const [county, township, village] = regionOf(view.villageCode);
      return inTransaction(pool, async (c) => {
        // recordCase made the row at approval (revision 0); the insert only serves a case saved
        // before that (tests). An older snapshot arriving late changes nothing (revision guard).
        const saved = await c.query(
          `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
             monthly_amount, start_month, approved_on, approved_by, members, persons, closed_reason,
             closed_from_month, next_review_on, view, revision, updated_at)
           VALUES ($1,NULLIF($2,''),$3,$4,$5,$6,$7,$8,$9,$10,'system',$11,$12,$13,$14,$15,$16,$17, now())
           ON CONFLICT (case_id) DO UPDATE SET status = EXCLUDED.status, monthly_amount = EXCLUDED.monthly_amount,
             members = EXCLUDED.members,
             persons = EXCLUDED.persons, closed_reason = EXCLUDED.closed_reason,
             closed_from_month = EXCLUDED.closed_from_month, next_review_on = EXCLUDED.next_review_on,
             view = EXCLUDED.view, revision = EXCLUDED.revision, updated_at = now()
           WHERE cases.revision < EXCLUDED.revision
           RETURNING case_id`,
          [
            caseId,
            view.applicationId,
            view.category,
            village,
            township,
            county,
            view.status,
            view.monthlyAmount,
            view.startMonth,
            view.approvedOn,
            JSON.stringify(
              view.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
            ),
            view.persons,
            view.closed?.reason ?? null,
            view.closed?.fromMonth ?? null,
            view.nextReviewOn,
            JSON.stringify(view),
            view.revision,
          ],
        );
        // R-O6: history entries are facts whatever the snapshot's age; the seq makes each one row.
        await appendAudit(
          c,
          entries.map((e) => historyEvent('case', caseId, e, e.details ?? {}, view.policy.version)),
        );
        if (saved.rowCount === 0) return false; // a stale snapshot: tasks and enrolments are already newer
        for (const t of view.tasks) {
          await c.query(
            `INSERT INTO case_tasks (case_id, task_id, kind, county_code, township_code, village_code, opened_on,
               due_on, due_provisional, at_risk_on, at_risk, overdue, simplified, outcome, closed_on)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
             ON CONFLICT (case_id, task_id) DO UPDATE SET kind = EXCLUDED.kind, village_code = EXCLUDED.village_code,
               township_code = EXCLUDED.township_code, county_code = EXCLUDED.county_code,
               due_on = EXCLUDED.due_on, due_provisional = EXCLUDED.due_provisional,
               at_risk_on = EXCLUDED.at_risk_on, at_risk = EXCLUDED.at_risk, overdue = EXCLUDED.overdue,
               simplified = EXCLUDED.simplified, outcome = EXCLUDED.outcome, closed_on = EXCLUDED.closed_on,
               updated_at = now()`,
            [
              caseId,
              t.taskId,
              t.kind,
              county,
              township,
              village,
              t.openedOn,
              t.due.date,
              t.due.provisional,
              t.atRiskOn,
              t.atRisk,
              t.overdue,
              t.simplified ?? false,
              t.result?.outcome ?? null,
              t.closedOn ?? t.result?.on ?? null, // closed by its result, or with the case
            ],
          );
        }
        // R-A1: a person the case no longer covers (or who died), or everyone once it is closed, may
        // be enrolled again elsewhere.
        const released = view.members
          .filter((m) => view.status === 'closed' || !m.covered || m.diedOn !== undefined)
          .map((m) => m.idNumber);
        await release(c, caseHolder(caseId), released);
        return true;
      });
    },
  };
}
