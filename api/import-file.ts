import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Cells } from '../domain/caseload-import';
import { COLUMNS, type Column, mapHeaders } from '../domain/caseload-layout';
import { badRequest } from './problem';

// An uploaded caseload file (CSV or XLSX) as rows of named cells. A file that cannot be read, or
// whose header row is not the layout (README "Caseload import"), is a 400 naming the headers.

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type ImportFormat = 'csv' | 'xlsx';

/** The first sheet (or the CSV) as rows of trimmed cell texts; a date cell as YYYY-MM-DD. */
export async function readTable(body: Buffer, format: ImportFormat): Promise<string[][]> {
  if (format === 'csv') {
    return parse(body, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  }
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= width; i++) {
      const v = row.getCell(i).value;
      // A date cell is a civil date (Asia/Shanghai files are read as written: exceljs gives UTC midnight).
      cells.push(v instanceof Date ? v.toISOString().slice(0, 10) : row.getCell(i).text.trim());
    }
    rows.push(cells);
  });
  return rows;
}

/** The file's member rows as named cells (the optional columns empty when absent). */
export async function readCaseloadFile(body: Buffer, format: ImportFormat): Promise<Cells[]> {
  let rows: string[][];
  try {
    rows = await readTable(body, format);
  } catch {
    throw badRequest(`the ${format.toUpperCase()} file could not be read`, [
      { path: 'body', message: `not a readable ${format} file` },
    ]);
  }
  const [header, ...data] = rows;
  if (!header || data.length === 0)
    throw badRequest('the file has no header row or no member rows', [{ path: 'body', message: 'empty' }]);
  const mapped = mapHeaders(header);
  if (!mapped.ok) {
    throw badRequest('the header row is not the caseload layout', [
      ...mapped.missing.map((c) => ({
        path: `body.${COLUMNS[c][0]}`,
        message: `missing column (${COLUMNS[c].join(' / ')})`,
      })),
      ...mapped.unknown.map((h) => ({ path: 'body', message: `unknown column "${h.slice(0, 40)}"` })),
    ]);
  }
  const cols = Object.keys(COLUMNS) as Column[];
  return data.map((r) => {
    const c = {} as Cells;
    for (const col of cols) {
      const i = mapped.index[col];
      c[col] = i === undefined ? '' : String(r[i] ?? '').trim();
    }
    return c;
  });
}
