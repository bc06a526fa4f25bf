import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './source-text';
import { readWriterMap } from './writer-map';
import { codeWriters, migratedTables, triggerWritten, writtenTables } from './writes';

// STYLE.md "one writer per table": ARCHITECTURE.md's map names, for every table the migrations
// create, the repositories that write it; the code must agree — a statement writing a table from a
// repository the map does not name for it, or a name in the map whose file no longer writes it,
// fails here. Shared writes have one module each: audit_events (R-O6), supervision_alerts (R-O3),
// close_relative_filings (R-O1), person_enrolments (R-A1).

const map = readWriterMap();
const tables = migratedTables();
const writers = codeWriters();
const byTrigger = triggerWritten();
const sorted = (s: Iterable<string>) => [...s].sort();

/** The repositories the map names for a table: its own row and the rows naming one of its columns. */
function named(table: string): string[] {
  return sorted(
    new Set(
      map.rows
        .filter((r) => r.tables.includes(table) || r.columns.some((c) => c.table === table))
        .flatMap((r) => r.repositories),
    ),
  );
}

describe("ARCHITECTURE.md's table → writer map and the code", () => {
  it('architecture: the statement scan finds the writes it must (insert, update, upsert, delete, copy)', () => {
    expect(
      writtenTables(`INSERT INTO a (x) VALUES (1) ON CONFLICT (x) DO UPDATE SET x = 2;
        UPDATE b t SET y = 1 FROM c WHERE c.id = t.id; DELETE FROM d; COPY e (x) FROM STDIN;
        SELECT 1 FROM f FOR UPDATE OF f; CREATE TRIGGER g AFTER TRUNCATE ON h`).sort(),
    ).toEqual(['a', 'b', 'd', 'e']);
    expect(tables.length).toBeGreaterThan(30);
    expect(writers.get('applications')).toBeDefined();
    expect(byTrigger.has('ledger_history')).toBe(true);
  });

  it('architecture: the map is one table with no row outside it', () => {
    expect(map.stray).toEqual([]);
    expect(map.rows.length).toBeGreaterThan(10);
  });

  it('architecture: the map names every table the migrations create, each in one row', () => {
    const listed = map.rows.flatMap((r) => r.tables);
    const twice = listed.filter((t, i) => listed.indexOf(t) !== i);
    expect({ twice, missing: tables.filter((t) => !listed.includes(t)) }).toEqual({ twice: [], missing: [] });
    const unknown = [...listed, ...map.rows.flatMap((r) => r.columns.map((c) => c.table))].filter(
      (t) => !tables.includes(t),
    );
    expect(unknown).toEqual([]);
  });

  it('architecture: every repository the map names exists in db/repositories/', () => {
    const absent = map.rows
      .flatMap((r) => r.repositories)
      .filter((f) => !existsSync(join(ROOT, 'db', 'repositories', f)));
    expect(absent).toEqual([]);
  });

  it('architecture: the code writes only tables the migrations create (no table named at run time)', () => {
    expect(sorted(writers.keys()).filter((t) => !tables.includes(t))).toEqual([]);
  });

  it('architecture: each table is written by exactly the repositories the map names for it', () => {
    const disagree = tables
      .map((t) => ({ table: t, map: named(t), code: sorted(writers.get(t) ?? []) }))
      .filter((d) => d.map.join() !== d.code.join());
    expect(disagree).toEqual([]);
  });

  it('architecture: every table has a writer, and a table a trigger writes says so in its row', () => {
    const rowOf = (t: string) => map.rows.find((r) => r.tables.includes(t));
    const noWriter = tables.filter((t) => !writers.has(t) && !byTrigger.has(t));
    const triggerUnsaid = [...byTrigger].filter((t) => rowOf(t) && !rowOf(t)!.trigger);
    expect({ noWriter, triggerUnsaid }).toEqual({ noWriter: [], triggerUnsaid: [] });
  });

  it('architecture: audit_events, supervision_alerts, close_relative_filings and person_enrolments have one writer module each (R-O6, R-O3, R-O1, R-A1)', () => {
    expect({
      audit_events: sorted(writers.get('audit_events') ?? []),
      supervision_alerts: sorted(writers.get('supervision_alerts') ?? []),
      close_relative_filings: sorted(writers.get('close_relative_filings') ?? []),
      person_enrolments: sorted(writers.get('person_enrolments') ?? []),
    }).toEqual({
      audit_events: ['audit.ts'],
      supervision_alerts: ['alerts.ts'],
      close_relative_filings: ['close-relatives.ts'],
      person_enrolments: ['enrolments.ts'],
    });
  });
});
