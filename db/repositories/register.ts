import type pg from 'pg';
import { townshipOf } from '../../domain/region';
import type { MonitoringHit, RegisterHistoryEntry, RegisterView } from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { appendAudit, historyEvent } from './audit';

// The low-income register (R-L1 … R-L3). `register_households` and `register_members` are written
// only by the household's register workflow (activity saveRegister); `monitoring_hits` only by the
// integration intake (what arrived; the register acts on the signal). The API reads.

export interface RegisterRow {
  householdKey: string;
  countyCode: string;
  villageCode: string;
  view: RegisterView;
}

export interface RegisterFilter {
  region: string;
  group?: string;
  flag?: 'at_risk' | 'overdue' | 'open';
  after?: string;
  limit: number;
}

export type MonitoringOutcome = 'matched' | 'registered' | 'unknown';

export function registerRepository(pool: pg.Pool) {
  return {
    /**
     * The household's row, its members and one audit event per history entry (R-O6), once each.
     * `replaces`: R-O7, the entry took over one named by a reversible key — that key's members and
     * hits move to this key and its row goes, in this transaction (no household lost or doubled).
     */
    async save(view: RegisterView, entries: RegisterHistoryEntry[], replaces?: string): Promise<void> {
      const open = view.tasks.filter((t) => !t.closedOn);
      const nextDue = open.map((t) => t.due.date).sort()[0] ?? null;
      await inTransaction(pool, async (c) => {
        const saved = await c.query(
          `INSERT INTO register_households (household_key, county_code, township_code, village_code, groups,
             sources, open_warnings, at_risk, overdue, next_due_on, registered_on, view, revision, updated_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13, now())
           ON CONFLICT (household_key) DO UPDATE SET village_code = EXCLUDED.village_code,
             township_code = EXCLUDED.township_code, groups = EXCLUDED.groups, sources = EXCLUDED.sources,
             open_warnings = EXCLUDED.open_warnings, at_risk = EXCLUDED.at_risk, overdue = EXCLUDED.overdue,
             next_due_on = EXCLUDED.next_due_on, view = EXCLUDED.view, revision = EXCLUDED.revision,
             updated_at = now()
           WHERE register_households.revision < EXCLUDED.revision`,
          [
            view.householdKey,
            view.countyCode,
            townshipOf(view.villageCode),
            view.villageCode,
            view.groups,
            [...new Set(view.sources.map((s) => s.source))],
            open.length,
            open.some((t) => t.atRisk),
            open.some((t) => t.overdue),
            nextDue,
            view.registeredOn,
            JSON.stringify(view),
            view.revision,
          ],
        );
        await appendAudit(
          c,
          entries.map((e) => historyEvent('register', view.householdKey, e, e.details ?? {})),
        );
        if (saved.rowCount === 0) return; // an older snapshot arriving late
        // R-L1: a member found in another household first stays there (one entry per person).
        await c.query(
          `INSERT INTO register_members (county_code, id_number, household_key)
           SELECT $1, unnest($2::text[]), $3 ON CONFLICT (county_code, id_number) DO NOTHING`,
          [view.countyCode, view.members.map((m) => m.idNumber), view.householdKey],
        );
        if (replaces && replaces !== view.householdKey) {
          const moved = [view.householdKey, replaces];
          await c.query('UPDATE register_members SET household_key = $1 WHERE household_key = $2', moved);
          await c.query('UPDATE monitoring_hits SET household_key = $1 WHERE household_key = $2', moved);
          await c.query('DELETE FROM register_households WHERE household_key = $1', [replaces]);
        }
      });
    },

    /** R-L1: the household already registered in the county for any of these persons. */
    async keyOf(countyCode: string, idNumbers: string[]): Promise<string | undefined> {
      if (idNumbers.length === 0) return undefined;
      const { rows } = await pool.query(
        `SELECT household_key FROM register_members WHERE county_code = $1 AND id_number = ANY($2::text[])
         ORDER BY household_key LIMIT 1`,
        [countyCode, idNumbers],
      );
      return rows[0]?.household_key;
    },

    /** The households holding these persons, in any county (an integration's hits). */
    async holdersOf(
      idNumbers: string[],
    ): Promise<Map<string, { householdKey: string; villageCode: string }>> {
      if (idNumbers.length === 0) return new Map();
      const { rows } = await pool.query(
        `SELECT m.id_number, h.household_key, h.village_code FROM register_members m
         JOIN register_households h USING (household_key) WHERE m.id_number = ANY($1::text[])`,
        [idNumbers],
      );
      return new Map(
        rows.map((r) => [r.id_number, { householdKey: r.household_key, villageCode: r.village_code }]),
      );
    },

    async find(householdKey: string): Promise<RegisterRow | undefined> {
      const { rows } = await pool.query(
        `SELECT household_key, county_code, village_code, view FROM register_households WHERE household_key = $1`,
        [householdKey],
      );
      const r = rows[0];
      return (
        r && {
          householdKey: r.household_key,
          countyCode: r.county_code,
          villageCode: r.village_code,
          view: r.view,
        }
      );
    },

    /** The region's households, by key (cursor `after`), filtered by group and warning flag. */
    async list(f: RegisterFilter): Promise<RegisterView[]> {
      const { rows } = await pool.query(
        `SELECT view FROM register_households
         WHERE village_code LIKE $1 || '%' AND ($2::text IS NULL OR $2 = ANY(groups))
           AND ($3::text IS NULL OR ($3 = 'at_risk' AND at_risk) OR ($3 = 'overdue' AND overdue)
                OR ($3 = 'open' AND open_warnings > 0))
           AND ($4::text IS NULL OR household_key > $4)
         ORDER BY household_key LIMIT $5`,
        [f.region, f.group ?? null, f.flag ?? null, f.after ?? null, f.limit],
      );
      return rows.map((r) => r.view);
    },

    /** R-T2: entries with an open visit whose due date was counted on a provisional calendar. */
    async provisional(): Promise<{ countyCode: string; householdKey: string }[]> {
      const { rows } = await pool.query(
        `SELECT county_code, household_key FROM register_households
         WHERE open_warnings > 0 AND EXISTS (
           SELECT 1 FROM jsonb_array_elements(view->'tasks') t
           WHERE t->>'closedOn' IS NULL AND (t->'due'->>'provisional')::boolean)
         ORDER BY household_key`,
      );
      return rows.map((r) => ({ countyCode: r.county_code, householdKey: r.household_key }));
    },

    /** R-L2: each hit recorded once; returns the ids actually inserted. */
    async recordHits(
      rows: {
        hit: MonitoringHit;
        householdKey: string | null;
        outcome: MonitoringOutcome;
        reportedBy: string;
      }[],
    ): Promise<Set<string>> {
      if (rows.length === 0) return new Set();
      const { rows: ins } = await pool.query(
        `INSERT INTO monitoring_hits (hit_id, kind, id_number, detected_on, household_key, outcome, reported_by)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[])
         ON CONFLICT (hit_id) DO NOTHING RETURNING hit_id`,
        [
          rows.map((r) => r.hit.hitId),
          rows.map((r) => r.hit.kind),
          rows.map((r) => r.hit.idNumber),
          rows.map((r) => r.hit.detectedOn),
          rows.map((r) => r.householdKey),
          rows.map((r) => r.outcome),
          rows.map((r) => r.reportedBy),
        ],
      );
      return new Set(ins.map((r) => r.hit_id as string));
    },

    /** Hits already received that reached a household (sent again on a resend: the register dedupes). */
    async forwardedHits(hitIds: string[]): Promise<Map<string, string>> {
      if (hitIds.length === 0) return new Map();
      const { rows } = await pool.query(
        `SELECT hit_id, household_key FROM monitoring_hits
         WHERE hit_id = ANY($1::text[]) AND household_key IS NOT NULL`,
        [hitIds],
      );
      return new Map(rows.map((r) => [r.hit_id, r.household_key]));
    },
  };
}
