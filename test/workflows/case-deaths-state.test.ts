import { describe, expect, it } from 'vitest';
import type { CivilDate } from '../../domain/dates';
import { type CaseEffect, CaseState } from '../../workflows/case/state';
import type { CaseInput, DeathNotice } from '../../workflows/contracts';
import { caseInput, policy } from '../helpers/fixtures';

// R-M2 deaths the case handles beyond the ordinary one, as CaseState rules without a server:
// extreme-poverty support per person (R-E6), a death reported after the case closed (R-M10) and the
// months an imported case's previous system paid.

/** Noon in Asia/Shanghai of a civil date (workflow time). */
const at = (d: CivilDate) => new Date(`${d}T12:00:00+08:00`);
/** Extreme-poverty support paid monthly (from Oct 2024, R-E6): no quarter paid in advance. */
const MONTHLY = policy('2024-10-01');

/** Approved 2024-09-01, paid 1000.00 a month from 2024-10, months rostered up to `rosteredTo`. */
function caseOf(
  overrides: Partial<CaseInput> & { size?: number } = {},
  rosteredTo: CivilDate = '2024-12-10',
) {
  const s = new CaseState(
    caseInput({ approvedOn: '2024-09-01', startMonth: '2024-10', policy: MONTHLY, ...overrides }),
    at('2024-09-01'),
  );
  s.tick(at(rosteredTo));
  s.record.effects = [];
  s.record.unsaved = [];
  return s;
}
const death = (s: CaseState, i: number, diedOn: CivilDate, noticeId = `n-${i}`): DeathNotice => ({
  noticeId,
  idNumber: s.view.members[i]!.idNumber,
  diedOn,
  source: 'integration',
  receivedOn: '2024-12-12',
});
const ofKind = <K extends CaseEffect['kind']>(effects: CaseEffect[], kind: K) =>
  effects.filter((e): e is Extract<CaseEffect, { kind: K }> => e.kind === kind);
const adjustments = (s: CaseState) => ofKind(s.effects, 'adjustment').map((e) => e.adjustment);
const rates = (s: CaseState) =>
  ofKind(s.effects, 'rate').map((e) => [e.entry.fromMonth, e.entry.monthlyAmount, e.entry.persons]);

describe('extreme-poverty support is per person (R-E6, R-M2)', () => {
  it('R-E6 R-M2: one of two supported persons dies — that support ends from the next month, paid months recovered, a reduction notice, no household review', () => {
    const s = caseOf({ size: 2, category: 'extreme_poverty' });
    expect(s.applyDeath(death(s, 1, '2024-10-15'), at('2024-12-12'))).toBe('applied');
    expect(s.openTasks()).toEqual([]);
    expect(s.view).toMatchObject({ status: 'active', monthlyAmount: '500.00', persons: 1 });
    expect(rates(s)).toEqual([['2024-11', '500.00', 1]]);
    expect(adjustments(s)).toEqual([
      expect.objectContaining({ kind: 'recovery', amount: '1000.00', months: ['2024-11', '2024-12'] }),
    ]);
    const notices = ofKind(s.effects, 'notice');
    expect(notices.map((n) => n.notice)).toEqual(['reduction']);
    expect(notices[0]?.reasons).toContain('R-E6');
    s.tick(at('2025-01-10'));
    expect(s.view.rostered.at(-1)).toMatchObject({ month: '2025-01', amount: '500.00', persons: 1 });
    // The last supported person's death closes the case as for one person.
    s.record.effects = [];
    s.applyDeath(death(s, 0, '2025-01-20'), at('2025-02-12'));
    expect(s.view.closed).toMatchObject({ reason: 'death', fromMonth: '2025-02' });
  });

  it('R-E6 R-M2: a later rate (a standard change) loses the person too', () => {
    const s = caseOf({ size: 3, category: 'extreme_poverty' });
    s.ledger.addRate('2025-03', '1200.00', 3, 'standard (R-M8)', 'standard:v2');
    s.record.effects = [];
    s.applyDeath(death(s, 2, '2024-11-05'), at('2024-12-12'));
    expect(rates(s)).toEqual([
      ['2024-12', '666.67', 2],
      ['2025-03', '800.00', 2],
    ]);
    expect(adjustments(s)).toEqual([
      expect.objectContaining({ kind: 'recovery', amount: '333.33', months: ['2024-12'] }),
    ]);
  });

  it('R-E6 R-M2: a supported person who died before the approval — their support is recovered for every month paid, and the county checks', () => {
    const s = caseOf({ size: 2, category: 'extreme_poverty' });
    s.applyDeath(death(s, 1, '2024-08-20'), at('2024-12-12'));
    expect(s.openTasks().map((t) => t.kind)).toEqual(['data_check']);
    expect(rates(s)).toEqual([['2024-10', '500.00', 1]]);
    expect(adjustments(s)).toEqual([
      expect.objectContaining({ amount: '1500.00', months: ['2024-10', '2024-11', '2024-12'] }),
    ]);
  });
});

