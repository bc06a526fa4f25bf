import ExcelJS from 'exceljs';
import { addDays, addMonthsToYearMonth, civilDateOf, monthOf } from '../../domain/dates';
import { makeIdNumber } from '../../domain/idnumber';
import { COUNTY, VILLAGE } from './fixtures';

// Caseload files for the import tests and the benchmark: one row per household member, the English
// headers (README "Caseload import"), ID numbers unique across a run (birth date × sequence).

export const HEADERS = [
  'household_no',
  'category',
  'village_code',
  'residence',
  'name',
  'id_number',
  'relation',
  'monthly_amount',
  'start_month',
  'next_review_month',
  'taper_reported_on',
  'close_relative',
  'unstable_income',
];

let counter = Math.floor(Math.random() * 300_000);
/** A valid ID number never given before in this process. */
export function uniqueIdNumber(): string {
  const n = counter++;
  return makeIdNumber(COUNTY, addDays('1940-01-01', Math.floor(n / 1000) % 25_000), n % 1000);
}

export interface HouseholdRows {
  key: string;
  ids: string[];
  rows: string[][];
}

/** `count` households of `size` members each, with a fresh prefix for their household numbers. */
export function households(
  count: number,
  opts: { size?: number; amount?: string; startMonth?: string; nextReview?: string; prefix?: string } = {},
): HouseholdRows[] {
  const prefix = opts.prefix ?? `H${Math.random().toString(36).slice(2, 8)}`;
  return Array.from({ length: count }, (_, i) => {
    const key = `${prefix}-${i + 1}`;
    const ids = Array.from({ length: opts.size ?? 2 }, uniqueIdNumber);
    const rows = ids.map((id, j) => [
      key,
      '低保',
      VILLAGE,
      'rural',
      j === 0 ? '张三' : `成员${j}`,
      id,
      j === 0 ? '户主' : 'child',
      opts.amount ?? '650.00',
      opts.startMonth ?? '2024-03',
      opts.nextReview ?? reviewMonthAhead(6),
      '',
      'no',
      '',
    ]);
    return { key, ids, rows };
  });
}

/** A re-review month `n` months after the current one: still ahead whenever the test runs (R-M4). */
export function reviewMonthAhead(n: number): string {
  return addMonthsToYearMonth(monthOf(civilDateOf(new Date())), n);
}

const csvCell = (c: string) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
export function toCsv(hh: HouseholdRows[], headers = HEADERS): Buffer {
  const lines = [headers, ...hh.flatMap((h) => h.rows)].map((r) => r.map(csvCell).join(','));
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

export async function toXlsx(hh: HouseholdRows[], headers = HEADERS): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('caseload');
  sheet.addRow(headers);
  for (const h of hh) for (const r of h.rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const COUNTY_CODE = COUNTY;
