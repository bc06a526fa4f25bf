import type pg from 'pg';
import type { RosterMatch } from '../../domain/close-relative-roster';
import type { CivilDate } from '../../domain/dates';

// R-O1: the one writer of `close_relative_filings`. A filing comes from the clerk who ticked the
// box at receipt (`clerk`, in the receipt's transaction: applications.ts), from the roster check
// (activities/close-relatives.ts, for the application and case workflows): a match against the
// roster (`roster`, naming each member and staff member), or a close-relative case filed again at
// its re-review with no match today (`case`). Once per subject, occasion, day and source, however
// often the activity is retried.

type Q = pg.Pool | pg.PoolClient;

export interface Filing {
  subjectKind: 'application' | 'case';
  subjectId: string;
  occasion: string;
  filedOn: CivilDate;
  filedBy: string;
  source: 'clerk' | 'roster' | 'case';
  details: Record<string, unknown>;
}

/** Files once; `db` is the caller's transaction or the pool. */
export async function fileCloseRelative(db: Q, f: Filing): Promise<void> {
  await db.query(
    `INSERT INTO close_relative_filings (subject_kind, subject_id, occasion, filed_on, filed_by, source, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [f.subjectKind, f.subjectId, f.occasion, f.filedOn, f.filedBy, f.source, JSON.stringify(f.details)],
  );
}

/** What the roster check files: its matches, or none for a case filed again (`fileAnyway`). */
export interface FilingToWrite {
  subjectKind: 'application' | 'case';
  subjectId: string;
  villageCode: string;
  occasion: string;
  filedOn: CivilDate;
  filedBy: string;
  matches: RosterMatch[];
}

export function closeRelativesRepository(pool: pg.Pool) {
  return {
    async file(f: FilingToWrite): Promise<void> {
      await fileCloseRelative(pool, {
        subjectKind: f.subjectKind,
        subjectId: f.subjectId,
        occasion: f.occasion,
        filedOn: f.filedOn,
        filedBy: f.filedBy,
        source: f.matches.length ? 'roster' : 'case',
        details: { villageCode: f.villageCode, matches: f.matches },
      });
    },
  };
}
