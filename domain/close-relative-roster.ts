import type { CloseRelation, RelatedPosition } from './close-relatives';
import { type CivilDate, compareDates } from './dates';

// R-O1: the county's roster of its assistance staff and village cadres with their close relatives,
// and the check of a household against it. An entry is one relation (a staff member or cadre and
// one relative) in force from a day until the day it is ended; an entry is ended, never deleted
// (R-O6). Pure: the roster's repository, the API and the workflows' activities share it.

export interface RosterStaff {
  /** The county's own reference for the staff member or cadre (e.g. a staff number). */
  ref: string;
  name: string;
  position: RelatedPosition;
  post?: string;
  /** Where the staff member or cadre serves: the county, a township or a village. */
  regionCode: string;
}

export interface RosterRelative {
  idNumber: string;
  name: string;
  /** What the relative is to the staff member or cadre. */
  relation: CloseRelation;
}

export interface RosterEntry {
  entryId: string;
  staff: RosterStaff;
  relative: RosterRelative;
  effectiveFrom: CivilDate;
  /** From this day on the entry no longer holds (absent: in force). */
  endedOn?: CivilDate;
}

/** A household member found on the roster: who, related to which staff member or cadre, and how. */
export interface RosterMatch {
  entryId: string;
  member: { idNumber: string; name: string };
  relatedTo: RosterStaff;
  relation: CloseRelation;
}

/** ID numbers compare in the form GB 11643 prints them (a lower-case x is the check character X). */
export const sameIdNumber = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

/** An entry holds on `on` from its first day until (not including) the day it was ended. */
export function inForce(e: Pick<RosterEntry, 'effectiveFrom' | 'endedOn'>, on: CivilDate): boolean {
  return compareDates(e.effectiveFrom, on) <= 0 && (!e.endedOn || compareDates(on, e.endedOn) < 0);
}

/**
 * R-O1: the members of a household who are on the roster on any of the days `on`, each with the
 * staff member or cadre they are related to. The ID number decides (a name may be written
 * differently); one match per member and staff member, in the household's order, then by staff
 * reference.
 */
export function matchRoster(
  members: readonly { idNumber: string; name: string }[],
  entries: readonly RosterEntry[],
  on: readonly CivilDate[],
): RosterMatch[] {
  const matches: RosterMatch[] = [];
  for (const m of members) {
    const found = entries
      .filter((e) => on.some((d) => inForce(e, d)) && sameIdNumber(e.relative.idNumber, m.idNumber))
      .sort((a, b) => a.staff.ref.localeCompare(b.staff.ref) || a.entryId.localeCompare(b.entryId));
    for (const e of found) {
      if (matches.some((x) => x.member.idNumber === m.idNumber && x.relatedTo.ref === e.staff.ref)) continue;
      matches.push({
        entryId: e.entryId,
        member: { idNumber: m.idNumber, name: m.name },
        relatedTo: e.staff,
        relation: e.relative.relation,
      });
    }
  }
  return matches;
}
