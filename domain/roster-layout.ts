import type { RosterRelative } from './close-relative-roster';
import type { CloseRelation, RelatedPosition } from './close-relatives';
import type { RosterProblem, StaffSubmission } from './roster-update';

// R-O1: the roster as a county keeps it in a spreadsheet (CSV or XLSX): one row per relative, the
// staff member's columns repeated on each of their rows; a staff member with no relative listed
// (or who left, `ended`) has one row with the relative's columns empty. Headers in English or
// Chinese, in any order; values in English or Chinese where listed.

export const ROSTER_COLUMNS = {
  staffRef: ['staff_ref', '人员编号'],
  staffName: ['staff_name', '姓名'],
  position: ['position', '人员类别'],
  post: ['post', '职务'],
  regionCode: ['region_code', '工作单位代码'],
  relativeName: ['relative_name', '亲属姓名'],
  relativeIdNumber: ['relative_id_number', '亲属身份证号'],
  relation: ['relation', '亲属关系'],
  ended: ['ended', '已离岗'],
} as const;
export type RosterColumn = keyof typeof ROSTER_COLUMNS;
const OPTIONAL: readonly RosterColumn[] = ['post', 'ended'];
/** The staff member's columns: every row of one staff reference must agree on them. */
const STAFF_COLUMNS: readonly RosterColumn[] = ['staffName', 'position', 'post', 'regionCode', 'ended'];

export const POSITION_VALUES: Record<string, RelatedPosition> = {
  assistance_staff: 'assistance_staff',
  救助经办人员: 'assistance_staff',
  经办人员: 'assistance_staff',
  village_cadre: 'village_cadre',
  村干部: 'village_cadre',
  '村(社区)干部': 'village_cadre',
  社区干部: 'village_cadre',
};
export const RELATION_VALUES: Record<string, CloseRelation> = {
  spouse: 'spouse',
  配偶: 'spouse',
  parent: 'parent',
  父母: 'parent',
  父亲: 'parent',
  母亲: 'parent',
  child: 'child',
  子女: 'child',
  儿子: 'child',
  女儿: 'child',
  sibling: 'sibling',
  兄弟姐妹: 'sibling',
  grandparent: 'grandparent',
  祖父母: 'grandparent',
  外祖父母: 'grandparent',
  grandchild: 'grandchild',
  孙子女: 'grandchild',
  外孙子女: 'grandchild',
};
const ENDED_VALUES: Record<string, boolean> = { '': false, no: false, 否: false, yes: true, 是: true };

const normal = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/（/g, '(')
    .replace(/）/g, ')');

/** Which column each header names, or the headers it does not know and the columns missing. */
export function mapRosterHeaders(
  headers: string[],
):
  | { ok: true; index: Partial<Record<RosterColumn, number>> }
  | { ok: false; unknown: string[]; missing: RosterColumn[] } {
  const index: Partial<Record<RosterColumn, number>> = {};
  const unknown: string[] = [];
  const cols = Object.keys(ROSTER_COLUMNS) as RosterColumn[];
  headers.forEach((h, i) => {
    const col = cols.find((c) =>
      (ROSTER_COLUMNS[c] as readonly string[]).some((n) => normal(n) === normal(h)),
    );
    if (col && index[col] === undefined) index[col] = i;
    else if (normal(h) !== '') unknown.push(h);
  });
  const missing = cols.filter((c) => index[c] === undefined && !OPTIONAL.includes(c));
  return unknown.length || missing.length ? { ok: false, unknown, missing } : { ok: true, index };
}

export type RosterRow = Record<RosterColumn, string>;

/**
 * The file's rows (numbered from 2: the header is row 1) as staff members with their relatives, or
 * the problems by row; a row's values are never repeated in a problem (R-O7).
 */
export function rosterFromRows(rows: RosterRow[]): {
  staff: StaffSubmission[];
  problems: (RosterProblem & { row: number })[];
  /** The file row of each staff member and relative, to name rows in later problems. */
  rowOf: (path: string) => number | undefined;
} {
  const problems: (RosterProblem & { row: number })[] = [];
  const byRef = new Map<string, { first: RosterRow; row: number; index: number; staff: StaffSubmission }>();
  const rowsByPath = new Map<string, number>();
  rows.forEach((r, k) => {
    const row = k + 2;
    const bad = (column: RosterColumn, message: string) =>
      problems.push({ row, path: ROSTER_COLUMNS[column][0], message });
    const position = POSITION_VALUES[r.position.trim()];
    if (!position) bad('position', `one of ${Object.keys(POSITION_VALUES).join(', ')}`);
    const ended = ENDED_VALUES[r.ended.trim().toLowerCase()];
    if (ended === undefined) bad('ended', 'yes or no (是, 否), or empty');
    const ref = r.staffRef.trim();
    let group = byRef.get(ref);
    if (!group) {
      const staff: StaffSubmission = {
        ref,
        name: r.staffName,
        position: position ?? 'assistance_staff',
        ...(r.post.trim() ? { post: r.post.trim() } : {}),
        regionCode: r.regionCode.trim(),
        relatives: [],
        ...(ended ? { ended: true } : {}),
      };
      group = { first: r, row, index: byRef.size, staff };
      byRef.set(ref, group);
      rowsByPath.set(`staff[${group.index}]`, row);
    } else {
      for (const c of STAFF_COLUMNS)
        if (r[c].trim() !== group.first[c].trim())
          bad(c, `differs from row ${group.row} of the same staff_ref`);
    }
    const relative = [r.relativeIdNumber, r.relativeName, r.relation].map((v) => v.trim());
    if (relative.every((v) => v === '')) return;
    const relation = RELATION_VALUES[r.relation.trim()];
    if (!relation) bad('relation', `one of ${Object.keys(RELATION_VALUES).join(', ')}`);
    rowsByPath.set(`staff[${group.index}].relatives[${group.staff.relatives.length}]`, row);
    const rel: RosterRelative = {
      idNumber: r.relativeIdNumber.trim(),
      name: r.relativeName,
      relation: relation ?? 'spouse',
    };
    group.staff.relatives.push(rel);
  });
  const rowOf = (path: string) => {
    const m = /^staff\[\d+\](\.relatives\[\d+\])?/.exec(path);
    return m ? (rowsByPath.get(m[0]) ?? rowsByPath.get(m[0].replace(/\.relatives\[\d+\]$/, ''))) : undefined;
  };
  return { staff: [...byRef.values()].map((g) => g.staff), problems, rowOf };
}
