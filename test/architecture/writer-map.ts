import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './source-text';

// ARCHITECTURE.md's map of table → writer ("The edge: API, workflows and Postgres"), as rows:
//   | `table`, `other_table`, `table.column` | who writes (module) → `repository.ts`, `other.ts` |
// The first cell names the row's tables (a `table.column` names a column whose writer is not the
// table's); in the second, the backticked .ts names right after an arrow are the repositories that
// write them, and "trigger" says a trigger of the migrations writes the table too.

export const SECTION = '## The edge: API, workflows and Postgres';
const HEADER = /^\|\s*table\s*\|\s*writer \(module → repository\)\s*\|\s*$/;

export interface MapRow {
  line: number;
  tables: string[];
  columns: { table: string; column: string }[];
  repositories: string[];
  trigger: boolean;
}

export interface WriterMap {
  rows: MapRow[];
  /** Lines of the section that look like rows of the map but stand outside it. */
  stray: string[];
}

function row(line: number, text: string): MapRow {
  const cells = text.split('|').slice(1, -1);
  if (cells.length !== 2) throw new Error(`ARCHITECTURE.md:${line}: a row of the map has two cells`);
  const [what, who] = cells as [string, string];
  const names = [...what.matchAll(/`([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?`/g)];
  const repositories = [...who.matchAll(/→\s*((?:`[\w.-]+\.ts`(?:\s*(?:,|and|\+)\s*)?)+)/g)].flatMap((m) =>
    [...m[1]!.matchAll(/`([\w.-]+\.ts)`/g)].map((n) => n[1]!),
  );
  return {
    line,
    tables: names.filter((n) => !n[2]).map((n) => n[1]!),
    columns: names.filter((n) => n[2]).map((n) => ({ table: n[1]!, column: n[2]! })),
    repositories: [...new Set(repositories)],
    trigger: /\btrigger/i.test(who),
  };
}

export function readWriterMap(file = join(ROOT, 'ARCHITECTURE.md')): WriterMap {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.indexOf(SECTION);
  if (start < 0) throw new Error(`ARCHITECTURE.md has no section "${SECTION}"`);
  const next = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const end = next < 0 ? lines.length : next;
  const header = lines.findIndex((l, i) => i > start && i < end && HEADER.test(l));
  if (header < 0)
    throw new Error('ARCHITECTURE.md: the section has no table `| table | writer (module → repository) |`');
  const rows: MapRow[] = [];
  let i = header + 2; // the header and its |---|---| line
  for (; i < end && lines[i]!.startsWith('|'); i++) rows.push(row(i + 1, lines[i]!));
  const stray = lines
    .map((l, n) => ({ l, n }))
    .filter(({ l, n }) => n > start && n < end && (n < header || n >= i) && l.startsWith('|'))
    .map(({ l, n }) => `ARCHITECTURE.md:${n + 1}: ${l.slice(0, 60)}`);
  return { rows, stray };
}
