import { ApplicationFailure } from '@temporalio/common';
import { inTransaction } from '../db/pool';
import { storedPolicy } from '../db/repositories/policies';
import type { CivilDate } from '../domain/dates';
import type { RateEntry, RosteredMonth } from '../domain/entitlement';
import type { PolicyParameters } from '../domain/policy';
import { countyOf, townshipOf } from '../domain/region';
import type { Adjustment, CaseHistoryEntry, CaseView } from '../workflows/messages';
import type { ActivityDeps } from './deps';

// Side effects of the case-in-benefit workflow (R-M2 … R-M9). Each is idempotent: a retried
// activity writes once (unique keys, ON CONFLICT DO NOTHING, revision-guarded upserts).

/** A CHECK violation is a bug in the caller, not a passing fault: retrying it would loop forever. */
async function refusingInvalid<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: string }).code === '23514')
      throw ApplicationFailure.nonRetryable(`${what}: ${(err as Error).message}`, 'InvalidStep');
    throw err;
  }
}

const regionOf = (villageCode: string) => [countyOf(villageCode), townshipOf(villageCode), villageCode];

export function caseActivities({ pool }: ActivityDeps) {
  return {
    /**
     * The read model (cases row: status, amount, persons, closed reason/month, next review, view
     * jsonb, revision guard), the open/closed tasks (case_tasks, for supervision), and one audit
     * event per history entry (R-O6).
     */
    async saveCase(args: { view: CaseView; entries: CaseHistoryEntry[] }): Promise<void> {
      const { view } = args;
      const caseId = view.caseId;
      const [county, township, village] = regionOf(view.villageCode);
      await inTransaction(pool, async (c) => {
        // recordCase made the row at approval (revision 0); the insert only serves a case saved
        // before that (tests). An older snapshot arriving late changes nothing (revision guard).
        const saved = await c.query(
          `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
             monthly_amount, start_month, approved_on, approved_by, members, persons, closed_reason,
             closed_from_month, next_review_on, view, revision, updated_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'system',$11,$12,$13,$14,$15,$16,$17, now())
           ON CONFLICT (case_id) DO UPDATE SET status = EXCLUDED.status, monthly_amount = EXCLUDED.monthly_amount,
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
        for (const e of args.entries) {
          await c.query(
            `INSERT INTO audit_events (event_key, subject_kind, subject_id, action, actor_sub, actor_role, occurred_at,
               reason, parameter_version, payload)
             VALUES ($1, 'case', $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_key) DO NOTHING`,
            [
              `case:${caseId}:${e.seq}`,
              caseId,
              e.action,
              e.by.sub,
              e.by.role,
              e.at,
              e.reason ?? null,
              view.policy.version,
              JSON.stringify(e.details ?? {}),
            ],
          );
        }
        if (saved.rowCount === 0) return; // a stale snapshot: tasks and enrolments are already newer
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
        if (released.length > 0) {
          await c.query(
            `UPDATE person_enrolments SET released_at = now()
             WHERE holder_kind = 'case' AND holder_id = $1 AND id_number = ANY($2::text[]) AND released_at IS NULL`,
            [caseId, released],
          );
        }
      });
    },

    /** An effective-dated rate entry (entitlements table), once per key. */
    async recordRate(args: { caseId: string; entry: RateEntry; recordedOn: CivilDate }): Promise<void> {
      const { entry } = args;
      await pool.query(
        `INSERT INTO entitlements (entry_key, case_id, effective_month, monthly_amount, reason, parameter_version,
           persons, decided_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (entry_key) DO NOTHING`,
        [
          entry.key,
          args.caseId,
          entry.fromMonth,
          entry.monthlyAmount,
          entry.reason,
          entry.parameterVersion,
          entry.persons,
          args.recordedOn,
        ],
      );
    },

    /** A month handed to the payroll at its roster cut-off (R-M1): once per case and month. */
    async recordMonth(args: {
      caseId: string;
      villageCode: string;
      category: CaseView['category'];
      residence: CaseView['residence'];
      month: RosteredMonth;
      rosteredOn: CivilDate;
      parameterVersion: string;
    }): Promise<void> {
      const { month } = args;
      await refusingInvalid(`month ${month.month} of case ${args.caseId}`, () =>
        pool.query(
          `INSERT INTO case_months (case_id, month, county_code, township_code, village_code, category, residence,
             amount, persons, status, rostered_on, parameter_version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (case_id, month) DO NOTHING`,
          [
            args.caseId,
            month.month,
            ...regionOf(args.villageCode),
            args.category,
            args.residence,
            month.amount,
            month.persons,
            month.status,
            args.rosteredOn,
            args.parameterVersion,
          ],
        ),
      );
    },

    /** Back-pay or a recovery (R-M2, R-M5, R-M8), once per key; the payroll settles it. */
    async recordAdjustment(args: {
      caseId: string;
      villageCode: string;
      category: CaseView['category'];
      adjustment: Adjustment;
    }): Promise<void> {
      const a = args.adjustment;
      await refusingInvalid(`adjustment ${a.key}`, () =>
        pool.query(
          `INSERT INTO case_adjustments (adjustment_key, case_id, county_code, township_code, village_code, category,
             kind, amount, months, reason, decided_on, parameter_version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (adjustment_key) DO NOTHING`,
          [
            a.key,
            args.caseId,
            ...regionOf(args.villageCode),
            args.category,
            a.kind,
            a.amount,
            a.months,
            a.reason,
            a.on,
            a.parameterVersion,
          ],
        ),
      );
    },

    /** R-O1: close-relative cases are filed again at each re-review. */
    async fileCloseRelative(args: {
      subjectKind: 'case';
      subjectId: string;
      occasion: string;
      filedOn: CivilDate;
      filedBy: string;
    }): Promise<void> {
      await pool.query(
        `INSERT INTO close_relative_filings (subject_kind, subject_id, occasion, filed_on, filed_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [args.subjectKind, args.subjectId, args.occasion, args.filedOn, args.filedBy],
      );
    },

    /**
     * R-M8: the county's versions published after `afterVersion` (oldest first). A case that starts
     * after a standard change was fanned out catches up with it here.
     */
    async newerPolicies(args: { countyCode: string; afterVersion: string }): Promise<PolicyParameters[]> {
      const { rows } = await pool.query(
        `SELECT version, parameters FROM policy_versions
         WHERE county_code = $1
           AND created_at > coalesce((SELECT created_at FROM policy_versions WHERE version = $2), '-infinity')
         ORDER BY effective_from, created_at`,
        [args.countyCode, args.afterVersion],
      );
      return rows.map((r) => storedPolicy(r).policy);
    },
    /** R-M8 fan-out: a page of the county's cases not closed, by case id. */
    async listOpenCases(args: {
      countyCode: string;
      afterCaseId?: string;
      limit: number;
    }): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT case_id FROM cases
         WHERE county_code = $1 AND status <> 'closed' AND case_id > coalesce($2::text, '')
         ORDER BY case_id LIMIT $3`,
        [args.countyCode, args.afterCaseId ?? null, args.limit],
      );
      return rows.map((r) => r.case_id as string);
    },

    /** R-M2 intake bookkeeping: which case a death notice reached and with what outcome. */
    async recordDeathOutcome(args: {
      noticeId: string;
      caseId: string;
      outcome: 'applied' | 'duplicate' | 'not_member';
    }): Promise<void> {
      await pool.query('UPDATE death_notices SET outcome = $2, case_id = $3 WHERE notice_id = $1', [
        args.noticeId,
        args.outcome,
        args.caseId,
      ]);
    },
  };
}
