import type { CloseRelativeCheck } from '../../activities/close-relatives';
import type { RosterMatch } from '../../domain/close-relative-roster';
import { civilDateOf } from '../../domain/dates';
import type { HistoryEntry } from '../contracts';
import { type ApplicationParts, type ApplicationRecord, SYSTEM } from './record';

// R-O1: an application's household is checked against the county's close-relative roster at
// receipt and at each investigation (the household as found by the visit, R-A2), whatever the
// clerk ticked; a match is filed by the check's activity and recorded here, so the application is
// a close-relative case from then on (its case, and the R-O2 spot checks, know it).

/** What the activity checks: the household as it now stands, on the day of the occasion. */
export function rosterCheckOf(
  { record: r }: ApplicationParts,
  kind: 'receipt' | 'investigation',
  now: Date,
): CloseRelativeCheck {
  const v = r.view;
  // A re-investigation after an objection (R-A4) is the next occasion, filed apart from the first.
  const n = v.history.filter((e) => e.action === 'investigation_recorded').length;
  return {
    subjectKind: 'application',
    subjectId: r.input.applicationId,
    villageCode: r.input.villageCode,
    occasion: kind === 'receipt' ? 'receipt' : `investigation:${n}`,
    on: kind === 'receipt' || !v.investigation ? r.input.acceptedOn : v.investigation.visitedOn,
    filedOn: civilDateOf(now),
    filedBy: SYSTEM.sub,
    members: r.household().members.map((m) => ({ idNumber: m.idNumber, name: m.name })),
  };
}

/** R-O1: the roster named members of the household: the filing joins the view and the history. */
export function applyRosterCheck(
  { record: r }: ApplicationParts,
  check: Pick<CloseRelativeCheck, 'occasion' | 'on'>,
  matches: RosterMatch[],
  now: Date,
): HistoryEntry | undefined {
  if (matches.length === 0) return undefined;
  const v = r.view;
  v.rosterFilings = [
    ...(v.rosterFilings ?? []),
    {
      occasion: check.occasion,
      on: check.on,
      matches: matches.map((m) => ({
        memberIdNumber: m.member.idNumber,
        relatedTo: m.relatedTo,
        relation: m.relation,
      })),
    },
  ];
  return r.record(now, 'close_relative_filed', SYSTEM, 'a member is on the close-relative roster (R-O1)', {
    occasion: check.occasion,
    staff: [...new Set(matches.map((m) => m.relatedTo.ref))],
  });
}

/** R-O1: a close-relative case: ticked at receipt, or named by the roster since. */
export const isCloseRelative = (r: Pick<ApplicationRecord, 'input' | 'view'>): boolean =>
  r.input.closeRelative || (r.view.rosterFilings?.length ?? 0) > 0;
