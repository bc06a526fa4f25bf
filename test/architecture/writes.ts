import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { literalsOf, ROOT, tsFiles } from './source-text';

// Who writes which table, read from the code: the statements of db/'s .ts files (a repository is
// named by its file name) and the trigger functions of the migrations. A migration's own back-fill
// (a statement outside a function, run once when the schema changes) is no writer of the running
// system; a trigger function runs in every writer's transaction, so it is one.

const IDENT = '([a-z_][a-z0-9_]*)';
const WRITE = [
  new RegExp(`\\bINSERT\\s+INTO\\s+${IDENT}`, 'gi'),
  new RegExp(`\\bDELETE\\s+FROM\\s+(?:ONLY\\s+)?${IDENT}`, 'gi'),
  new RegExp(`\\bUPDATE\\s+(?:ONLY\\s+)?${IDENT}(?:\\s+(?:AS\\s+)?[a-z_][a-z0-9_]*)?\\s+SET\\b`, 'gi'),
  new RegExp(`\\bMERGE\\s+INTO\\s+${IDENT}`, 'gi'),
  new RegExp(`\\bCOPY\\s+${IDENT}(?:\\s*\\([^)]*\\))?\\s+FROM\\b`, 'gi'),
  new RegExp(`\\bTRUNCATE\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?${IDENT}`, 'gi'),
];
/** Words a pattern can meet where no table stands (`DO UPDATE SET`, `AFTER TRUNCATE ON`). */
const NOT_TABLES = new Set(['set', 'on', 'or', 'of']);

/** The tables `sql` writes. */
export function writtenTables(sql: string): string[] {
  const out = new Set<string>();
  for (const re of WRITE)
    for (const m of sql.matchAll(re)) {
      const table = m[1]!.toLowerCase();
      if (!NOT_TABLES.has(table)) out.add(table);
    }
  return [...out];
}

/** The `-- Up Migration` part of a migration, without its `--` comments. */
function upPart(sql: string): string {
  const up = sql.split(/^-- Down Migration.*$/m)[0] ?? '';
  return up.replace(/--[^\n]*/g, '');
}

export const migrationFiles = () =>
  readdirSync(join(ROOT, 'db', 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .sort();
const migration = (f: string) => upPart(readFileSync(join(ROOT, 'db', 'migrations', f), 'utf8'));

/** Every table the migrations leave in place (created and not dropped again), in order. */
export function migratedTables(): string[] {
  const tables: string[] = [];
  for (const f of migrationFiles()) {
    const sql = migration(f);
    const events = [
      ...[...sql.matchAll(/\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_]\w*)/gi)].map(
        (m) => ({ at: m.index, create: m[1]!.toLowerCase() }),
      ),
      ...[...sql.matchAll(/\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([a-z_]\w*)/gi)].map((m) => ({
        at: m.index,
        drop: m[1]!.toLowerCase(),
      })),
      ...[...sql.matchAll(/\bALTER\s+TABLE\s+([a-z_]\w*)\s+RENAME\s+TO\s+([a-z_]\w*)/gi)].map((m) => ({
        at: m.index,
        drop: m[1]!.toLowerCase(),
        create: m[2]!.toLowerCase(),
      })),
    ].sort((a, b) => a.at - b.at);
    for (const e of events) {
      const dropped = 'drop' in e && e.drop ? tables.indexOf(e.drop) : -1;
      if (dropped >= 0) tables.splice(dropped, 1);
      if ('create' in e && e.create) tables.push(e.create);
    }
  }
  return tables;
}

/** The bodies of the migrations' trigger functions (`RETURNS trigger … AS $$ … $$`). */
export function triggerBodies(): { migration: string; body: string }[] {
  return migrationFiles().flatMap((f) =>
    [...migration(f).matchAll(/\bRETURNS\s+trigger\b[^$]*?\bAS\s+(\$\w*\$)([\s\S]*?)\1/gi)].map((m) => ({
      migration: f,
      body: m[2]!,
    })),
  );
}

/** table → the db/ files whose statements write it (repositories by file name, others by path). */
export function codeWriters(): Map<string, Set<string>> {
  const writers = new Map<string, Set<string>>();
  for (const file of tsFiles('db')) {
    const name = file.startsWith('db/repositories/') ? basename(file) : file;
    for (const l of literalsOf(file))
      for (const table of writtenTables(l.text)) {
        if (!writers.has(table)) writers.set(table, new Set());
        writers.get(table)!.add(name);
      }
  }
  return writers;
}

/** The tables written by a trigger function of the migrations. */
export function triggerWritten(): Set<string> {
  return new Set(triggerBodies().flatMap((t) => writtenTables(t.body)));
}
