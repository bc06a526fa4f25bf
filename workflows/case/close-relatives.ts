import type { CloseRelativeCheck } from '../../activities/close-relatives';
import type { RosterMatch } from '../../domain/close-relative-roster';
import { civilDateOf } from '../../domain/dates';
import type { CaseParts } from './ledger';
import { type CaseEffect, SYSTEM } from './record';

// R-O1: a case's household is checked against the county's close-relative roster at each
// re-review (R-M4), at each change of its members (R-M5) and when an imported case starts; a match
// is filed by the check's activity (naming the staff member or cadre), and the case is a
// close-relative case from then on, filed again at every later re-review whatever the roster says.

type Filing = Extract<CaseEffect, { kind: 'filing' }>;

/** What the activity checks: the living members on the day of the occasion. */
export function caseRosterCheck({ record: r }: CaseParts, e: Filing, now: Date): CloseRelativeCheck {
  const v = r.view;
  return {
    subjectKind: 'case',
    subjectId: v.caseId,
    villageCode: v.villageCode,
    occasion: e.occasion,
    on: e.on,
    filedOn: civilDateOf(now),
    filedBy: e.by,
    members: v.members.filter((m) => !m.diedOn).map((m) => ({ idNumber: m.idNumber, name: m.name })),
    ...(e.rosterOnly ? {} : { fileAnyway: true }),
  };
}

/** R-O1: what the check found: a named member makes (or keeps) the case a close-relative case. */
export function applyCaseRosterCheck(
  { record: r }: CaseParts,
  e: Filing,
  matches: RosterMatch[],
  now: Date,
): void {
  if (matches.length === 0) return;
  r.view.closeRelative = true;
  r.record(now, 'close_relative_filed', SYSTEM, 'a member is on the close-relative roster (R-O1)', {
    occasion: e.occasion,
    staff: [...new Set(matches.map((m) => m.relatedTo.ref))],
  });
}
