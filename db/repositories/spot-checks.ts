import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';
import { addMonthsToYearMonth } from '../../domain/dates';
import type { DecisionUnit, SpotCheckView } from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { type AuditEvent, appendAudit } from './audit';

// R-O2: spot-check rounds and their check tasks. `spot_check_rounds` is written by the round
// workflow's activity (once per county and month), `spot_checks` by each check's own workflow;
// both append their audit entries (R-O6) in the same transaction. The API only reads.

export interface RoundRecord {
  roundId: string;
  countyCode: string;
  month: YearMonth;
  nonce: string;
  seed: string;
  decisionRatio: string;
  closeRelativeRatio: string;
  parameterVersion: string | null;
  population: DecisionUnit[];
  drawn: string[];
  /** R-O4: decisions complaints asked to check, opened beside the draw. */
  requested: DecisionUnit[];
  strata: unknown;
  drawnOn: string;
  startedBy: string;
}

export interface AuditEntry {
  eventKey: string;
  action: string;
  actorSub: string;
  actorRole: string;
  at: string;
  reason?: string;
  payload: Record<string, unknown>;
}

/** R-O6: a spot-check entry as the one audit writer appends it. */
const auditEvent = (subjectId: string, e: AuditEntry): AuditEvent => ({
  eventKey: e.eventKey,
  subjectKind: 'spot_check',
  subjectId,
  action: e.action,
  actorSub: e.actorSub,
  actorRole: e.actorRole,
  occurredAt: e.at,
  reason: e.reason ?? null,
  payload: e.payload,
});

const ROUND_COLUMNS = `round_id AS "roundId", county_code AS "countyCode", month, nonce, seed,
  decision_ratio AS "decisionRatio", close_relative_ratio AS "closeRelativeRatio",
  parameter_version AS "parameterVersion", population, population_size AS "populationSize", drawn, requested,
  strata,
  drawn_on::text AS "drawnOn", started_by AS "startedBy", recorded_at AS "recordedAt"`;

const CHECK_COLUMNS = `check_id AS "checkId", round_id AS "roundId", application_id AS "applicationId",
  case_id AS "caseId", village_code AS "villageCode", decision, decided_on::text AS "decidedOn",
  decided_by AS "decidedBy", close_relative AS "closeRelative", opened_on::text AS "openedOn",
  due_on::text AS "dueOn", due_provisional AS "dueProvisional", at_risk_on::text AS "atRiskOn",
  at_risk AS "atRisk", overdue, outcome, reasons, monthly_amount::text AS "monthlyAmount",
  found_by AS "foundBy", found_on::text AS "foundOn", follow_up AS "followUp"`;

/**
 * R-O2: the decisions a round samples — the township's (delegated approval, R-A5), approvals and
 * rejections — and, whoever decided them, the new close-relative admissions (R-O1), which join the
 * close-relative stratum. `a` is the applications table. The predicate of the partial indexes
 * `applications_spot_check_county` and `…_month` (migration 151), which range over `decided_on`:
 * the decision's date as the application workflow's save writes it beside the view.
 */
const IN_POPULATION = `a.stage IN ('approved', 'rejected')
  AND (a.delegated OR (a.close_relative AND a.stage = 'approved'))`;

