import { describe, expect, it } from 'vitest';
import { matchRoster, type RosterEntry } from '../../domain/close-relative-roster';
import type { CivilDate } from '../../domain/dates';
import {
  applyRosterCheck,
  isCloseRelative,
  rosterCheckOf,
} from '../../workflows/application/close-relatives';
import { applyCaseRosterCheck, caseRosterCheck } from '../../workflows/case/close-relatives';
import { type CaseEffect, CaseState } from '../../workflows/case/state';
import { at, county, inDecision, investigation, received } from '../helpers/application-state-kit';
import { actor, caseInput, household } from '../helpers/fixtures';

// R-O1 on the state objects alone (no Temporal, no Postgres): what the application and the case
// ask the roster check, and what they make of its matches.

const entry = (idNumber: string, ref = 'S-1'): RosterEntry => ({
  entryId: '1',
  staff: { ref, name: '李村长', position: 'village_cadre', post: '村委会主任', regionCode: '140802101201' },
  relative: { idNumber, name: '某', relation: 'sibling' },
  effectiveFrom: '2020-01-01',
});
const filings = (effects: CaseEffect[]) =>
  effects.filter((e): e is Extract<CaseEffect, { kind: 'filing' }> => e.kind === 'filing');

describe('R-O1 the application against the roster (no server)', () => {
  it('R-O1: the receipt checks the household as declared, on the day accepted; a match is filed without the box and makes it a close-relative case', () => {
    const state = received({ closeRelative: false });
    const check = rosterCheckOf(state, 'receipt', at('2026-03-02'));
    expect(check).toMatchObject({
      subjectKind: 'application',
      subjectId: state.input.applicationId,
      occasion: 'receipt',
      on: '2026-03-02',
      filedOn: '2026-03-02',
      members: state.input.household.members.map((m) => ({ idNumber: m.idNumber, name: m.name })),
    });
    expect(check.fileAnyway).toBeUndefined();
    expect(applyRosterCheck(state, check, [], at('2026-03-02'))).toBeUndefined();
    expect(isCloseRelative(state)).toBe(false);

    const relative = state.input.household.members[1]!;
    const matches = matchRoster(check.members, [entry(relative.idNumber)], [check.on]);
    const entryOf = applyRosterCheck(state, check, matches, at('2026-03-02'));
    expect(entryOf).toMatchObject({
      action: 'close_relative_filed',
      by: { sub: 'system' },
      details: { occasion: 'receipt', staff: ['S-1'] },
    });
    expect(state.view.rosterFilings).toEqual([
      {
        occasion: 'receipt',
        on: '2026-03-02',
        matches: [{ memberIdNumber: relative.idNumber, relatedTo: entry('').staff, relation: 'sibling' }],
      },
    ]);
    expect(isCloseRelative(state)).toBe(true);
  });

  it('R-O1 R-A2: each investigation checks the household as found by the visit, as its own occasion', () => {
    const state = received();
    const found = household({ size: 3 });
    state.applyInvestigation({ ...investigation(state, '2026-03-05'), household: found }, at('2026-03-05'));
    const check = rosterCheckOf(state, 'investigation', at('2026-03-06'));
    expect(check).toMatchObject({ occasion: 'investigation:1', on: '2026-03-05', filedOn: '2026-03-06' });
    expect(check.members.map((m) => m.idNumber)).toEqual(found.members.map((m) => m.idNumber));
  });

  it('R-O1 R-O2: an approved application the roster named starts a close-relative case', () => {
    const state = inDecision();
    const relative = state.household().members[0]!;
    const check = rosterCheckOf(state, 'investigation', at('2026-03-17'));
    applyRosterCheck(
      state,
      check,
      matchRoster(check.members, [entry(relative.idNumber)], [check.on]),
      at('2026-03-17'),
    );
    const decision = { actor: county, approve: true, monthlyAmount: '1000.00', reasons: 'eligible' };
    state.applyDecision(decision, at('2026-03-17'));
    expect(state.caseInput('C-1', decision).closeRelative).toBe(true);
    const unnamed = inDecision();
    unnamed.applyDecision(decision, at('2026-03-17'));
    expect(unnamed.caseInput('C-2', decision).closeRelative).toBe(false);
  });
});

