import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { addMonths, type CivilDate } from '../../domain/dates';
import { comparisonCheckDue, deathReviewDue, reviewDue } from '../../domain/deadlines';
import { type CaseEffect, CaseState } from '../../workflows/case/state';
import type { CaseInput, DeathNotice } from '../../workflows/contracts';
import { actor, caseInput, policy } from '../helpers/fixtures';

// CaseState's rules without any server (plain objects, workflow time passed in): the time-skipping
// tests in case.test.ts cover the timers and the orchestration around it.

const cal = WorkingCalendar.builtin();
/** Noon in Asia/Shanghai of a civil date (workflow time). */
const at = (d: CivilDate) => new Date(`${d}T12:00:00+08:00`);

/** Approved 2024-09-01, paid 1000.00 a month from 2024-10, months rostered up to `rosteredTo` (a 10th). */
function caseOf(
  overrides: Partial<CaseInput> & { size?: number } = {},
  rosteredTo: CivilDate = '2024-12-10',
) {
  const s = new CaseState(
    caseInput({ approvedOn: '2024-09-01', startMonth: '2024-10', ...overrides }),
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
const kinds = (effects: CaseEffect[]) => effects.map((e) => e.kind);
const ofKind = <K extends CaseEffect['kind']>(effects: CaseEffect[], kind: K) =>
  effects.filter((e): e is Extract<CaseEffect, { kind: K }> => e.kind === kind);

describe('CaseState (no server)', () => {
  it('R-M1 R-T2: each month is handed to the payroll at its roster cut-off with the amount then in force', () => {
    const s = new CaseState(caseInput({ approvedOn: '2024-09-01', startMonth: '2024-10' }), at('2024-09-01'));
    expect(kinds(s.effects)).toEqual(['rate']);
    s.tick(at('2024-09-20'));
    expect(s.view.rostered).toEqual([]);
    // October's cut-off falls before the National Day holiday (R-T2): the month is rostered by the 2nd.
    s.tick(at('2024-10-02'));
    expect(s.view.rostered.map((m) => m.month)).toEqual(['2024-10']);
    s.tick(at('2024-12-10'));
    expect(s.view.rostered.map((m) => [m.month, m.amount, m.status])).toEqual([
      ['2024-10', '1000.00', 'regular'],
      ['2024-11', '1000.00', 'regular'],
      ['2024-12', '1000.00', 'regular'],
    ]);
    expect(s.view.nextMonth).toBe('2025-01');
  });

  it('R-M2: a one-person case closes from the month after death; later rostered months are recovered', () => {
    const s = caseOf({ size: 1 });
    const n = death(s, 0, '2024-10-15');
    expect(s.applyDeath({ ...n, reportedBy: actor('township_staff') }, at('2024-12-12'))).toBe('applied');
    expect(s.view.status).toBe('closed');
    expect(s.view.closed).toEqual({ reason: 'death', fromMonth: '2024-11', on: '2024-12-12' });
    const [recovery] = ofKind(s.effects, 'adjustment').map((e) => e.adjustment);
    expect(recovery).toMatchObject({ kind: 'recovery', amount: '2000.00', months: ['2024-11', '2024-12'] });
    expect(ofKind(s.effects, 'rate').map((e) => [e.entry.fromMonth, e.entry.monthlyAmount])).toEqual([
      ['2024-11', '0.00'],
    ]);
    expect(ofKind(s.effects, 'notice').map((e) => e.notice)).toEqual(['stop']);
    expect(ofKind(s.effects, 'death_notice')).toEqual([
      { kind: 'death_notice', notice: expect.anything(), outcome: 'applied' },
    ]);
    // R-O6: the death is the reporter's act, not the system's.
    expect(s.view.history.find((e) => e.action === 'death_recorded')?.by).toMatchObject({
      sub: 'township_staff-1',
    });
  });

  it('R-M2 R-T1: a larger household opens a death review due 3 months after death (30 Nov → 28 Feb); nothing else changes', () => {
    const s = caseOf({ size: 3 });
    expect(s.applyDeath(death(s, 1, '2024-11-30'), at('2024-12-12'))).toBe('applied');
    const review = s.openTasks().find((t) => t.kind === 'death_review');
    expect(review?.due).toEqual(deathReviewDue(cal, '2024-11-30'));
    expect(review?.due.date).toBe('2025-02-28');
    expect(s.view.status).toBe('active');
    expect(s.view.monthlyAmount).toBe('1000.00');
    expect(kinds(s.effects)).toEqual(['death_notice']);
    expect(s.view.members[1]).toMatchObject({ covered: false, diedOn: '2024-11-30' });
  });

  it('R-M2: a death dated before the approval is flagged for a county check at once and every month paid is recovered', () => {
    const one = caseOf({ size: 1 });
    expect(one.applyDeath(death(one, 0, '2024-07-20'), at('2024-12-12'))).toBe('applied');
    expect(one.view.closed).toEqual({ reason: 'death', fromMonth: '2024-10', on: '2024-12-12' });
    const [recovery] = ofKind(one.effects, 'adjustment').map((e) => e.adjustment);
    expect(recovery).toMatchObject({
      kind: 'recovery',
      amount: '3000.00',
      months: ['2024-10', '2024-11', '2024-12'],
    });
    const check = one.view.tasks.find((t) => t.taskId.startsWith('admission-'));
    expect(check).toMatchObject({ kind: 'data_check', atRisk: false, overdue: false });
    expect(check?.due).toEqual(comparisonCheckDue(cal, '2024-12-12'));
    expect(one.view.history.map((e) => e.action)).toContain('death_before_admission');

    // A larger household: the county check, no death review (it would open overdue), the amount stays.
    const three = caseOf({ size: 3 });
    three.applyDeath(death(three, 1, '2024-08-31'), at('2024-12-12'));
    expect(three.openTasks().map((t) => t.kind)).toEqual(['data_check']);
    expect(three.view.status).toBe('active');
  });

  it('R-M2: the same death twice is one event, by notice id or by person', () => {
    const s = caseOf({ size: 3 });
    const n = death(s, 1, '2024-11-20');
    s.applyDeath(n, at('2024-12-12'));
    s.record.effects = [];
    expect(s.applyDeath(n, at('2024-12-13'))).toBe('duplicate');
    expect(s.effects).toEqual([]); // a resent notice id changes nothing at all
    const other = { ...n, noticeId: 'visit-1', source: 'visit_report' as const };
    expect(s.applyDeath(other, at('2024-12-13'))).toBe('duplicate');
    expect(ofKind(s.effects, 'death_notice').map((e) => e.outcome)).toEqual(['duplicate']);
    expect(s.view.tasks.filter((t) => t.kind === 'death_review')).toHaveLength(1);
    expect(s.view.deaths).toEqual([
      {
        idNumber: n.idNumber,
        diedOn: '2024-11-20',
        noticeIds: ['n-1', 'visit-1'],
        sources: ['integration', 'visit_report'],
      },
    ]);
  });

  it('R-M2: a date of death in conflict opens a data check', () => {
    const s = caseOf({ size: 3 });
    const n = death(s, 1, '2024-11-20');
    s.applyDeath(n, at('2024-12-12'));
    expect(s.view.tasks.some((t) => t.kind === 'data_check')).toBe(false);
    s.applyDeath({ ...n, noticeId: 'police-2', diedOn: '2024-11-21' }, at('2024-12-12'));
    expect(s.view.tasks.find((t) => t.taskId === 'death-date-police-2')?.kind).toBe('data_check');
  });

  it('R-M3: employment above the standard keeps the amount for 6 payments, then the case exits with a notice', () => {
    const s = caseOf();
    const change = {
      actor: actor('township_staff'),
      changeId: 'c-1',
      summary: 'works',
      perCapitaIncome: '900.00',
    };
    s.applyChange({ ...change, kind: 'employment', reportedOn: '2024-12-12' }, at('2024-12-12'));
    expect(s.view.status).toBe('tapering');
    expect(s.view.taper).toMatchObject({ firstMonth: '2025-01', lastMonth: '2025-06' });
    s.tick(at('2025-06-10'));
    expect(s.view.rostered.filter((m) => m.status === 'taper').map((m) => m.month)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
    ]);
    expect(s.view.closed).toMatchObject({ reason: 'taper_exit', fromMonth: '2025-07' });
    expect(ofKind(s.effects, 'notice').map((e) => e.notice)).toEqual(['stop']);
  });

  it('R-M3: income back below the standard during the taper ends it and the case goes on', () => {
    const s = caseOf();
    const by = actor('township_staff');
    s.applyChange(
      {
        actor: by,
        changeId: 'c-1',
        kind: 'employment',
        reportedOn: '2024-12-12',
        summary: 'works',
        perCapitaIncome: '900.00',
      },
      at('2024-12-12'),
    );
    s.applyChange(
      {
        actor: by,
        changeId: 'c-2',
        kind: 'income',
        reportedOn: '2025-02-12',
        summary: 'job lost',
        perCapitaIncome: '100.00',
      },
      at('2025-02-12'),
    );
    expect(s.view.status).toBe('active');
    expect(s.view.taper).toBeUndefined();
    s.tick(at('2025-04-10'));
    expect(s.closed).toBe(false);
    expect(s.view.rostered.at(-1)).toMatchObject({ month: '2025-04', status: 'regular', amount: '1000.00' });
  });

  it('R-M4: the re-review opens 12 months after approval (simplified when stable), due within the window', () => {
    const s = caseOf();
    s.tick(at('2025-09-01'));
    const task = s.openTasks().find((t) => t.kind === 're_review');
    const { target, latest } = reviewDue(cal, '2025-09-01');
    expect(task).toMatchObject({
      taskId: 're-review-2025-09-01',
      due: latest,
      atRiskOn: target.date,
      simplified: true,
    });
    expect(s.view.nextReviewOn).toBe('2026-09-01');
  });

  it('R-M4 R-O1: an unstable household is re-reviewed every 6 months, in full; a close-relative case is filed again', () => {
    const s = caseOf({ unstableIncome: true, closeRelative: true });
    expect(s.view.nextReviewOn).toBe(addMonths('2024-09-01', 6));
    s.tick(at('2025-03-01'));
    expect(s.openTasks().find((t) => t.kind === 're_review')?.simplified).toBe(false);
    expect(ofKind(s.effects, 'filing').map((e) => e.occasion)).toEqual(['re_review:2025-03-01']);
  });

  it('R-M6 R-A11: a comparison hit opens a 14-day check and changes nothing; the same hit again is one', () => {
    const s = caseOf({ size: 2 });
    const hit = {
      hitId: 'h-1',
      kind: 'police_deregistration' as const,
      idNumber: s.view.members[0]!.idNumber,
      detectedOn: '2024-12-11',
      source: 'police',
      details: 'deregistered',
    };
    const before = s.snapshot();
    s.applyHit(hit, at('2024-12-12'));
    s.applyHit(hit, at('2024-12-13'));
    expect(s.openTasks().map((t) => [t.taskId, t.kind, t.due])).toEqual([
      ['check-h-1', 'data_check', comparisonCheckDue(cal, '2024-12-11')],
    ]);
    expect(s.effects).toEqual([]); // no rate, month, adjustment or notice
    expect(s.view.members).toEqual(before.members);
    expect([s.view.status, s.view.monthlyAmount, s.view.rates]).toEqual([
      before.status,
      before.monthlyAmount,
      before.rates,
    ]);
  });

  it('R-O6: a comparison hit and the check it opens are recorded as the integration that sent it', () => {
    const s = caseOf({ size: 2 });
    const integration = actor('integration', '140802', 'police-feed');
    s.applyHit(
      {
        hitId: 'h-o6',
        kind: 'imprisonment',
        idNumber: s.view.members[1]!.idNumber,
        detectedOn: '2024-12-11',
        source: 'police',
        details: 'sentenced',
        reportedBy: integration,
      },
      at('2024-12-12'),
    );
    expect(s.unsaved.map((e) => [e.action, e.by])).toEqual([
      ['comparison_hit', integration],
      ['data_check_opened', integration],
    ]);
  });

  it('R-M5: the case keeps the latest per-capita income a change report measured', () => {
    const s = caseOf({ size: 2 });
    const report = { actor: actor('township_staff'), changeId: 'c1', kind: 'income' as const, summary: 's' };
    s.applyChange({ ...report, reportedOn: '2024-12-11', perCapitaIncome: '400.00' }, at('2024-12-12'));
    s.applyChange({ ...report, changeId: 'c2', reportedOn: '2024-12-13' }, at('2024-12-13'));
    expect(s.view.perCapitaIncome).toEqual({ amount: '400.00', reportedOn: '2024-12-11' });
  });

  it('R-M8: a standard rise moves the amount from its effective month with back-pay for rostered months, once', () => {
    const s = caseOf({ size: 2 });
    const rise = { ...policy('2024-11-01'), standardRural: '700.00' };
    s.applyStandardChange(rise, at('2024-12-12'));
    expect(ofKind(s.effects, 'rate').map((e) => [e.entry.fromMonth, e.entry.monthlyAmount])).toEqual([
      ['2024-11', '1100.00'],
    ]);
    expect(ofKind(s.effects, 'adjustment').map((e) => e.adjustment)).toEqual([
      expect.objectContaining({ kind: 'back_pay', amount: '200.00', months: ['2024-11', '2024-12'] }),
    ]);
    expect(s.view.monthlyAmount).toBe('1100.00');
    s.record.effects = [];
    s.applyStandardChange(rise, at('2024-12-13'));
    expect(s.effects).toEqual([]);
    s.tick(at('2025-01-10'));
    expect(s.view.rostered.at(-1)).toMatchObject({ month: '2025-01', amount: '1100.00' });
  });

  it('R-T2 R-M6: a calendar published later counts an open check again from the day the hit was detected, and a corrected known year moves it too', () => {
    const s = caseOf({ size: 2 });
    const hit = {
      hitId: 'h-9',
      kind: 'police_deregistration' as const,
      idNumber: s.view.members[0]!.idNumber,
      detectedOn: '2024-12-02',
      source: 'police',
      details: 'deregistered',
    };
    s.applyHit(hit, at('2024-12-12')); // detected ten days before it arrived
    const check = () => s.openTasks().find((t) => t.taskId === 'check-h-9')!;
    expect(check().due).toEqual(comparisonCheckDue(cal, '2024-12-02'));
    // 2024 is known and published again with its due day as one more holiday (a correction):
    // the check is counted again from the detection, not from the day it was opened.
    const known = cal.yearCalendar(2024)!;
    const corrected = { ...known, holidays: [...known.holidays, check().due.date].sort() };
    s.applyCalendar(corrected, at('2024-12-13'));
    const expected = comparisonCheckDue(cal.withYear({ ...corrected, source: 'runtime' }), '2024-12-02');
    expect(expected.date > comparisonCheckDue(cal, '2024-12-02').date).toBe(true);
    expect(check().due).toEqual(expected);
    // The correction is carried (continue-as-new rebuilds the calendar from it), replacing the year once.
    expect(s.input.runtimeYears.filter((y) => y.year === 2024)).toEqual([corrected]);
  });
});