export function spotChecksRepository(pool: pg.Pool) {
  return {
    /** R-O2: the county's township decisions and close-relative admissions of a month, by application id. */
    async population(countyCode: string, month: YearMonth): Promise<DecisionUnit[]> {
      const { rows } = await pool.query<DecisionUnit>(
        `SELECT a.application_id AS "applicationId", c.case_id AS "caseId", a.village_code AS "villageCode",
                a.stage AS decision, a.decided_on::text AS "decidedOn",
                (a.view->'decision'->>'by') AS "decidedBy", a.close_relative AS "closeRelative"
         FROM applications a LEFT JOIN cases c ON c.application_id = a.application_id
         WHERE a.county_code = $1 AND ${IN_POPULATION}
           AND a.decided_on >= $2::date AND a.decided_on < $3::date
         ORDER BY a.application_id`,
        [countyCode, `${month}-01`, `${addMonthsToYearMonth(month, 1)}-01`],
      );
      return rows;
    },

    /**
     * R-O4 → R-O2: township decisions of the county up to the month's end that a complaint's
     * finding asked to check (the complaint about the application or its case) and that have no
     * check yet, with the complaints that asked.
     */
    async requested(countyCode: string, month: YearMonth): Promise<DecisionUnit[]> {
      const { rows } = await pool.query<DecisionUnit>(
        `SELECT a.application_id AS "applicationId", c.case_id AS "caseId", a.village_code AS "villageCode",
                a.stage AS decision, a.decided_on::text AS "decidedOn",
                (a.view->'decision'->>'by') AS "decidedBy", a.close_relative AS "closeRelative",
                array_agg(k.complaint_id ORDER BY k.complaint_id) AS "requestedBy"
         FROM complaints k
         JOIN applications a ON a.application_id = CASE k.subject_kind WHEN 'application' THEN k.subject_id
           ELSE (SELECT application_id FROM cases WHERE case_id = k.subject_id AND k.subject_kind = 'case') END
         LEFT JOIN cases c ON c.application_id = a.application_id
         WHERE k.county_code = $1 AND k.spot_check_requested AND a.delegated AND a.stage IN ('approved', 'rejected')
           AND a.decided_on < $2::date
           AND NOT EXISTS (SELECT 1 FROM spot_checks s WHERE s.application_id = a.application_id)
         GROUP BY a.application_id, c.case_id ORDER BY a.application_id`,
        [countyCode, `${addMonthsToYearMonth(month, 1)}-01`],
      );
      return rows;
    },

    /** Counties with decisions to sample in a month (the monthly schedule starts a round for each). */
    async counties(month: YearMonth): Promise<string[]> {
      const { rows } = await pool.query<{ county_code: string }>(
        `SELECT DISTINCT a.county_code FROM applications a
         WHERE ${IN_POPULATION}
           AND a.decided_on >= $1::date AND a.decided_on < $2::date
         ORDER BY a.county_code`,
        [`${month}-01`, `${addMonthsToYearMonth(month, 1)}-01`],
      );
      return rows.map((r) => r.county_code);
    },

    /** Records the round once; a retried activity gets the first round back (its nonce and draw). */
    async recordRound(r: RoundRecord, entry: AuditEntry): Promise<RoundRecord> {
      return inTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO spot_check_rounds (round_id, county_code, month, nonce, seed, decision_ratio,
             close_relative_ratio, parameter_version, population, population_size, drawn, strata, drawn_on, started_by,
             requested)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) ON CONFLICT (round_id) DO NOTHING`,
          [
            r.roundId,
            r.countyCode,
            r.month,
            r.nonce,
            r.seed,
            r.decisionRatio,
            r.closeRelativeRatio,
            r.parameterVersion,
            JSON.stringify(r.population),
            r.population.length,
            JSON.stringify(r.drawn),
            JSON.stringify(r.strata),
            r.drawnOn,
            r.startedBy,
            JSON.stringify(r.requested),
          ],
        );
        await appendAudit(c, [auditEvent(r.roundId, entry)]);
        const { rows } = await c.query(`SELECT ${ROUND_COLUMNS} FROM spot_check_rounds WHERE round_id = $1`, [
          r.roundId,
        ]);
        return rows[0] as RoundRecord;
      });
    },

    /** The check task as its workflow sees it now (opened once; later saves update it). */
    async saveCheck(v: SpotCheckView, unit: DecisionUnit, entries: AuditEntry[]): Promise<void> {
      await inTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO spot_checks (check_id, round_id, application_id, case_id, county_code, township_code,
             village_code, decision, decided_on, decided_by, close_relative, opened_on, due_on, due_provisional,
             at_risk_on, at_risk, overdue, outcome, reasons, monthly_amount, found_by, found_on, follow_up)
           VALUES ($1,$2,$3,$4,left($5,6),left($5,9),$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)
           ON CONFLICT (check_id) DO UPDATE SET due_on = EXCLUDED.due_on, due_provisional = EXCLUDED.due_provisional,
             at_risk_on = EXCLUDED.at_risk_on, at_risk = EXCLUDED.at_risk, overdue = EXCLUDED.overdue,
             outcome = EXCLUDED.outcome, reasons = EXCLUDED.reasons, monthly_amount = EXCLUDED.monthly_amount,
             found_by = EXCLUDED.found_by, found_on = EXCLUDED.found_on, follow_up = EXCLUDED.follow_up,
             updated_at = now()
           WHERE spot_checks.outcome IS NULL`,
          [
            v.checkId,
            v.roundId,
            v.applicationId,
            v.caseId,
            v.villageCode,
            v.decision,
            unit.decidedOn,
            unit.decidedBy,
            v.closeRelative,
            v.openedOn,
            v.due.date,
            v.due.provisional,
            v.atRiskOn,
            v.atRisk,
            v.overdue,
            v.finding?.outcome ?? null,
            v.finding?.reasons ?? null,
            v.finding?.monthlyAmount ?? null,
            v.finding?.by ?? null,
            v.finding?.on ?? null,
            v.finding?.followUp ?? null,
          ],
        );
        await appendAudit(
          c,
          entries.map((e) => auditEvent(v.checkId, e)),
        );
      });
    },

    /** Application ids of the round that already have their check task. */
    async openedOf(roundId: string): Promise<string[]> {
      const { rows } = await pool.query<{ id: string }>(
        'SELECT application_id AS id FROM spot_checks WHERE round_id = $1',
        [roundId],
      );
      return rows.map((r) => r.id);
    },

    /** One check (the finding route's look-up: its village decides reach). */
    async check(checkId: string) {
      const { rows } = await pool.query(`SELECT ${CHECK_COLUMNS} FROM spot_checks WHERE check_id = $1`, [
        checkId,
      ]);
      return rows[0] as
        | (Record<string, unknown> & { villageCode: string; outcome: string | null })
        | undefined;
    },

    /** R-O2: a county's rounds (newest month first) with their checks in the caller's region. */
    async rounds(q: { region: string; county?: string; month?: YearMonth; limit: number }) {
      const { rows: rounds } = await pool.query(
        `SELECT ${ROUND_COLUMNS} FROM spot_check_rounds
         WHERE (starts_with(county_code, $1) OR starts_with($1, county_code))
           AND ($2::text IS NULL OR county_code = $2) AND ($3::text IS NULL OR month = $3)
         ORDER BY month DESC, county_code LIMIT $4`,
        [q.region, q.county ?? null, q.month ?? null, q.limit],
      );
      if (!rounds.length) return [];
      const { rows: checks } = await pool.query(
        `SELECT ${CHECK_COLUMNS} FROM spot_checks
         WHERE round_id = ANY($1::text[]) AND starts_with(village_code, $2) ORDER BY check_id`,
        [rounds.map((r) => r.roundId), q.region],
      );
      return rounds.map((r) => ({ ...r, checks: checks.filter((c) => c.roundId === r.roundId) }));
    },
  };
}
