import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { inForce, matchRoster, type RosterEntry } from '../../domain/close-relative-roster';
import { makeIdNumber } from '../../domain/idnumber';

// R-O1: a household checked against the county's close-relative roster (pure, no server).

const id = (seq: number) => makeIdNumber('140802', '1980-01-01', seq);
const ID_X = makeIdNumber('140802', '1980-01-01', 7); // check character X
const entry = (n: number, over: Partial<RosterEntry> = {}): RosterEntry => ({
  entryId: String(n),
  staff: {
    ref: `S-${n}`,
    name: `王干部${n}`,
    position: 'village_cadre',
    post: '村委会主任',
    regionCode: '140802101201',
  },
  relative: { idNumber: id(n), name: `王亲属${n}`, relation: 'sibling' },
  effectiveFrom: '2026-01-01',
  ...over,
});
const member = (idNumber: string, name = '李某') => ({ idNumber, name });

describe('R-O1 close-relative roster: the check', () => {
  it('R-O1: a member whose ID number is on the roster is matched with the staff member and relation; the name may be written differently', () => {
    const roster = [entry(1), entry(2)];
    const matches = matchRoster([member(id(9)), member(id(2), '王 亲属二')], roster, ['2026-03-01']);
    expect(matches).toEqual([
      {
        entryId: '2',
        member: { idNumber: id(2), name: '王 亲属二' },
        relatedTo: roster[1]!.staff,
        relation: 'sibling',
      },
    ]);
    expect(matchRoster([member(id(9))], roster, ['2026-03-01'])).toEqual([]);
  });

  it('R-O1: ID numbers compare as printed (a lower-case x is the check character X)', () => {
    expect(ID_X.endsWith('X')).toBe(true);
    const roster = [entry(3, { relative: { idNumber: ID_X, name: '王某', relation: 'child' } })];
    expect(matchRoster([member(ID_X.toLowerCase())], roster, ['2026-03-01'])).toHaveLength(1);
  });

  it('R-O1: an entry holds from its first day until (not including) the day it was ended; any of the given days will do', () => {
    const e = entry(4, { effectiveFrom: '2026-02-01', endedOn: '2026-05-01' });
    expect(inForce(e, '2026-01-31')).toBe(false);
    expect(inForce(e, '2026-02-01')).toBe(true);
    expect(inForce(e, '2026-04-30')).toBe(true);
    expect(inForce(e, '2026-05-01')).toBe(false);
    expect(inForce(entry(5), '2099-12-31')).toBe(true); // never ended
    const m = [member(id(4))];
    expect(matchRoster(m, [e], ['2026-01-15'])).toEqual([]);
    expect(matchRoster(m, [e], ['2026-01-15', '2026-03-01'])).toHaveLength(1);
    // Ended on its first day: the entry never held.
    expect(matchRoster(m, [entry(4, { endedOn: '2026-01-01' })], ['2026-01-01'])).toEqual([]);
  });

  it('R-O1: one match per member and staff member; a member related to two staff members is named with both', () => {
    const twice = [entry(6), entry(7, { staff: entry(6).staff })]; // the same relation entered twice
    const other = entry(8, { relative: { idNumber: id(6), name: '王某', relation: 'spouse' } });
    const matches = matchRoster([member(id(6))], [...twice, other], ['2026-03-01']);
    expect(matches.map((m) => [m.relatedTo.ref, m.relation])).toEqual([
      ['S-6', 'sibling'],
      ['S-8', 'spouse'],
    ]);
  });

  test.prop([
    fc.array(
      fc.record({
        rel: fc.integer({ min: 1, max: 8 }),
        from: fc.integer({ min: 1, max: 28 }),
        len: fc.option(fc.integer({ min: 0, max: 28 })),
      }),
      { maxLength: 12 },
    ),
    fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 5 }),
    fc.integer({ min: 1, max: 28 }),
  ])('R-O1: exactly the members with an entry in force that day are matched', (spec, household, day) => {
    const date = (d: number) => `2026-02-${String(d).padStart(2, '0')}`;
    const dateAfter = (d: number, n: number) =>
      d + n > 28 ? `2026-03-${String(d + n - 28).padStart(2, '0')}` : date(d + n);
    const roster = spec.map((s, i) =>
      entry(100 + i, {
        staff: { ...entry(i).staff, ref: `S-${i}` },
        relative: { idNumber: id(s.rel), name: '某', relation: 'parent' },
        effectiveFrom: date(s.from),
        ...(s.len === null ? {} : { endedOn: dateAfter(s.from, s.len) }),
      }),
    );
    const members = household.map((n) => member(id(n)));
    const matched = new Set(matchRoster(members, roster, [date(day)]).map((m) => m.member.idNumber));
    const expected = members.filter((m) =>
      roster.some((e) => e.relative.idNumber === m.idNumber && inForce(e, date(day))),
    );
    expect([...matched].sort()).toEqual(expected.map((m) => m.idNumber).sort());
  });
});
