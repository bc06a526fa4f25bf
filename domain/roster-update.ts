import {
  type RosterEntry,
  type RosterRelative,
  type RosterStaff,
  sameIdNumber,
} from './close-relative-roster';
import { CLOSE_RELATIONS, RELATED_POSITIONS } from './close-relatives';
import { type CivilDate, compareDates } from './dates';
import { validateIdNumber } from './idnumber';
import { isRegionCode } from './region';

// R-O1: the county updates its roster regularly. A submission lists staff members and cadres as
// they stand from `effectiveOn`: each one listed keeps exactly the relatives listed (a new or
// changed relation starts, one no longer listed is ended), one marked `ended` left the post (all
// its relations end), and a `complete` submission is the whole roster (everyone not listed ends).
// Nothing is deleted (R-O6): what changes is ended on `effectiveOn` and, if still true, started again.

export interface StaffSubmission extends RosterStaff {
  relatives: RosterRelative[];
  /** The staff member or cadre left the post: every relation of theirs ends. */
  ended?: boolean;
}

export interface RosterSubmission {
  countyCode: string;
  effectiveOn: CivilDate;
  /** The whole roster of the county: staff members not listed end. */
  complete: boolean;
  staff: StaffSubmission[];
}

export interface RosterProblem {
  /** Where, e.g. `staff[2].relatives[0].idNumber`. */
  path: string;
  message: string;
}

export type NewRosterEntry = Omit<RosterEntry, 'entryId' | 'endedOn'>;

export interface RosterChanges {
  start: NewRosterEntry[];
  end: RosterEntry[];
  unchanged: number;
  /** Entries that would end before they began (a submission dated before an entry's first day). */
  conflicts: RosterEntry[];
}

const NAME_MAX = 100;
const nameProblem = (name: string) =>
  name.trim() === ''
    ? 'required'
    : [...name.trim()].length > NAME_MAX
      ? `at most ${NAME_MAX} characters`
      : '';

/** What is wrong with a submission, by path; none for one that can be recorded. */
export function checkRosterSubmission(s: RosterSubmission): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const refs = new Set<string>();
  s.staff.forEach((st, i) => {
    const at = `staff[${i}]`;
    if (st.ref.trim() === '') add(`${at}.ref`, 'required');
    else if (refs.has(st.ref.trim())) add(`${at}.ref`, 'listed twice in this submission');
    refs.add(st.ref.trim());
    const staffName = nameProblem(st.name);
    if (staffName) add(`${at}.name`, staffName);
    if (!RELATED_POSITIONS.includes(st.position)) add(`${at}.position`, RELATED_POSITIONS.join(' or '));
    if (!isRegionCode(st.regionCode) || st.regionCode.length < 6 || !st.regionCode.startsWith(s.countyCode))
      add(`${at}.regionCode`, `the county ${s.countyCode}, or a township or village in it`);
    if (st.ended && st.relatives.length > 0) add(`${at}.relatives`, 'a staff member who left has none');
    const ids: string[] = [];
    st.relatives.forEach((r, j) => {
      const rel = `${at}.relatives[${j}]`;
      if (!validateIdNumber(r.idNumber.trim().toUpperCase()).ok) add(`${rel}.idNumber`, 'a valid ID number');
      else if (ids.some((x) => sameIdNumber(x, r.idNumber)))
        add(`${rel}.idNumber`, 'listed twice for this staff member');
      ids.push(r.idNumber);
      const relName = nameProblem(r.name);
      if (relName) add(`${rel}.name`, relName);
      if (!CLOSE_RELATIONS.includes(r.relation)) add(`${rel}.relation`, CLOSE_RELATIONS.join(', '));
    });
  });
  return problems;
}

const sameStaff = (a: RosterStaff, b: RosterStaff) =>
  a.ref.trim() === b.ref.trim() &&
  a.name.trim() === b.name.trim() &&
  a.position === b.position &&
  (a.post?.trim() ?? '') === (b.post?.trim() ?? '') &&
  a.regionCode === b.regionCode;

const sameRelative = (a: RosterRelative, b: RosterRelative) =>
  sameIdNumber(a.idNumber, b.idNumber) && a.name.trim() === b.name.trim() && a.relation === b.relation;

const cleanStaff = (s: StaffSubmission): RosterStaff => ({
  ref: s.ref.trim(),
  name: s.name.trim(),
  position: s.position,
  ...(s.post?.trim() ? { post: s.post.trim() } : {}),
  regionCode: s.regionCode,
});

/**
 * R-O1: what a (checked) submission changes in the county's open entries: relations that start,
 * entries that end on `effectiveOn`, and how many stay as they were. An unchanged relation keeps its
 * entry and its first day; a changed one (another post, another relation) ends and starts again.
 */
export function rosterChanges(open: readonly RosterEntry[], s: RosterSubmission): RosterChanges {
  const start: NewRosterEntry[] = [];
  const end: RosterEntry[] = [];
  let unchanged = 0;
  const listed = new Set(s.staff.map((st) => st.ref.trim()));
  const byRef = new Map<string, RosterEntry[]>();
  for (const e of open) byRef.set(e.staff.ref, [...(byRef.get(e.staff.ref) ?? []), e]);
  for (const st of s.staff) {
    const staff = cleanStaff(st);
    const current = byRef.get(staff.ref) ?? [];
    const kept = new Set<string>();
    for (const r of st.ended ? [] : st.relatives) {
      const relative = {
        idNumber: r.idNumber.trim().toUpperCase(),
        name: r.name.trim(),
        relation: r.relation,
      };
      const same = current.find(
        (e) => !kept.has(e.entryId) && sameStaff(e.staff, staff) && sameRelative(e.relative, relative),
      );
      if (same) {
        kept.add(same.entryId);
        unchanged++;
      } else start.push({ staff, relative, effectiveFrom: s.effectiveOn });
    }
    end.push(...current.filter((e) => !kept.has(e.entryId)));
  }
  if (s.complete) end.push(...open.filter((e) => !listed.has(e.staff.ref)));
  const conflicts = end.filter((e) => compareDates(e.effectiveFrom, s.effectiveOn) > 0);
  return { start, end, unchanged, conflicts };
}
