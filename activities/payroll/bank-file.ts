import { createHash } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Context } from '@temporalio/activity';
import { stringify } from 'csv-stringify/sync';
import { inTransaction } from '../../db/pool';
import type { YearMonth } from '../../domain/dates';
import { add, toMoney } from '../../domain/money';
import type { ActivityDeps } from '../deps';

export function bankFileActivities({ pool, paymentFilesDir = '.data/payment-files' }: ActivityDeps) {
  return {
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
  };
}
