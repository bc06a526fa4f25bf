import { describe, expect, it } from 'vitest';
import type { RosterEntry } from '../../domain/close-relative-roster';
import { makeIdNumber } from '../../domain/idnumber';
import { type RosterRow, rosterFromRows } from '../../domain/roster-layout';
import {
  checkRosterSubmission,
  type RosterSubmission,
  rosterChanges,
  type StaffSubmission,
} from '../../domain/roster-update';

// R-O1: the county updates its roster regularly; nothing is deleted (R-O6). Pure, no server.

const COUNTY = '140802';
const id = (seq: number) => makeIdNumber(COUNTY, '1975-06-01', seq);
const staff = (ref: string, over: Partial<StaffSubmission> = {}): StaffSubmission => ({
  ref,
  name: '赵主任',
  position: 'assistance_staff',
  post: '民政助理员',
  regionCode: '140802101',
  relatives: [{ idNumber: id(1), name: '赵甲', relation: 'spouse' }],
  ...over,
});
const submission = (list: StaffSubmission[], over: Partial<RosterSubmission> = {}): RosterSubmission => ({
  countyCode: COUNTY,
  effectiveOn: '2026-04-01',
  complete: false,
  staff: list,
  ...over,
});
/** What the county's table holds after `s` was recorded on a clean roster (ids 1…n). */
const recorded = (s: RosterSubmission): RosterEntry[] =>
  rosterChanges([], s).start.map((e, i) => ({ ...e, entryId: String(i + 1) }));

