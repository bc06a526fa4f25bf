import type pg from 'pg';
import type { RosterMatch } from '../../domain/close-relative-roster';
import type { CivilDate } from '../../domain/dates';

// R-O1: the filings the roster check makes (activities/close-relatives.ts, for the application and
// case workflows): a match against the roster (`roster`, naming each member and staff member), or
// a close-relative case filed again at its re-review with no match today (`case`). Once per
// subject, occasion and source, however often the activity is retried.

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
      await pool.query(
        `INSERT INTO close_relative_filings (subject_kind, subject_id, occasion, filed_on, filed_by, source, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [
          f.subjectKind,
          f.subjectId,
          f.occasion,
          f.filedOn,
          f.filedBy,
          f.matches.length ? 'roster' : 'case',
          JSON.stringify({ villageCode: f.villageCode, matches: f.matches }),
        ],
      );
    },
  };
}
