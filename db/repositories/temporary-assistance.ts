import type pg from 'pg';
import { type CivilDate, yearOf } from '../../domain/dates';
import { add, type Money, toMoney } from '../../domain/money';
import { countyOf, townshipOf } from '../../domain/region';
import {
  type DecidingLevel,
  decidingLevel,
  type TemporaryAssistanceLimits,
} from '../../domain/temporary-assistance';
import type {
  TemporaryAssistanceEntry,
  TemporaryAssistanceStage,
  TemporaryAssistanceView,
} from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { appendAudit, historyEvent } from './audit';

// R-A10: `temporary_assistance` and `temporary_assistance_members`, the read model of each
// temporary-assistance workflow and its household; written only by that workflow's activities
// (`saveTemporaryAssistance`, `reserveTemporaryGrant`), audited in the same transaction (R-O6).

export interface SaveTemporaryAssistanceArgs {
  view: TemporaryAssistanceView;
  entries: TemporaryAssistanceEntry[];
  /** Guards against an older snapshot overwriting a newer one. */
  version: number;
}

export interface ReserveGrantArgs {
  assistanceId: string;
  idNumbers: string[];
  amount: Money;
  level: DecidingLevel;
  decidedOn: CivilDate;
  limits: Pick<TemporaryAssistanceLimits, 'perGrant' | 'perHouseholdYear'>;
}

export interface TemporaryAssistanceRow {
  assistanceId: string;
  villageCode: string;
  stage: TemporaryAssistanceStage;
  view: TemporaryAssistanceView;
}

/** The household's grants of a calendar year, this request left out: its own and pending-application grants. */
const GRANTED_IN_YEAR = `
  SELECT coalesce(sum(t.granted_amount), 0) AS granted FROM temporary_assistance t
  WHERE t.assistance_id <> $1 AND t.granted_amount IS NOT NULL
    AND t.decided_on >= make_date($2, 1, 1) AND t.decided_on < make_date($2 + 1, 1, 1)
    AND EXISTS (SELECT 1 FROM temporary_assistance_members m
                WHERE m.assistance_id = t.assistance_id AND m.id_number = ANY($3))
  UNION ALL
  SELECT coalesce(sum(g.amount), 0) FROM temporary_grants g
  WHERE g.granted_on >= make_date($2, 1, 1) AND g.granted_on < make_date($2 + 1, 1, 1)
    AND EXISTS (SELECT 1 FROM application_members m
                WHERE m.application_id = g.application_id AND m.id_number = ANY($3))`;

