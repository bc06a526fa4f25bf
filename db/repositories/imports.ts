import type pg from 'pg';
import type { ImportedHousehold, RowProblem } from '../../domain/caseload-import';
import { countyOf, townshipOf } from '../../domain/region';
import type { ApplicationContext, ImportOutcome } from '../../workflows/contracts';
import { inTransaction } from '../pool';
import { appendAudit, purgeEvent, type RetentionPurge } from './audit';
import { caseHolder, claim } from './enrolments';

// Caseload imports (API.md "Documents and onboarding"). Writers: `imports` and `import_households`
// the import route (the parsed, validated batch, written once); `import_outcomes` the import
// workflow (recordImportOutcomes); the imported case's `cases` row the recordCase activity, the same
// writer as at approval, with its members claimed through the enrolment module (R-A1).

export interface ImportBatch {
  importId: string;
  countyCode: string;
  format: 'csv' | 'xlsx';
  validOnly: boolean;
  rowsTotal: number;
  problems: RowProblem[];
  households: ImportedHousehold[];
  context: ApplicationContext;
  createdBy: string;
}

export interface StoredHousehold {
  caseId: string;
  household: ImportedHousehold;
  context: ApplicationContext;
  createdBy: string;
}

const CHUNK = 1000;

export function importsRepository(pool: pg.Pool) {
  return {
    /**
     * R-O7: the households (names, ID numbers) of imports older than the retention whose every
     * household has its outcome — the cases hold what they need — go; the import, its report and
     * its outcomes stay. One audit event says how many, in the same transaction.
     */
    async purgeHouseholdsOlderThan(p: RetentionPurge): Promise<number> {
      return inTransaction(pool, async (c) => {
        const { rowCount } = await c.query(
          `DELETE FROM import_households h USING imports i
           WHERE h.import_id = i.import_id AND i.created_at < now() - make_interval(days => $1)
             AND (SELECT count(*) FROM import_outcomes o WHERE o.import_id = i.import_id) >= i.households_total`,
          [p.olderThanDays],
        );
        await appendAudit(c, [purgeEvent(p, 'import_households', rowCount ?? 0)]);
        return rowCount ?? 0;
      });
    },

    /** The batch in one transaction; the same import id again writes nothing (a retried upload). */
    async create(b: ImportBatch): Promise<boolean> {
      return inTransaction(pool, async (c) => {
        const created = await c.query(
          `INSERT INTO imports (import_id, county_code, format, valid_only, rows_total, rows_invalid,
             households_total, report, context, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (import_id) DO NOTHING RETURNING import_id`,
          [
            b.importId,
            b.countyCode,
            b.format,
            b.validOnly,
            b.rowsTotal,
            new Set(b.problems.map((p) => p.row)).size,
            b.households.length,
            JSON.stringify(b.problems),
            JSON.stringify(b.context),
            b.createdBy,
          ],
        );
        if (created.rowCount === 0) return false;
        for (let i = 0; i < b.households.length; i += CHUNK) {
          const page = b.households.slice(i, i + CHUNK);
          await c.query(
            `INSERT INTO import_households (import_id, seq, case_id, village_code, household)
             SELECT $1, s, k, v, h FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[]) AS t(s, k, v, h)`,
            [
              b.importId,
              page.map((_, j) => i + j + 1),
              page.map((h) => h.caseId),
              page.map((h) => h.villageCode),
              page.map((h) => JSON.stringify(h)),
            ],
          );
        }
        return true;
      });
    },

    async household(importId: string, seq: number): Promise<StoredHousehold | undefined> {
      const { rows } = await pool.query(
        `SELECT h.case_id, h.household, i.context, i.created_by FROM import_households h
         JOIN imports i USING (import_id) WHERE h.import_id = $1 AND h.seq = $2`,
        [importId, seq],
      );
      const r = rows[0];
      return r && { caseId: r.case_id, household: r.household, context: r.context, createdBy: r.created_by };
    },

    /**
     * The imported case's row and its members' enrolments in one transaction (R-A1). A case row that
     * another import made is `already_present`; a member held by another application or case rolls
     * it back and fails the household, naming the holder. Run again, it finds its own rows.
     */
    async recordImportedCase(importId: string, seq: number): Promise<Omit<ImportOutcome, 'seq'>> {
      const stored = await this.household(importId, seq);
      if (!stored)
        return { caseId: '', outcome: 'failed', reason: `no household ${seq} in import ${importId}` };
      const { caseId, household: h, createdBy } = stored;
      return inTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO cases (case_id, application_id, import_id, category, village_code, township_code, county_code,
             status, monthly_amount, start_month, approved_on, approved_by, members)
           VALUES ($1, NULL, $2, $3, $4, $5, $6, 'active', $7, $8, $9, $10, $11) ON CONFLICT (case_id) DO NOTHING`,
          [
            caseId,
            importId,
            h.category,
            h.villageCode,
            townshipOf(h.villageCode),
            countyOf(h.villageCode),
            h.monthlyAmount,
            h.startMonth,
            `${h.startMonth}-01`,
            createdBy,
            JSON.stringify(
              h.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
            ),
          ],
        );
        const owner = await c.query('SELECT import_id FROM cases WHERE case_id = $1', [caseId]);
        if (owner.rows[0]?.import_id !== importId) return { caseId, outcome: 'already_present' as const };
        const ids = h.members.map((m) => m.idNumber);
        const other = await claim(c, caseHolder(caseId), { idNumbers: ids, alone: false });
        if (other)
          throw new HeldElsewhere(`R-A1: a member is already in ${other.holderKind} ${other.holderId}`);
        return { caseId, outcome: 'created' as const };
      }).catch((err) => {
        if (err instanceof HeldElsewhere) return { caseId, outcome: 'failed' as const, reason: err.message };
        throw err;
      });
    },

    /** A page of households (seq from…to), a few transactions at a time; each household alone. */
    async recordImportedCases(
      importId: string,
      fromSeq: number,
      toSeq: number,
      onEach: () => void = () => {},
    ): Promise<ImportOutcome[]> {
      const seqs = Array.from({ length: toSeq - fromSeq + 1 }, (_, i) => fromSeq + i);
      const out: ImportOutcome[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(4, seqs.length) }, async () => {
          while (next < seqs.length) {
            const seq = seqs[next++]!;
            out.push({ seq, ...(await this.recordImportedCase(importId, seq)) });
            onEach();
          }
        }),
      );
      return out.sort((a, b) => a.seq - b.seq);
    },

    async recordOutcomes(importId: string, outcomes: ImportOutcome[]): Promise<void> {
      if (outcomes.length === 0) return;
      await pool.query(
        `INSERT INTO import_outcomes (import_id, seq, case_id, outcome, reason)
         SELECT $1, s, k, o, r FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS t(s, k, o, r)
         ON CONFLICT DO NOTHING`,
        [
          importId,
          outcomes.map((o) => o.seq),
          outcomes.map((o) => o.caseId),
          outcomes.map((o) => o.outcome),
          outcomes.map((o) => o.reason ?? null),
        ],
      );
    },

    /**
     * The cases this import made for households `fromSeq`..`toSeq`, and for the households `seqs`,
     * whose workflow has not yet saved its first state (revision 0): started and still waiting for a
     * worker's first task, or never started. The cases are probed by key, the households' ids first:
     * the cost is the window's, not the county's caseload (a join may scan every case).
     */
    async waitingCases(
      importId: string,
      fromSeq: number,
      toSeq: number,
      seqs: number[] = [],
    ): Promise<number> {
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM cases c
         WHERE c.case_id = ANY (ARRAY(SELECT h.case_id FROM import_households h
                                      WHERE h.import_id = $1 AND (h.seq BETWEEN $2 AND $3 OR h.seq = ANY($4::int[]))))
           AND c.import_id = $1 AND c.revision = 0`,
        [importId, fromSeq, toSeq, seqs],
      );
      return rows[0].n as number;
    },

    /** GET /v1/imports/{id}: the import, its progress and its failures (household key, rows, reason). */
    async find(importId: string) {
      const { rows } = await pool.query('SELECT * FROM imports WHERE import_id = $1', [importId]);
      const i = rows[0];
      if (!i) return undefined;
      const counts = await pool.query(
        'SELECT outcome, count(*)::int AS n FROM import_outcomes WHERE import_id = $1 GROUP BY outcome',
        [importId],
      );
      const by = Object.fromEntries(counts.rows.map((r) => [r.outcome, r.n])) as Record<string, number>;
      const failed = await pool.query(
        `SELECT o.seq, o.case_id, o.reason, h.household->>'householdKey' AS household, h.household->'rows' AS rows
         FROM import_outcomes o JOIN import_households h USING (import_id, seq)
         WHERE o.import_id = $1 AND o.outcome = 'failed' ORDER BY o.seq LIMIT 1000`,
        [importId],
      );
      return {
        importId: i.import_id as string,
        countyCode: i.county_code as string,
        format: i.format as string,
        validOnly: i.valid_only as boolean,
        rowsTotal: i.rows_total as number,
        rowsInvalid: i.rows_invalid as number,
        householdsTotal: i.households_total as number,
        report: i.report as RowProblem[],
        createdAt: (i.created_at as Date).toISOString(),
        created: by.created ?? 0,
        alreadyPresent: by.already_present ?? 0,
        failed: by.failed ?? 0,
        failures: failed.rows.map((r) => ({
          household: r.household as string,
          rows: r.rows as number[],
          caseId: r.case_id as string,
          reason: r.reason as string,
        })),
      };
    },
  };
}

class HeldElsewhere extends Error {}