describe('a death reported after the case closed (R-M2, R-M10)', () => {
  /** Closed by staff from December (already rostered): December was recovered at the closure. */
  function closed(overrides: Partial<CaseInput> & { size?: number }) {
    const s = caseOf(overrides);
    s.ledger.close(
      at('2024-12-12'),
      { sub: 'county-1', role: 'county_staff', region: '140802' },
      'review_stop',
      '2024-12',
      'no longer eligible',
    );
    s.record.effects = [];
    return s;
  }

  it('R-M2 R-M10: the only recipient died inside paid months — the months from the one after death up to the closure are recovered, once', () => {
    const s = closed({ size: 1 });
    expect(s.applyDeath(death(s, 0, '2024-10-20'), at('2025-02-10'))).toBe('applied');
    expect(adjustments(s)).toEqual([
      expect.objectContaining({ kind: 'recovery', amount: '1000.00', months: ['2024-11'] }),
    ]);
    expect(rates(s)).toEqual([['2024-11', '0.00', 0]]);
    expect(s.view).toMatchObject({
      status: 'closed',
      closed: { reason: 'review_stop', fromMonth: '2024-12' },
    });
    expect(ofKind(s.effects, 'notice')).toEqual([]); // the demand raised for it has its own notice
    expect(ofKind(s.effects, 'death_notice').map((e) => e.outcome)).toEqual(['applied']);
  });

  it('R-M2 R-M10: a death dated after the paid months recovers nothing', () => {
    const late = closed({ size: 1 });
    late.applyDeath(death(late, 0, '2024-11-30'), at('2025-02-10'));
    expect(adjustments(late)).toEqual([]);
  });

  it('R-E6 R-M10: one of two extreme-poverty persons of a closed case — their share of the paid months is recovered', () => {
    const s = closed({ size: 2, category: 'extreme_poverty' });
    s.applyDeath(death(s, 0, '2024-10-20'), at('2025-02-10'));
    expect(adjustments(s)).toEqual([
      expect.objectContaining({ kind: 'recovery', amount: '500.00', months: ['2024-11'] }),
    ]);
  });

  it('R-M2: a death before the admission of a closed case recovers every paid month before the closure', () => {
    const s = closed({ size: 1 });
    s.applyDeath(death(s, 0, '2024-08-20'), at('2025-02-10'));
    expect(adjustments(s)).toEqual([
      expect.objectContaining({ amount: '2000.00', months: ['2024-10', '2024-11'] }),
    ]);
  });
});

describe('an imported case: the months its previous system paid (R-M2, R-M10)', () => {
  /** Paid 1000.00 a month from 2024-10 by the previous system, imported on 2025-03-20. */
  function imported(paidThroughMonth?: string) {
    const s = new CaseState(
      caseInput({
        approvedOn: '2024-10-01',
        startMonth: '2024-10',
        size: 1,
        imported: {
          importId: 'I-1',
          importedBy: 'admin-1',
          nextReviewOn: '2025-10-01',
          ...(paidThroughMonth ? { paidThroughMonth } : {}),
        },
      }),
      at('2025-03-20'),
    );
    s.record.effects = [];
    return s;
  }

  it('R-M2 R-M10: a death dated before the import recovers the months the previous system paid after it', () => {
    const s = imported();
    expect(s.view.nextMonth).toBe('2025-04');
    expect(s.view.paidBeforeImport).toEqual({
      fromMonth: '2024-10',
      throughMonth: '2025-03',
      monthlyAmount: '1000.00',
      persons: 1,
    });
    s.applyDeath(death(s, 0, '2024-12-10'), at('2025-03-21'));
    expect(s.view.closed).toMatchObject({ reason: 'death', fromMonth: '2025-01' });
    expect(adjustments(s)).toEqual([
      expect.objectContaining({
        kind: 'recovery',
        amount: '3000.00',
        months: ['2025-01', '2025-02', '2025-03'],
      }),
    ]);
  });

  it('R-M2 R-M10: the file says the previous system paid through January: only January is recovered', () => {
    const s = imported('2025-01');
    s.applyDeath(death(s, 0, '2024-12-10'), at('2025-03-21'));
    expect(adjustments(s)).toEqual([expect.objectContaining({ amount: '1000.00', months: ['2025-01'] })]);
  });
});
