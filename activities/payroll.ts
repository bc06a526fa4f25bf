import { createHash } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Context } from '@temporalio/activity';
import { stringify } from 'csv-stringify/sync';
import type pg from 'pg';
import { inTransaction } from '../db/pool';
import type { CivilDate, YearMonth } from '../domain/dates';
import { add, compare, isZero, min, neg, sub, toMoney } from '../domain/money';
import type { PayrollContext } from '../workflows/messages';
import { type ActivityDeps, reposOf } from './deps';

// Side effects of the monthly payroll (R-M1, R-M2, R-M8, R-E6). Exactly once: every ledger row has
// the unique key (case, month, kind) and is written with ON CONFLICT DO NOTHING inside the same
// transaction that settles what it pays, so a retried activity or a second payroll run writes
// nothing twice and settles nothing twice. Status changes leave history rows (ledger trigger).

/** Quarter months from `month` to the quarter's end (R-E6 quarterly: paid at the start). */
export function restOfQuarter(month: YearMonth): YearMonth[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const end = Math.ceil(m / 3) * 3;
  return Array.from({ length: end - m + 1 }, (_, i) => `${y}-${String(m + i).padStart(2, '0')}`);
}

export interface RosterPage {
  afterCaseId?: string;
  lastCaseId?: string;
  cases: number;
  rows: number;
  done: boolean;
}