export function temporaryAssistanceRepository(pool: pg.Pool) {
  return {
    /** The row, the household (once) and the new audit events in one transaction. */
    async save({ view: v, entries, version }: SaveTemporaryAssistanceArgs): Promise<void> {
      const d = v.decision;
      const doc = v.documentation;
      const source = v.source;
      const ref =
        source.kind === 'referral'
          ? `${source.householdId}:${source.referralId}`
          : source.kind === 'application'
            ? source.applicationId
            : null;
      await inTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO temporary_assistance (assistance_id, county_code, township_code, village_code, residence, persons,
             hardship_kind, amount_asked, received_on, received_by, source_kind, source_ref, stage, decided_level,
             decided_on, granted_amount, payment_status, documentation_due, documentation_provisional, documented_on,
             at_risk, overdue, view, view_version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24)
           ON CONFLICT (assistance_id) DO UPDATE SET stage = EXCLUDED.stage, decided_level = EXCLUDED.decided_level,
             decided_on = EXCLUDED.decided_on, granted_amount = EXCLUDED.granted_amount,
             payment_status = EXCLUDED.payment_status, documentation_due = EXCLUDED.documentation_due,
             documentation_provisional = EXCLUDED.documentation_provisional, documented_on = EXCLUDED.documented_on,
             at_risk = EXCLUDED.at_risk, overdue = EXCLUDED.overdue, view = EXCLUDED.view,
             view_version = EXCLUDED.view_version, updated_at = now()
           WHERE temporary_assistance.view_version < EXCLUDED.view_version`,
          [
            v.assistanceId,
            countyOf(v.villageCode),
            townshipOf(v.villageCode),
            v.villageCode,
            v.residence,
            v.members.length,
            v.hardshipKind,
            v.amountAsked,
            v.receivedOn,
            v.receivedBy,
            source.kind,
            ref,
            v.stage,
            d?.level ?? null,
            d?.on ?? null,
            d?.approve ? d.amount : null,
            v.payment?.status ?? null,
            doc?.due.date ?? null,
            doc?.due.provisional ?? false,
            doc?.documentedOn ?? null,
            doc?.atRisk ?? false,
            doc?.overdue ?? false,
            JSON.stringify(v),
            version,
          ],
        );
        await c.query(
          `INSERT INTO temporary_assistance_members (assistance_id, id_number, name, relation)
           SELECT $1, i, n, r FROM unnest($2::text[], $3::text[], $4::text[]) AS m(i, n, r)
           ON CONFLICT DO NOTHING`,
          [
            v.assistanceId,
            v.members.map((m) => m.idNumber),
            v.members.map((m) => m.name),
            v.members.map((m) => m.relation),
          ],
        );
        // R-O7: the audit trail carries the entry's own details (kinds, amounts), never the household.
        await appendAudit(
          c,
          entries.map((e) =>
            historyEvent(
              'temporary_assistance',
              v.assistanceId,
              e,
              { stage: e.stage, ...(e.details ?? {}) },
              v.limits.version,
            ),
          ),
        );
      });
    },

    /**
     * R-A10: a grant checked against the household's grants of its calendar year (every request
     * naming one of its members, and the grants paid while an application of theirs was pending),
     * under a lock of each member, and recorded on the row in the same transaction — so two grants
     * at once cannot both pass the township's yearly limit. A township grant that would pass it is
     * refused (nothing written); a county grant is recorded whatever the sum. Run again, it answers
     * what it recorded the first time.
     */
    async reserveGrant(a: ReserveGrantArgs): Promise<{ refused: boolean; grantedThisYear: Money }> {
      return inTransaction(pool, async (c) => {
        for (const id of [...new Set(a.idNumbers)].sort())
          await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`temporary-assistance:${id}`]);
        const own = await c.query(
          'SELECT granted_before FROM temporary_assistance WHERE assistance_id = $1 AND granted_amount IS NOT NULL',
          [a.assistanceId],
        );
        if (own.rows[0]) return { refused: false, grantedThisYear: toMoney(own.rows[0].granted_before) };
        const { rows } = await c.query(GRANTED_IN_YEAR, [a.assistanceId, yearOf(a.decidedOn), a.idNumbers]);
        const before = toMoney(rows.reduce((s, r) => add(s, r.granted), '0'));
        if (a.level === 'township' && decidingLevel(a.amount, before, a.limits).level === 'county')
          return { refused: true, grantedThisYear: before };
        await c.query(
          `UPDATE temporary_assistance SET decided_level = $2, decided_on = $3, granted_amount = $4,
             granted_before = $5, updated_at = now()
           WHERE assistance_id = $1`,
          [a.assistanceId, a.level, a.decidedOn, a.amount, before],
        );
        return { refused: false, grantedThisYear: before };
      });
    },

    async find(id: string): Promise<TemporaryAssistanceRow | undefined> {
      const { rows } = await pool.query(
        `SELECT assistance_id AS "assistanceId", village_code AS "villageCode", stage, view
         FROM temporary_assistance WHERE assistance_id = $1`,
        [id],
      );
      return rows[0];
    },

    /** R-T2: open documentation whose due date is provisional or counted across `year`. */
    async openTouching(year: number): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT assistance_id FROM temporary_assistance
         WHERE documentation_due IS NOT NULL AND documented_on IS NULL
           AND (documentation_provisional OR (documentation_due >= $1 AND decided_on <= $2))`,
        [`${year}-01-01`, `${year}-12-31`],
      );
      return rows.map((r) => r.assistance_id as string);
    },
  };
}
