import type { z } from 'zod';
import { civilDateOf } from '../domain/dates';
import {
  mapRosterHeaders,
  ROSTER_COLUMNS,
  type RosterColumn,
  type RosterRow,
  rosterFromRows,
} from '../domain/roster-layout';
import { checkRosterSubmission } from '../domain/roster-update';
import { type ImportFormat, readTable } from './import-file';
import { assertCoversCounty, type Caller } from './plugins/auth';
import { badRequest, ProblemError } from './problem';
import { rosterFileQuery, type rosterSubmissionSchema } from './schemas/roster';

// R-O1: a roster uploaded as a CSV or XLSX file (domain/roster-layout.ts), read into the JSON body
// the route validates like any other. Unreadable files and wrong headers are 400; rows that break
// the rules are 422, named by row and column, never by value (R-O7).

const REPORT_LIMIT = 5000;

export async function rosterFromFile(
  body: Buffer,
  format: ImportFormat,
  rawQuery: unknown,
  caller: Caller,
): Promise<z.input<typeof rosterSubmissionSchema>> {
  const q = rosterFileQuery.safeParse(rawQuery ?? {});
  if (!q.success)
    throw badRequest(
      'the query does not match the schema',
      q.error.issues.map((i) => ({
        path: ['querystring', ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    );
  const { countyCode, effectiveOn, complete } = q.data;
  if (!countyCode)
    throw badRequest('a roster file needs its county', [
      { path: 'querystring.countyCode', message: 'required' },
    ]);
  assertCoversCounty(caller, countyCode);
  let table: string[][];
  try {
    table = await readTable(body, format);
  } catch {
    throw badRequest(`the ${format.toUpperCase()} file could not be read`, [
      { path: 'body', message: `not a readable ${format} file` },
    ]);
  }
  const [header, ...data] = table;
  if (!header || data.length === 0)
    throw badRequest('the file has no header row or no rows', [{ path: 'body', message: 'empty' }]);
  const mapped = mapRosterHeaders(header);
  if (!mapped.ok)
    throw badRequest('the header row is not the roster layout', [
      ...mapped.missing.map((c) => ({
        path: `body.${ROSTER_COLUMNS[c][0]}`,
        message: `missing column (${ROSTER_COLUMNS[c].join(' / ')})`,
      })),
      ...mapped.unknown.map((h) => ({ path: 'body', message: `unknown column "${h.slice(0, 40)}"` })),
    ]);
  const rows = data.map((r) => {
    const row = {} as RosterRow;
    for (const c of Object.keys(ROSTER_COLUMNS) as RosterColumn[]) {
      const i = mapped.index[c];
      row[c] = i === undefined ? '' : String(r[i] ?? '').trim();
    }
    return row;
  });
  const read = rosterFromRows(rows);
  const submission = {
    countyCode,
    effectiveOn: effectiveOn ?? civilDateOf(new Date()),
    complete: complete === 'true',
    staff: read.staff,
  };
  const problems = [
    ...read.problems,
    ...checkRosterSubmission(submission).map((p) => ({ ...p, row: read.rowOf(p.path) ?? 0 })),
  ].sort((a, b) => a.row - b.row);
  if (problems.length)
    throw new ProblemError(
      422,
      'roster-invalid',
      'Invalid rows',
      'the file has invalid rows; nothing was recorded',
      {
        rows: problems.slice(0, REPORT_LIMIT).map((p) => ({ row: p.row, field: p.path, message: p.message })),
      },
    );
  return submission;
}
