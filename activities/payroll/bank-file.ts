import { createHash } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Context } from '@temporalio/activity';
import { stringify } from 'csv-stringify/sync';
import type { YearMonth } from '../../domain/dates';
import { add, toMoney } from '../../domain/money';
import { type ActivityDeps, reposOf } from '../deps';

export function bankFileActivities(deps: ActivityDeps) {
  const { paymentFilesDir = '.data/payment-files' } = deps;
  const lines = reposOf(deps).paymentLines;
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
      await lines.createLines(args.payrollId, heartbeat);
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
      let count = 0;
      let amount = '0';
      try {
        await write(
          stringify([], { header: true, columns: ['line_id', 'card_number', 'name', 'amount', 'months'] }),
        );
        for await (const rows of lines.streamLines(args.payrollId, 10_000)) {
          await write(stringify(rows.map((r) => [r.lineId, r.cardNumber, r.payeeName, r.amount, r.months])));
          for (const r of rows) amount = add(amount, r.amount);
          count += rows.length;
          heartbeat(rows.at(-1)!.lineId);
        }
      } finally {
        await out.close();
      }
      await rename(`${path}.tmp`, path);
      const sha256 = hash.digest('hex');
      await lines.recordFile(args.payrollId, fileName, sha256, count);
      return { fileName, sha256, lines: count, amount: toMoney(amount) };
    },
  };
}