export function payrollActivities(deps: ActivityDeps) {
  const { pool, paymentFilesDir = '.data/payment-files' } = deps;
  const { policies, calendar } = reposOf(deps);
  return {
    /** Parameters in force for the month (R-E6 frequency, R-M1 retry limit) and the runtime calendar. */
    async loadPayrollContext(args: { countyCode: string; month: YearMonth }): Promise<PayrollContext> {
      const { policy, deadlines } = await policies.inForce(args.countyCode, `${args.month}-01`);
      return { policy, deadlines, runtimeYears: await calendar.runtimeYears() };
    },

    async openPayroll(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
      rosterDate: CivilDate;
      paymentDate: CivilDate;
    }): Promise<void> {
      await pool.query(
        `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
         VALUES ($1, $2, $3, $4, $5, 'rostering') ON CONFLICT (payroll_id) DO NOTHING`,
        [args.payrollId, args.countyCode, args.month, args.rosterDate, args.paymentDate],
      );
    },

    /**
     * R-M1 / R-M2 / R-M8: one page of the county's roster (cases ordered by id), in one transaction:
     * the month's regular lines from what each case handed to the payroll at the cut-off (nothing
     * after death or closure: no month row), open back-pay as one line per case, and open recoveries
     * offset against the case's money this month (never more). Bounded: one page per call.
     */
    async rosterPage(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
      quarterlyExtremePoverty: boolean;
      afterCaseId?: string;
      limit: number;
    }): Promise<RosterPage> {
      const result = await inTransaction(pool, async (db) => {
        const page = await db.query(
          `SELECT case_id, month, township_code, village_code, category, residence, amount, persons
           FROM case_months WHERE county_code = $1 AND month = $2 AND case_id > $3
           ORDER BY case_id LIMIT $4`,
          [args.countyCode, args.month, args.afterCaseId ?? '', args.limit],
        );
        const ids = page.rows.map((r) => r.case_id as string);
        if (!ids.length) return { cases: 0, rows: 0, lastCaseId: args.afterCaseId };
        let rows = 0;
        // Regular lines. Quarterly extreme-poverty support (R-E6) is paid at the start of the
        // quarter: the first payroll that sees the case pays it to the quarter's end; the later
        // months of the quarter then find their rows already there (unique key).
        const quarter = restOfQuarter(args.month);
        const regular = page.rows.filter((r) => !isZero(r.amount));
        const cols = {
          caseId: [] as string[],
          month: [] as string[],
          township: [] as string[],
          village: [] as string[],
          category: [] as string[],
          residence: [] as string[],
          persons: [] as number[],
          amount: [] as string[],
        };
        for (const r of regular) {
          const months =
            args.quarterlyExtremePoverty && r.category === 'extreme_poverty' ? quarter : [args.month];
          for (const m of months) {
            cols.caseId.push(r.case_id);
            cols.month.push(m);
            cols.township.push(r.township_code);
            cols.village.push(r.village_code);
            cols.category.push(r.category);
            cols.residence.push(r.residence);
            cols.persons.push(r.persons);
            cols.amount.push(r.amount);
          }
        }
        const inserted = await db.query(
          `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
             residence, persons, amount, status)
           SELECT c, m, 'regular', $1, $2, t, v, cat, res, p, a, 'scheduled'
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::numeric[])
             AS x(c, m, t, v, cat, res, p, a)
           ON CONFLICT DO NOTHING`,
          [
            args.payrollId,
            args.countyCode,
            cols.caseId,
            cols.month,
            cols.township,
            cols.village,
            cols.category,
            cols.residence,
            cols.persons,
            cols.amount,
          ],
        );
        rows += inserted.rowCount ?? 0;
        rows += await settleAdjustments(db, args.payrollId, args.countyCode, args.month, ids);
        await db.query(
          'UPDATE payrolls SET lines_done = lines_done + $2, updated_at = now() WHERE payroll_id = $1',
          [args.payrollId, rows],
        );
        return { cases: ids.length, rows, lastCaseId: ids.at(-1) };
      });
      Context.current().heartbeat(result.lastCaseId);
      return {
        afterCaseId: args.afterCaseId,
        lastCaseId: result.lastCaseId,
        cases: result.cases,
        rows: result.rows,
        done: result.cases < args.limit,
      };
    },

    /**
     * R-M1 "never silently lost": a month a case handed over after its own payroll had read the
     * roster (a case worker down at the cut-off, say) has no ledger row; the next payroll pays it
     * (the last 12 months, and only months whose payroll has finished its roster). Exactly once by the same key.
     */
    async rosterLateMonths(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
    }): Promise<number> {
      const r = await pool.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status)
         SELECT cm.case_id, cm.month, 'regular', $1, cm.county_code, cm.township_code, cm.village_code, cm.category,
           cm.residence, cm.persons, cm.amount, 'scheduled'
         FROM case_months cm JOIN payrolls p ON p.county_code = cm.county_code AND p.month = cm.month
         WHERE cm.county_code = $2 AND cm.month < $3 AND cm.month >= to_char(to_date($3, 'YYYY-MM') - interval '12 months', 'YYYY-MM')
           AND p.status <> 'rostering' -- that payroll has finished reading its roster
           AND cm.amount > 0
           AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.case_id = cm.case_id AND l.month = cm.month AND l.kind = 'regular')
         ON CONFLICT DO NOTHING`,
        [args.payrollId, args.countyCode, args.month],
      );
      return r.rowCount ?? 0;
    },

    /** Back-pay owed to cases that handed no month this time (closed after a review, say). */
    async rosterStragglers(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
    }): Promise<number> {
      return inTransaction(pool, async (db) => {
        const { rows } = await db.query(
          `SELECT DISTINCT a.case_id FROM case_adjustments a
           WHERE a.county_code = $1 AND a.kind = 'back_pay' AND a.settled_amount < a.amount
             AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.case_id = a.case_id AND l.month = $2 AND l.kind = 'back_pay')`,
          [args.countyCode, args.month],
        );
        return settleAdjustments(
          db,
          args.payrollId,
          args.countyCode,
          args.month,
          rows.map((r) => r.case_id),
        );
      });
    },

    /**
     * R-M1: failed bank lines of earlier payrolls go out again in this one (attempt n+1); after the
     * county's limit they are escalated to supervisors instead, never silently dropped.
     */
    async retryFailedLines(args: {
      payrollId: string;
      countyCode: string;
      maxAttempts: number;
      dueOn: CivilDate;
    }): Promise<{ retried: number; escalated: number }> {
      return inTransaction(pool, async (db) => {
        const { rows } = await db.query(
          `SELECT pl.line_id, pl.case_id, pl.attempt, c.village_code FROM payment_lines pl
           JOIN payrolls p ON p.payroll_id = pl.payroll_id JOIN cases c ON c.case_id = pl.case_id
           WHERE p.county_code = $1 AND pl.payroll_id <> $2 AND pl.status = 'failed'
           ORDER BY pl.line_id FOR UPDATE OF pl`,
          [args.countyCode, args.payrollId],
        );
        let retried = 0;
        let escalated = 0;
        for (const r of rows) {
          if (r.attempt >= args.maxAttempts) {
            await db.query(`UPDATE payment_lines SET status = 'escalated' WHERE line_id = $1`, [r.line_id]);
            await db.query(
              `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code,
                 village_code, flag, deadline_kind, due_on)
               VALUES ($1, 'payment', $2, $3, $4, $5, 'overdue', 'payment_failed', $6) ON CONFLICT DO NOTHING`,
              [
                `payment:${r.line_id}:escalated`,
                r.line_id,
                args.countyCode,
                r.village_code.slice(0, 9),
                r.village_code,
                args.dueOn,
              ],
            );
            escalated++;
            continue;
          }
          await db.query(`UPDATE payment_lines SET status = 'retried' WHERE line_id = $1`, [r.line_id]);
          await db.query(
            `UPDATE ledger SET payroll_id = $2, status = 'scheduled', attempts = attempts + 1,
               payment_line_id = NULL, updated_at = now()
             WHERE payment_line_id = $1 AND status = 'failed'`,
            [r.line_id, args.payrollId],
          );
          retried++;
        }
        return { retried, escalated };
      });
    },

    /**
     * The bank file (R-M1): one line per case — the net of its scheduled rows — in the documented
     * layout `line_id,card_number,name,amount,months` (UTF-8, header row, sorted by line id), written
     * atomically; the same payroll always produces the same bytes. The card is the payee's social
     * security card, numbered by the payee's ID number.
     */
    async writeBankFile(args: {
      payrollId: string;
      countyCode: string;
      month: YearMonth;
    }): Promise<{ fileName: string; sha256: string; lines: number; amount: string }> {
      const heartbeat = (detail: string) => Context.current().heartbeat(detail);
      // Set-based, in the server: one line per case (net of its rows; the payee is the applicant),
      // then the rows follow their line. Rows netting to zero or less were settled by a recovery.
      await inTransaction(pool, async (db) => {
        await db.query(
          `INSERT INTO payment_lines (line_id, payroll_id, case_id, card_number, payee_name, amount, months, status, attempt)
           SELECT $1 || ':' || g.case_id, $1, g.case_id, coalesce(p.value->>'idNumber', ''), coalesce(p.value->>'name', ''),
             g.net, g.months, 'sent', g.attempt
           FROM (SELECT case_id, sum(amount) AS net, string_agg(DISTINCT month, ';' ORDER BY month) AS months,
                   max(attempts) AS attempt
                 FROM ledger WHERE payroll_id = $1 AND status = 'scheduled' AND kind <> 'temporary_grant'
                 GROUP BY case_id) g
           JOIN cases c ON c.case_id = g.case_id
           LEFT JOIN LATERAL (SELECT value FROM jsonb_array_elements(c.members)
                              ORDER BY (value->>'relation' = 'applicant') DESC LIMIT 1) p ON true
           WHERE g.net > 0
           ON CONFLICT (line_id) DO NOTHING`,
          [args.payrollId],
        );
        heartbeat('lines');
        await db.query(
          `UPDATE ledger l SET status = 'sent', payment_line_id = pl.line_id, updated_at = now()
           FROM payment_lines pl
           WHERE l.payroll_id = $1 AND l.status = 'scheduled' AND l.kind <> 'temporary_grant'
             AND pl.line_id = $1 || ':' || l.case_id`,
          [args.payrollId],
        );
        await db.query(
          `UPDATE ledger SET status = 'paid', updated_at = now()
           WHERE payroll_id = $1 AND status = 'scheduled' AND kind <> 'temporary_grant'`,
          [args.payrollId],
        );
      });
      heartbeat('rows');
      // The file, page by page (bounded memory), hashed as it is written; renamed into place at the end.
      const fileName = join(args.countyCode, `${args.month}.csv`);
      const path = join(paymentFilesDir, fileName);
      await mkdir(dirname(path), { recursive: true });
      const out = await open(`${path}.tmp`, 'w');
      const hash = createHash('sha256');
      const write = async (text: string) => {
        hash.update(text);
        await out.write(text);
      };
      let lines = 0;
      let amount = '0';
      let after = '';
      try {
        await write(
          stringify([], { header: true, columns: ['line_id', 'card_number', 'name', 'amount', 'months'] }),
        );
        for (;;) {
          const { rows } = await pool.query(
            `SELECT line_id, card_number, payee_name, amount, months FROM payment_lines
             WHERE payroll_id = $1 AND line_id > $2 ORDER BY line_id LIMIT 10000`,
            [args.payrollId, after],
          );
          if (!rows.length) break;
          await write(
            stringify(rows.map((r) => [r.line_id, r.card_number, r.payee_name, r.amount, r.months])),
          );
          for (const r of rows) amount = add(amount, r.amount);
          lines += rows.length;
          after = rows.at(-1)!.line_id;
          heartbeat(after);
        }
      } finally {
        await out.close();
      }
      await rename(`${path}.tmp`, path);
      const sha256 = hash.digest('hex');
      await pool.query(
        `UPDATE payrolls SET status = CASE WHEN status = 'rostering' THEN 'sent' ELSE status END, file_name = $2,
           file_sha256 = $3, lines_total = $4, updated_at = now() WHERE payroll_id = $1`,
        [args.payrollId, fileName, sha256, lines],
      );
      return { fileName, sha256, lines, amount: toMoney(amount) };
    },

    /**
     * R-A10: temporary grants are paid at once by the township; the ledger records them (status
     * paid) in the first payroll after their month, one row per application and month.
     */
    async rosterTemporaryGrants(args: { payrollId: string; countyCode: string; month: YearMonth }) {
      const r = await pool.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status, source_keys)
         SELECT g.application_id, to_char(g.granted_on, 'YYYY-MM'), 'temporary_grant', $1, a.county_code,
           a.township_code, a.village_code, a.category, coalesce(a.view->'household'->>'residence', 'rural'),
           (SELECT count(*)::int FROM application_members m WHERE m.application_id = a.application_id),
           sum(g.amount), 'paid', array_agg(g.grant_id ORDER BY g.grant_id)
         FROM temporary_grants g JOIN applications a ON a.application_id = g.application_id
         WHERE a.county_code = $2 AND to_char(g.granted_on, 'YYYY-MM') < $3
         GROUP BY g.application_id, to_char(g.granted_on, 'YYYY-MM'), a.county_code, a.township_code,
           a.village_code, a.category, a.view, a.application_id
         ON CONFLICT DO NOTHING`,
        [args.payrollId, args.countyCode, args.month],
      );
      return r.rowCount ?? 0;
    },

    /**
     * R-M1 "never silently lost": open cases that should have handed this month to the payroll but
     * have not (a case worker down at the cut-off, say) are counted and raised to supervisors.
     */
    async checkRosterComplete(args: { payrollId: string; countyCode: string; month: YearMonth }) {
      const { rows } = await pool.query(
        `SELECT c.case_id FROM cases c
         WHERE c.county_code = $1 AND c.status <> 'closed' AND c.start_month <= $2
           AND NOT EXISTS (SELECT 1 FROM case_months m WHERE m.case_id = c.case_id AND m.month = $2)
         ORDER BY c.case_id`,
        [args.countyCode, args.month],
      );
      if (rows.length) {
        await pool.query(
          `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code, village_code,
             flag, deadline_kind, due_on)
           SELECT 'payroll:' || payroll_id || ':roster_incomplete', 'payroll', payroll_id, county_code, '', '',
             'overdue', 'roster_incomplete', roster_date
           FROM payrolls WHERE payroll_id = $1 ON CONFLICT DO NOTHING`,
          [args.payrollId],
        );
      }
      return { missing: rows.length, examples: rows.slice(0, 20).map((r) => r.case_id as string) };
    },

    /** Lines of the payroll by status: how far the bank's results have come. */
    async payrollProgress(args: { payrollId: string }): Promise<Record<string, number>> {
      const { rows } = await pool.query(
        'SELECT status, count(*)::int AS n FROM payment_lines WHERE payroll_id = $1 GROUP BY status',
        [args.payrollId],
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },

    /** The payroll's status; 'overdue' also raises a supervision alert (R-O3), once. */
    async setPayrollStatus(args: { payrollId: string; status: 'sent' | 'completed' | 'overdue' }) {
      await pool.query('UPDATE payrolls SET status = $2, updated_at = now() WHERE payroll_id = $1', [
        args.payrollId,
        args.status,
      ]);
      if (args.status !== 'overdue') return;
      await pool.query(
        `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code, village_code,
           flag, deadline_kind, due_on)
         SELECT 'payroll:' || payroll_id || ':overdue', 'payroll', payroll_id, county_code, '', '', 'overdue',
           'payment_results', payment_date
         FROM payrolls WHERE payroll_id = $1 ON CONFLICT DO NOTHING`,
        [args.payrollId],
      );
    },

    /** The counties that have open cases: the monthly schedule starts one payroll for each. */
    async listPayrollCounties(): Promise<string[]> {
      const { rows } = await pool.query(
        `SELECT DISTINCT county_code FROM cases WHERE status <> 'closed' ORDER BY county_code`,
      );
      return rows.map((r) => r.county_code);
    },
  };
}