describe('R-O1 roster updates', () => {
  it('R-O1: a first submission starts every relation from its day; the same again changes nothing', () => {
    const s = submission([staff('S-1'), staff('S-2', { relatives: [] })]);
    const first = rosterChanges([], s);
    expect(first.start).toEqual([
      {
        staff: {
          ref: 'S-1',
          name: '赵主任',
          position: 'assistance_staff',
          post: '民政助理员',
          regionCode: '140802101',
        },
        relative: { idNumber: id(1), name: '赵甲', relation: 'spouse' },
        effectiveFrom: '2026-04-01',
      },
    ]);
    const again = rosterChanges(recorded(s), { ...s, effectiveOn: '2026-07-01' });
    expect(again).toEqual({ start: [], end: [], unchanged: 1, conflicts: [] });
  });

  it('R-O1 R-O6: a relative no longer listed is ended, a changed relation or post is ended and started again', () => {
    const open = recorded(
      submission([
        staff('S-1', {
          relatives: [
            { idNumber: id(1), name: '赵甲', relation: 'spouse' },
            { idNumber: id(2), name: '赵乙', relation: 'child' },
          ],
        }),
      ]),
    );
    const dropped = rosterChanges(open, submission([staff('S-1')], { effectiveOn: '2026-06-01' }));
    expect(dropped.end.map((e) => e.relative.idNumber)).toEqual([id(2)]);
    expect(dropped.start).toEqual([]);
    const moved = rosterChanges(
      open,
      submission(
        [
          staff('S-1', {
            post: '副乡长',
            relatives: [{ idNumber: id(1), name: '赵甲', relation: 'spouse' }],
          }),
        ],
        {
          effectiveOn: '2026-06-01',
        },
      ),
    );
    expect(moved.end.map((e) => e.entryId)).toEqual(['1', '2']);
    expect(moved.start.map((e) => [e.staff.post, e.relative.idNumber, e.effectiveFrom])).toEqual([
      ['副乡长', id(1), '2026-06-01'],
    ]);
  });

  it('R-O1: a staff member who left ends every relation; a complete roster ends everyone not listed, a partial one nobody', () => {
    const open = recorded(
      submission([
        staff('S-1'),
        staff('S-2', { relatives: [{ idNumber: id(3), name: '钱丙', relation: 'parent' }] }),
      ]),
    );
    const left = rosterChanges(open, submission([staff('S-1', { ended: true, relatives: [] })]));
    expect(left.end.map((e) => e.staff.ref)).toEqual(['S-1']);
    expect(rosterChanges(open, submission([staff('S-1')])).end).toEqual([]);
    const complete = rosterChanges(open, submission([staff('S-1')], { complete: true }));
    expect(complete.end.map((e) => e.staff.ref)).toEqual(['S-2']);
    expect(complete.unchanged).toBe(1);
  });

  it('R-O1: a submission dated before an entry it would end is a conflict', () => {
    const open = recorded(submission([staff('S-1')], { effectiveOn: '2026-05-01' }));
    const early = rosterChanges(
      open,
      submission([staff('S-1', { ended: true, relatives: [] })], { effectiveOn: '2026-04-30' }),
    );
    expect(early.conflicts.map((e) => e.staff.ref)).toEqual(['S-1']);
    // On its own first day it is a correction: the entry never held.
    const sameDay = rosterChanges(
      open,
      submission([staff('S-1', { ended: true, relatives: [] })], { effectiveOn: '2026-05-01' }),
    );
    expect(sameDay.conflicts).toEqual([]);
  });

  it('R-O1: a county-sized roster (20,000 staff members, 100,000 relations) is compared against itself without a quadratic cost', () => {
    const big = submission(
      Array.from({ length: 20_000 }, (_, i) =>
        staff(`S-${i}`, {
          relatives: Array.from({ length: 5 }, (_, j) => ({
            idNumber: makeIdNumber(COUNTY, '1975-06-01', (i * 5 + j) % 1000),
            name: `亲属${j}`,
            relation: 'sibling' as const,
          })),
        }),
      ),
    );
    const t0 = performance.now();
    const again = rosterChanges(recorded(big), { ...big, effectiveOn: '2026-05-01', complete: true });
    expect(again).toMatchObject({ start: [], end: [], unchanged: 100_000 });
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('R-O1: what a submission may not hold is named by path (never by value, R-O7)', () => {
    const bad = submission([
      staff('S-1', { regionCode: '140803101' }),
      staff('S-1', { ended: true }),
      staff('S-3', {
        name: ' ',
        relatives: [
          { idNumber: '140802197506010000', name: '孙丁', relation: 'sibling' },
          { idNumber: id(4), name: '孙戊', relation: 'sibling' },
          { idNumber: id(4).toLowerCase(), name: '孙戊', relation: 'sibling' },
        ],
      }),
    ]);
    const problems = checkRosterSubmission(bad);
    expect(problems.map((p) => p.path)).toEqual([
      'staff[0].regionCode',
      'staff[1].ref',
      'staff[1].relatives',
      'staff[2].name',
      'staff[2].relatives[0].idNumber',
      'staff[2].relatives[2].idNumber',
    ]);
    expect(JSON.stringify(problems)).not.toContain(id(4));
    expect(checkRosterSubmission(submission([staff('S-1'), staff('S-2', { regionCode: COUNTY })]))).toEqual(
      [],
    );
  });
});

describe('R-O1 roster file layout', () => {
  const row = (over: Partial<RosterRow>): RosterRow => ({
    staffRef: 'S-1',
    staffName: '周书记',
    position: '村干部',
    post: '村支书',
    regionCode: '140802101201',
    relativeName: '周甲',
    relativeIdNumber: id(5),
    relation: '兄弟姐妹',
    ended: '',
    ...over,
  });

  it('R-O1: one row per relative, grouped by staff reference; Chinese values; a staff member with no relative has one empty row', () => {
    const { staff: list, problems } = rosterFromRows([
      row({}),
      row({ relativeName: '周乙', relativeIdNumber: id(6), relation: '配偶' }),
      row({
        staffRef: 'S-2',
        staffName: '吴会计',
        position: 'assistance_staff',
        post: '',
        relativeName: '',
        relativeIdNumber: '',
        relation: '',
        ended: '是',
      }),
    ]);
    expect(problems).toEqual([]);
    expect(list).toEqual([
      {
        ref: 'S-1',
        name: '周书记',
        position: 'village_cadre',
        post: '村支书',
        regionCode: '140802101201',
        relatives: [
          { idNumber: id(5), name: '周甲', relation: 'sibling' },
          { idNumber: id(6), name: '周乙', relation: 'spouse' },
        ],
      },
      {
        ref: 'S-2',
        name: '吴会计',
        position: 'assistance_staff',
        regionCode: '140802101201',
        relatives: [],
        ended: true,
      },
    ]);
  });

  it('R-O1: bad values are named by row and column, and a submission problem is traced to its row', () => {
    const {
      staff: list,
      problems,
      rowOf,
    } = rosterFromRows([
      row({}),
      row({ relativeIdNumber: id(7), relation: '表亲' }),
      row({ relativeIdNumber: id(8), post: '村主任' }),
    ]);
    expect(problems).toEqual([
      { row: 3, path: 'relation', message: expect.stringContaining('配偶') },
      { row: 4, path: 'post', message: 'differs from row 2 of the same staff_ref' },
    ]);
    expect(rowOf('staff[0].relatives[2].idNumber')).toBe(4);
    expect(rowOf('staff[0].regionCode')).toBe(2);
    expect(list[0]!.relatives).toHaveLength(3);
  });
});