describe('R-O1 the case against the roster (no server)', () => {
  /** Approved 2024-09-01, months rostered to 2024-12. */
  const caseOf = (closeRelative = false) => {
    const s = new CaseState(
      caseInput({ approvedOn: '2024-09-01', startMonth: '2024-10', closeRelative }),
      at('2024-09-01'),
    );
    s.tick(at('2024-12-10'));
    s.record.effects = [];
    s.record.unsaved = [];
    return s;
  };
  const noon = (d: CivilDate) => new Date(`${d}T12:00:00+08:00`);

  it('R-O1 R-M4: every re-review is checked against the roster; a close-relative case is filed whatever it finds', () => {
    const plain = caseOf();
    plain.tick(noon('2025-09-01'));
    const [check] = filings(plain.effects);
    expect(check).toEqual({
      kind: 'filing',
      occasion: 're_review:2025-09-01',
      on: '2025-09-01',
      by: 'system',
      rosterOnly: true,
    });
    expect(caseRosterCheck(plain, check!, noon('2025-09-01')).fileAnyway).toBeUndefined();
    const close = caseOf(true);
    close.tick(noon('2025-09-01'));
    expect(caseRosterCheck(close, filings(close.effects)[0]!, noon('2025-09-01')).fileAnyway).toBe(true);
  });

  it('R-O1 R-M5: a change of members is checked (the household as it stands, the dead left out); other changes are not', () => {
    const s = caseOf();
    const staff = actor('township_staff');
    s.view.members[1]!.diedOn = '2024-11-02';
    s.applyChange(
      { actor: staff, changeId: 'c-1', kind: 'income', reportedOn: '2024-12-11', summary: 'a new job' },
      at('2024-12-11'),
    );
    expect(filings(s.effects)).toEqual([]);
    s.applyChange(
      { actor: staff, changeId: 'c-2', kind: 'members', reportedOn: '2024-12-11', summary: 'a son moved in' },
      at('2024-12-11'),
    );
    const [change] = filings(s.effects);
    expect(change).toMatchObject({
      occasion: 'change:c-2',
      on: '2024-12-11',
      by: 'system',
      rosterOnly: true,
    });
    expect(caseRosterCheck(s, change!, at('2024-12-11')).members.map((m) => m.idNumber)).toEqual([
      s.view.members[0]!.idNumber,
    ]);
  });

  it('R-O1: a match makes the case a close-relative case (filed at every later re-review) and is recorded', () => {
    const s = caseOf();
    s.tick(noon('2025-09-01'));
    const check = filings(s.effects)[0]!;
    const args = caseRosterCheck(s, check, noon('2025-09-01'));
    applyCaseRosterCheck(s, check, [], noon('2025-09-01'));
    expect(s.view.closeRelative).toBe(false);
    const matches = matchRoster(args.members, [entry(args.members[0]!.idNumber, 'S-9')], [args.on]);
    applyCaseRosterCheck(s, check, matches, noon('2025-09-01'));
    expect(s.view.closeRelative).toBe(true);
    expect(s.unsaved.at(-1)).toMatchObject({
      action: 'close_relative_filed',
      details: { occasion: 're_review:2025-09-01', staff: ['S-9'] },
    });
    s.applyReviewResult(
      {
        actor: actor('township_staff'),
        taskId: 're-review-2025-09-01',
        outcome: 'continue',
        reasons: 'unchanged',
      },
      noon('2025-09-02'),
    );
    s.record.effects = [];
    s.tick(noon('2026-09-01'));
    expect(filings(s.effects).map((e) => [e.occasion, e.rosterOnly])).toEqual([
      ['re_review:2026-09-01', undefined],
    ]);
  });
});