/**
 * Open back-pay becomes one `back_pay` row per case; open recoveries become one negative
 * `recovery_offset` row, no larger than the case's other money this payroll (R-M2: offsets future
 * payments). Adjustments are settled only when their row was written now, so a retry settles nothing twice.
 */
async function settleAdjustments(
  db: pg.PoolClient,
  payrollId: string,
  countyCode: string,
  month: YearMonth,
  caseIds: string[],
): Promise<number> {
  if (!caseIds.length) return 0;
  const open = await db.query(
    `SELECT a.adjustment_key, a.case_id, a.kind, a.amount - a.settled_amount AS open, a.category,
       c.township_code, c.village_code, coalesce(c.persons, jsonb_array_length(c.members)) AS persons,
       coalesce(c.view->>'residence',
         (SELECT m.residence FROM case_months m WHERE m.case_id = c.case_id ORDER BY m.month DESC LIMIT 1)) AS residence
     FROM case_adjustments a JOIN cases c ON c.case_id = a.case_id
     WHERE a.case_id = ANY($1) AND a.settled_amount < a.amount
     ORDER BY a.case_id, a.recorded_at, a.adjustment_key FOR UPDATE OF a`,
    [caseIds],
  );
  if (!open.rows.length) return 0;
  const money = await db.query(
    `SELECT case_id, sum(amount) AS total FROM ledger WHERE payroll_id = $1 AND case_id = ANY($2) AND amount > 0
     GROUP BY case_id`,
    [payrollId, caseIds],
  );
  const outgoing = new Map(money.rows.map((r) => [r.case_id as string, r.total as string]));
  const byCase = new Map<string, typeof open.rows>();
  for (const r of open.rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
  let written = 0;
  for (const [caseId, adjustments] of byCase) {
    const first = adjustments[0]!;
    const row = async (kind: 'back_pay' | 'recovery_offset', amount: string, keys: string[]) => {
      const r = await db.query(
        `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code, category,
           residence, persons, amount, status, source_keys)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'scheduled', $12) ON CONFLICT DO NOTHING`,
        [
          caseId,
          month,
          kind,
          payrollId,
          countyCode,
          first.township_code,
          first.village_code,
          first.category,
          first.residence ?? 'rural',
          first.persons ?? 1,
          amount,
          keys,
        ],
      );
      return (r.rowCount ?? 0) > 0;
    };
    const backPay = adjustments.filter((a) => a.kind === 'back_pay');
    let available = outgoing.get(caseId) ?? '0';
    if (backPay.length) {
      const total = backPay.reduce((s, a) => add(s, a.open), '0');
      if (
        await row(
          'back_pay',
          toMoney(total),
          backPay.map((a) => a.adjustment_key),
        )
      ) {
        written++;
        available = add(available, total);
        for (const a of backPay)
          await db.query('UPDATE case_adjustments SET settled_amount = amount WHERE adjustment_key = $1', [
            a.adjustment_key,
          ]);
      }
    }
    const recoveries = adjustments.filter((a) => a.kind === 'recovery');
    if (recoveries.length && compare(available, 0) > 0) {
      const settled: [string, string][] = [];
      let left = available;
      for (const a of recoveries) {
        if (compare(left, 0) <= 0) break;
        const take = min(a.open, left);
        settled.push([a.adjustment_key, take]);
        left = sub(left, take);
      }
      const total = settled.reduce((s, [, t]) => add(s, t), '0');
      if (
        await row(
          'recovery_offset',
          toMoney(neg(total)),
          settled.map(([k]) => k),
        )
      ) {
        written++;
        for (const [key, take] of settled)
          await db.query(
            'UPDATE case_adjustments SET settled_amount = settled_amount + $2 WHERE adjustment_key = $1',
            [key, take],
          );
      }
    }
  }
  return written;
}

export interface PaymentResultInput {
  resultId: string;
  lineId: string;
  outcome: 'paid' | 'failed' | 'returned';
  reason?: string;
  reportedAt: string;
}

export type PaymentResultOutcome = 'applied' | 'duplicate' | 'unknown_line' | 'stale';

// Allowed moves of a bank line: a later return of paid money, a correction of a failure.
const NEXT: Record<string, readonly string[]> = {
  sent: ['paid', 'failed', 'returned'],
  paid: ['returned'],
  failed: ['paid'],
};

/**
 * R-M1: the bank's per-line results, each applied exactly once (by the bank's result id) and in
 * the bank's order (a result reported before the one already applied is kept but not applied).
 * The line's ledger rows follow it, with history rows. Returned money is raised to supervisors.
 */
export async function applyPaymentResults(
  pool: pg.Pool,
  results: PaymentResultInput[],
): Promise<{ outcomes: PaymentResultOutcome[]; payrolls: string[] }> {
  const payrolls = new Set<string>();
  const outcomes: PaymentResultOutcome[] = [];
  for (const r of results) {
    outcomes.push(
      await inTransaction(pool, async (db) => {
        const line = (
          await db.query(
            `SELECT pl.line_id, pl.payroll_id, pl.status, pl.result_at, pl.case_id, c.village_code, p.county_code
             FROM payment_lines pl JOIN payrolls p ON p.payroll_id = pl.payroll_id
             LEFT JOIN cases c ON c.case_id = pl.case_id WHERE pl.line_id = $1 FOR UPDATE OF pl`,
            [r.lineId],
          )
        ).rows[0];
        const seen = await db.query('SELECT 1 FROM payment_results WHERE result_id = $1', [r.resultId]);
        if (seen.rowCount) return 'duplicate';
        if (!line) return 'unknown_line';
        const inOrder = !line.result_at || new Date(r.reportedAt) >= new Date(line.result_at);
        const allowed = (NEXT[line.status] ?? []).includes(r.outcome);
        const apply = inOrder && allowed;
        await db.query(
          `INSERT INTO payment_results (result_id, line_id, outcome, reason, reported_at, applied)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [r.resultId, r.lineId, r.outcome, r.reason ?? null, r.reportedAt, apply],
        );
        if (!apply) return line.status === r.outcome ? 'duplicate' : 'stale';
        await db.query('UPDATE payment_lines SET status = $2, result_at = $3 WHERE line_id = $1', [
          r.lineId,
          r.outcome,
          r.reportedAt,
        ]);
        await db.query(
          `UPDATE ledger SET status = $2, updated_at = now() WHERE payment_line_id = $1 AND status <> $2`,
          [r.lineId, r.outcome],
        );
        if (r.outcome === 'returned') {
          await db.query(
            `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code,
               village_code, flag, deadline_kind, due_on)
             VALUES ($1, 'payment', $2, $3, $4, $5, 'overdue', 'payment_returned', $6::timestamptz::date)
             ON CONFLICT DO NOTHING`,
            [
              `payment:${r.lineId}:returned`,
              r.lineId,
              line.county_code,
              (line.village_code ?? `${line.county_code}000000`).slice(0, 9),
              line.village_code ?? `${line.county_code}000000`,
              r.reportedAt,
            ],
          );
        }
        payrolls.add(line.payroll_id);
        return 'applied';
      }),
    );
  }
  return { outcomes, payrolls: [...payrolls] };
}
