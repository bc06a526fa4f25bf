import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';
import type { Money } from '../../domain/money';
import { inTransaction, isTransientDbError } from '../pool';
import { raiseAlert } from './alerts';

// `payment_lines` (the bank file's lines) and the ledger rows that follow them: written only by the
// payroll workflow's activities (R-M1: one writer).

export interface BankLine {
  lineId: string;
  cardNumber: string;
  payeeName: string;
  amount: Money;
  months: string;
}

export interface FailedLine {
  lineId: string;
  attempt: number;
  villageCode: string;
}

/** Statements on the failed lines of earlier payrolls, in one transaction. */
function failedLineStatements(db: pg.PoolClient) {
  return {
    /** Failed lines of the county's other payrolls, locked until the transaction ends. */
    async failedLines(county: string, payrollId: string): Promise<FailedLine[]> {
      const { rows } = await db.query(
        `SELECT pl.line_id, pl.case_id, pl.attempt, c.village_code FROM payment_lines pl
         JOIN payrolls p ON p.payroll_id = pl.payroll_id JOIN cases c ON c.case_id = pl.case_id
         WHERE p.county_code = $1 AND pl.payroll_id <> $2 AND pl.status = 'failed'
         ORDER BY pl.line_id FOR UPDATE OF pl`,
        [county, payrollId],
      );
      return rows.map((r) => ({ lineId: r.line_id, attempt: r.attempt, villageCode: r.village_code }));
    },

    /** Past the county's limit: the line is escalated and raised to supervisors (R-O3), once. */
    async escalate(line: FailedLine, county: string, dueOn: CivilDate): Promise<void> {
      await db.query(`UPDATE payment_lines SET status = 'escalated' WHERE line_id = $1`, [line.lineId]);
      await raiseAlert(db, {
        alertKey: `payment:${line.lineId}:escalated`,
        subjectKind: 'payment',
        subjectId: line.lineId,
        countyCode: county,
        townshipCode: line.villageCode.slice(0, 9),
        villageCode: line.villageCode,
        flag: 'overdue',
        deadlineKind: 'payment_failed',
        dueOn,
      });
    },

    /** The line's failed rows move into `payrollId`, scheduled again (attempt n+1). */
    async retryIn(line: FailedLine, payrollId: string): Promise<void> {
      await db.query(`UPDATE payment_lines SET status = 'retried' WHERE line_id = $1`, [line.lineId]);
      await db.query(
        `UPDATE ledger l SET payroll_id = $2, status = 'scheduled', attempts = l.attempts + 1,
           payment_line_id = NULL, updated_at = now()
         FROM payment_lines pl
         WHERE pl.line_id = $1 AND l.payroll_id = pl.payroll_id AND l.case_id = pl.case_id
           AND l.payment_line_id = $1 AND l.status = 'failed'`,
        [line.lineId, payrollId],
      );
    },
  };
}

export type FailedLineStatements = ReturnType<typeof failedLineStatements>;

export function paymentLinesRepository(pool: pg.Pool) {
  return {
    failedLinesTransaction<T>(fn: (tx: FailedLineStatements) => Promise<T>): Promise<T> {
      return inTransaction(pool, (db) => fn(failedLineStatements(db)));
    },

    /**
     * Set-based, in the server: one line per case (net of its scheduled rows; the payee is the
     * applicant), then the rows follow their line. Rows netting to zero or less were settled by a
     * recovery: they are paid without a line. `step` is told as each statement is done.
     */
    async createLines(payrollId: string, step: (what: string) => void): Promise<void> {
      await inTransaction(pool, async (db) => {
        // The grouping and the history trigger's pairing of a county's rows sort in memory.
        await db.query(`SET LOCAL work_mem = '64MB'`);
        await db.query(
          `INSERT INTO payment_lines (line_id, payroll_id, case_id, card_number, payee_name, amount, months, status, attempt)
           SELECT $1 || ':' || g.case_id, $1, g.case_id, coalesce(p.value->>'idNumber', ''), coalesce(p.value->>'name', ''),
             g.net, g.months, 'sent', g.attempt
           FROM (SELECT case_id, sum(amount) AS net, string_agg(DISTINCT month, ';' ORDER BY month) AS months,
                   max(attempts) AS attempt
                 FROM ledger WHERE payroll_id = $1 AND status = 'scheduled' AND kind <> 'temporary_grant'
                 GROUP BY case_id) g
           JOIN cases c ON c.case_id = g.case_id
           -- The applicant, else the first member: a path lookup, not a sort of each case's members.
           CROSS JOIN LATERAL (SELECT coalesce(jsonb_path_query_first(c.members, '$[*] ? (@.relation == "applicant")'),
                                               c.members->0) AS value) p
           WHERE g.net > 0
           ON CONFLICT (line_id) DO NOTHING`,
          [payrollId],
        );
        step('lines');
        await db.query(
          `UPDATE ledger l SET status = 'sent', payment_line_id = pl.line_id, updated_at = now()
           FROM payment_lines pl
           WHERE l.payroll_id = $1 AND l.status = 'scheduled' AND l.kind <> 'temporary_grant'
             AND pl.line_id = $1 || ':' || l.case_id`,
          [payrollId],
        );
        await db.query(
          `UPDATE ledger SET status = 'paid', updated_at = now()
           WHERE payroll_id = $1 AND status = 'scheduled' AND kind <> 'temporary_grant'`,
          [payrollId],
        );
      });
    },

    /**
     * The payroll's lines in line order, `batch` at a time, through one server-side cursor (one
     * sort in the server, bounded memory here however large the county). The cursor lives in a
     * read-only transaction that ends when the iteration does (or stops early).
     */
    async *streamLines(payrollId: string, batch: number): AsyncGenerator<BankLine[]> {
      const db = await pool.connect();
      let failed: Error | undefined;
      try {
        await db.query('BEGIN READ ONLY');
        await db.query(`SET LOCAL work_mem = '64MB'`);
        await db.query(
          `DECLARE bank_lines NO SCROLL CURSOR FOR
           SELECT line_id, card_number, payee_name, amount, months FROM payment_lines
           WHERE payroll_id = $1 ORDER BY line_id`,
          [payrollId],
        );
        for (;;) {
          const { rows } = await db.query(`FETCH ${Math.max(1, Math.trunc(batch))} FROM bank_lines`);
          if (!rows.length) break;
          yield rows.map((r) => ({
            lineId: r.line_id,
            cardNumber: r.card_number,
            payeeName: r.payee_name,
            amount: r.amount,
            months: r.months,
          }));
        }
      } catch (err) {
        failed = err as Error;
        throw err;
      } finally {
        await db.query(failed ? 'ROLLBACK' : 'COMMIT').catch(() => {});
        db.release(failed && isTransientDbError(failed) ? failed : undefined);
      }
    },

    /** The file is out: its name and hash on the payroll, which is now 'sent' (unless later already). */
    async recordFile(payrollId: string, fileName: string, sha256: string, lines: number): Promise<void> {
      await pool.query(
        `UPDATE payrolls SET status = CASE WHEN status = 'rostering' THEN 'sent' ELSE status END, file_name = $2,
           file_sha256 = $3, lines_total = $4, updated_at = now() WHERE payroll_id = $1`,
        [payrollId, fileName, sha256, lines],
      );
    },
  };
}
