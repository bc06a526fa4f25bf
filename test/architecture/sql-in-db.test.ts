import { describe, expect, it } from 'vitest';
import { type Literal, literalsOf, sourceFolders, tsFiles } from './source-text';

// STYLE.md "the only SQL is in db/": every statement lives in a repository of db/repositories/, so
// each table's writers can be found there (table-writers.test.ts). The API, the workflows, the
// activities and every other folder of the product reach Postgres through those repositories.
// Scripts, benchmarks and tests set up and inspect data with their own statements.

const SQL_ALLOWED = new Set(['db', 'scripts', 'bench', 'test']);

/** Statement text: keywords in the house's SQL style (upper case) with what makes them a statement. */
const STATEMENT = [
  /\bINSERT\s+INTO\s+\w/,
  /\bDELETE\s+FROM\s+\w/,
  /\bUPDATE\s+\w+(\s+(AS\s+)?\w+)?\s+SET\s+\w+\s*=/,
  /\bSELECT\s[\s\S]*?\bFROM\s+[\w(]/,
  /\bMERGE\s+INTO\s+\w/,
  /\bCOPY\s+\w+[\s\S]*?\b(FROM|TO)\s+(STDIN|STDOUT|')/,
  /\bTRUNCATE\s+(TABLE\s+)?\w/,
  /^\s*(WITH\s+\w+\s+AS\s*\(|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE\s+SAVEPOINT|LOCK\s+TABLE|CREATE\s+|ALTER\s+TABLE|DROP\s+)/,
  /^\s*(SET\s+(LOCAL\s+)?\w+\s*(=|TO\b)|DECLARE\s+\w+\s[\s\S]*\bCURSOR\b|FETCH\s|CLOSE\s+\w+\s*$|VACUUM|ANALYZE)/,
  /^\s*(select|insert|update|delete|with)\s[\s\S]*\b(from|into|set)\s/i,
];

const isStatement = (l: Literal) => STATEMENT.some((re) => re.test(l.text));
const where = (l: Literal) => `${l.file}:${l.line}: ${l.text.trim().split('\n')[0]!.slice(0, 80)}`;

describe('SQL lives only in db/', () => {
  it('architecture: the check recognises the statements of db/repositories (it is not vacuous)', () => {
    const found = tsFiles('db/repositories').flatMap(literalsOf).filter(isStatement);
    expect(found.length).toBeGreaterThan(100);
    const texts = found.map((l) => l.text);
    for (const kind of [/INSERT INTO/, /UPDATE \w+ SET/, /SELECT [\s\S]* FROM/])
      expect(texts.some((t) => kind.test(t))).toBe(true);
  });

  it('architecture: no .ts file outside db/ (scripts, bench and test aside) holds SQL statement text', () => {
    const folders = sourceFolders().filter((d) => !SQL_ALLOWED.has(d));
    expect(folders).toEqual(expect.arrayContaining(['activities', 'api', 'workflows', 'domain', 'worker']));
    const found = folders.flatMap(tsFiles).flatMap(literalsOf).filter(isStatement).map(where);
    expect(found).toEqual([]);
  });
});
