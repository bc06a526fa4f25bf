import { matchRoster, type RosterMatch } from '../domain/close-relative-roster';
import { type CivilDate, civilDateOf } from '../domain/dates';
import { countyOf } from '../domain/region';
import { type ActivityDeps, reposOf } from './deps';

// R-O1: the check of a household against the county's close-relative roster, run by the
// application workflow (receipt, investigation) and the case workflow (member change, re-review,
// import) as their activity, so each check and what it found are in the workflow's history. The
// roster is only read here; the filing is written once per subject, occasion and source.

export interface CloseRelativeCheck {
  subjectKind: 'application' | 'case';
  subjectId: string;
  villageCode: string;
  /** `receipt`, `investigation:<n>`, `change:<id>`, `re_review:<date>`, `import:<id>`. */
  occasion: string;
  /** The day of the occasion (accepted, visited, reported, opened). */
  on: CivilDate;
  /** The workflow's today: the filing's date (fixed in the input, so a retry files the same row). */
  filedOn: CivilDate;
  filedBy: string;
  members: { idNumber: string; name: string }[];
  /** A close-relative case is filed at this occasion whether or not the roster names it (R-O1). */
  fileAnyway?: boolean;
}

export function closeRelativeActivities(deps: ActivityDeps) {
  const { roster, closeRelatives } = reposOf(deps);
  return {
    /**
     * R-O1: the members on the roster on the day of the occasion, on the day of the filing or today
     * (an entry added since a paper receipt was accepted still names the relative), filed with the
     * staff member or cadre each is related to; nothing filed when none is and `fileAnyway` is unset.
     */
    async checkCloseRelatives(args: CloseRelativeCheck): Promise<{ matches: RosterMatch[]; filed: boolean }> {
      const entries = await roster.forRelatives(
        countyOf(args.villageCode),
        args.members.map((m) => m.idNumber),
      );
      const matches = matchRoster(args.members, entries, [args.on, args.filedOn, civilDateOf(new Date())]);
      const filed = matches.length > 0 || args.fileAnyway === true;
      if (filed)
        await closeRelatives.file({
          subjectKind: args.subjectKind,
          subjectId: args.subjectId,
          villageCode: args.villageCode,
          occasion: args.occasion,
          filedOn: args.filedOn,
          filedBy: args.filedBy,
          matches,
        });
      return { matches, filed };
    },
  };
}
