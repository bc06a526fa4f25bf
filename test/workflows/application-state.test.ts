import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { addDays } from '../../domain/dates';
import {
  at,
  county,
  deadline,
  economicCheck,
  inDecision,
  inPublicity,
  investigation,
  opinion,
  RECEIVED,
  received,
  refusal,
} from '../helpers/application-state-kit';
import { unpublishedYear, weekdayOnOrAfter } from '../helpers/calendar';
import { actor } from '../helpers/fixtures';

// The application's rules on the state object alone: no Temporal, no Postgres (see the kit for the
// calendar of the month these tests run in).

describe('ApplicationState (no server)', () => {
  it('R-A2: the initial opinion waits for both the investigation and the information check', () => {
    const state = received();
    expect(state.stage).toBe('verifying');
    expect(deadline(state, 'overall')).toMatchObject({ date: '2026-04-14', provisional: false });
    expect(deadline(state, 'investigation')).toMatchObject({ date: '2026-03-16', atRiskOn: '2026-03-09' });
    expect(deadline(state, 'economic_check')?.date).toBe('2026-03-16');

    state.applyInvestigation(investigation(state, '2026-03-05'), at('2026-03-05'));
    expect(state.stage).toBe('verifying');
    expect(deadline(state, 'investigation')?.metOn).toBe('2026-03-05');
    expect(refusal(() => state.checkInitialOpinion(opinion, at('2026-03-05')))).toBe(
      'WrongStage in verifying',
    );

    state.applyEconomicCheck(economicCheck, at('2026-03-06'));
    expect(state.stage).toBe('initial_opinion');
    expect(state.view.assessment?.suggestedCategory).toBe('dibao');
    // R-A3: the opinion is due 5 working days after the second result.
    expect(deadline(state, 'initial_opinion')).toMatchObject({ from: '2026-03-06', date: '2026-03-13' });
    expect(state.view.history.map((e) => e.action)).toEqual([
      'received',
      'investigation_recorded',
      'economic_check_recorded',
    ]);
  });

  it('R-A2: a step in the wrong stage, by the wrong role or outside the region is refused with a typed failure', () => {
    const state = received();
    const now = at('2026-03-03');
    const byCounty = { ...investigation(state, '2026-03-03'), actor: county };
    expect(refusal(() => state.checkInvestigation(byCounty, now))).toBe('WrongRole in verifying');
    const elsewhere = { ...investigation(state, '2026-03-03'), actor: actor('township_staff', '140802102') };
    expect(refusal(() => state.checkInvestigation(elsewhere, now))).toBe('WrongRole in verifying');
    const future = investigation(state, '2026-03-04');
    expect(refusal(() => state.checkInvestigation(future, now))).toBe('InvalidStep in verifying');
    const reject = { actor: county, approve: false, reasons: 'x' };
    expect(refusal(() => state.checkDecision(reject, now))).toBe('WrongStage in verifying');
    state.applyInvestigation(investigation(state, '2026-03-03'), now);
    const again = investigation(state, '2026-03-03');
    expect(refusal(() => state.checkInvestigation(again, now))).toBe('InvalidStep in verifying');
    // Refusals change nothing: one investigation entry after the receipt.
    expect(state.view.history.map((e) => e.action)).toEqual(['received', 'investigation_recorded']);
  });

  it('R-A3 R-A4: the opinion starts a 7-day publicity ending at 24:00 of the 7th day; no decision before', () => {
    const state = inPublicity();
    expect(state.stage).toBe('publicity');
    expect(state.view.opinion).toMatchObject({
      on: '2026-03-09',
      suggestedCategory: 'dibao',
      by: 'township_staff-1',
    });
    expect(state.view.publicity).toEqual({
      round: 1,
      postedOn: '2026-03-09',
      lastDay: '2026-03-16',
      endsAt: '2026-03-16T16:00:00.000Z',
      objections: [],
    });
    expect(deadline(state, 'initial_opinion')?.metOn).toBe('2026-03-09');
    const decide = { actor: county, approve: true, monthlyAmount: '1000.00', reasons: 'eligible' };
    const lastMinute = at('2026-03-16', '23:59');
    expect(refusal(() => state.checkDecision(decide, lastMinute))).toBe('PublicityNotEnded in publicity');
    expect(state.tick(lastMinute).entries).toEqual([]);
    expect(state.stage).toBe('publicity');
    expect(state.nextWakeUp(lastMinute)).toEqual(new Date('2026-03-16T16:00:00.000Z'));

    const midnight = at('2026-03-17', '00:00');
    expect(() => state.checkDecision(decide, midnight)).not.toThrow();
    const { entries } = state.tick(midnight);
    expect(entries.map((e) => [e.action, e.details])).toEqual([['publicity_ended', { round: 1 }]]);
    expect(state.stage).toBe('decision');
    // R-A5: the decision is due 5 working days after the last day of publicity.
    expect(deadline(state, 'decision')).toMatchObject({ from: '2026-03-16', date: '2026-03-23' });
  });

  it('R-A4 R-A6: an objection re-opens verification and moves the deadline to 45 working days', () => {
    const state = inPublicity();
    const objection = {
      actor: actor('township_staff'),
      objectionId: 'obj-1',
      summary: 'undeclared income',
      handling: 're_investigation' as const,
    };
    state.checkObjection(objection, at('2026-03-10'));
    state.applyObjection(objection, at('2026-03-10'));
    expect(state.stage).toBe('verifying');
    expect(state.view.extended).toBe(true);
    expect(state.view.extensionReasons).toEqual(['objection during publicity']);
    expect(state.view.investigation).toBeUndefined();
    expect(state.view.opinion).toBeUndefined();
    // 45 working days from 03-02, across Qingming and Labour Day.
    expect(deadline(state, 'overall')).toMatchObject({ from: RECEIVED, workingDays: 45, date: '2026-05-08' });
    expect(
      state.view.deadlines.filter((d) => d.kind === 'overall').map((d) => [d.date, !!d.superseded]),
    ).toEqual([
      ['2026-04-14', true],
      ['2026-05-08', false],
    ]);
    expect(deadline(state, 'investigation')).toMatchObject({ from: '2026-03-10', date: '2026-03-24' });
    expect(refusal(() => state.checkObjection(objection, at('2026-03-10')))).toBe('WrongStage in verifying');

    // The new opinion is a second round of publicity, posted no earlier than the objection.
    state.applyInvestigation(investigation(state, '2026-03-12'), at('2026-03-12'));
    state.applyEconomicCheck(economicCheck, at('2026-03-12'));
    const backdated = { ...opinion, publicityPostedOn: '2026-03-09' };
    expect(refusal(() => state.checkInitialOpinion(backdated, at('2026-03-13')))).toBe(
      'InvalidStep in initial_opinion',
    );
    state.applyInitialOpinion(opinion, at('2026-03-13'));
    expect(state.view.publicity).toMatchObject({ round: 2, postedOn: '2026-03-13', lastDay: '2026-03-20' });
  });

  it('R-A5 R-A6: delegated approval is due in 20 working days and the township decides', () => {
    const state = inDecision({ delegated: true });
    expect(deadline(state, 'overall')).toMatchObject({ workingDays: 20, date: '2026-03-30' });
    const approve = { approve: true, monthlyAmount: '1000.00', reasons: 'eligible' };
    const byCounty = { ...approve, actor: county };
    expect(refusal(() => state.checkDecision(byCounty, at('2026-03-18')))).toBe('WrongRole in decision');
    const township = { ...approve, actor: actor('township_staff') };
    state.checkDecision(township, at('2026-03-18'));
    const entry = state.applyDecision(township, at('2026-03-18'));
    expect(state.stage).toBe('approved');
    expect(entry).toMatchObject({ action: 'approved', stage: 'approved', by: { role: 'township_staff' } });
    // R-A8: paid from the month after the decision.
    expect(state.view.decision).toMatchObject({
      on: '2026-03-18',
      startMonth: '2026-04',
      monthlyAmount: '1000.00',
    });
    expect(deadline(state, 'overall')?.metOn).toBe('2026-03-18');
    expect(state.openDeadlines()).toEqual([]);
  });

  it('R-A6: tick flags a deadline at risk, then overdue, each once; nothing is decided by time', () => {
    const state = received();
    expect(state.tick(at('2026-03-08', '23:59')).flagged).toEqual([]);
    const risk = state.tick(at('2026-03-09', '00:00')).flagged;
    expect(risk.map((f) => [f.deadline.kind, f.flag])).toEqual([
      ['investigation', 'at_risk'],
      ['economic_check', 'at_risk'],
    ]);
    expect(state.isAtRisk()).toBe(true);
    expect(state.isOverdue()).toBe(false);
    expect(state.tick(at('2026-03-12')).flagged).toEqual([]);
    expect(state.nextWakeUp(at('2026-03-12'))).toEqual(at('2026-03-17', '00:00'));

    const overdue = state.tick(at('2026-03-17', '00:00')).flagged;
    expect(overdue.map((f) => [f.deadline.kind, f.flag, f.deadline.date])).toEqual([
      ['investigation', 'overdue', '2026-03-16'],
      ['economic_check', 'overdue', '2026-03-16'],
    ]);
    // The whole procedure: at risk 5 working days before 04-14 (Qingming not counted), overdue after it.
    expect(deadline(state, 'overall')?.atRiskOn).toBe('2026-04-07');
    const overall = state.tick(at('2026-04-15', '00:00')).flagged.map((f) => [f.deadline.kind, f.flag]);
    expect(overall).toEqual([
      ['overall', 'at_risk'],
      ['overall', 'overdue'],
    ]);
    expect(state.tick(at('2026-04-15', '00:00')).flagged).toEqual([]);
    expect(state.isOverdue()).toBe(true);
    expect(state.stage).toBe('verifying');
  });

  it('R-A7: a rejection opens a written notice due in 3 working days, met when it is issued', () => {
    const state = inDecision();
    const reject = { actor: county, approve: false, reasons: 'income above the standard' };
    const withAmount = { ...reject, monthlyAmount: '10.00' };
    expect(refusal(() => state.checkDecision(withAmount, at('2026-03-19')))).toBe('InvalidStep in decision');
    state.checkDecision(reject, at('2026-03-19'));
    state.applyDecision(reject, at('2026-03-19'));
    expect(state.stage).toBe('rejected');
    expect(state.terminal).toBe(true);
    // Thursday 03-19 + 3 working days: Friday, Monday, Tuesday.
    expect(deadline(state, 'rejection_notice')).toMatchObject({ from: '2026-03-19', date: '2026-03-24' });
    state.noticeIssued('notice-1', at('2026-03-20'));
    expect(state.view.decision).toMatchObject({ noticeId: 'notice-1', on: '2026-03-19' });
    expect(deadline(state, 'rejection_notice')?.metOn).toBe('2026-03-20');
  });

  it('R-A10: a temporary grant is paid while the application is pending, once per grant id', () => {
    const state = received();
    const grant = {
      actor: actor('township_staff'),
      grantId: 'g-1',
      amount: '500.00',
      reason: 'hospital bill',
    };
    state.checkTemporaryGrant(grant, at('2026-03-03'));
    state.applyTemporaryGrant(grant, at('2026-03-03'));
    expect(state.view.temporaryGrants).toEqual([
      { grantId: 'g-1', amount: '500.00', reason: 'hospital bill', on: '2026-03-03', by: 'township_staff-1' },
    ]);
    expect(state.stage).toBe('verifying');
    expect(refusal(() => state.checkTemporaryGrant(grant, at('2026-03-04')))).toBe(
      'InvalidStep in verifying',
    );
    const zero = { ...grant, grantId: 'g-2', amount: '0.00' };
    expect(refusal(() => state.checkTemporaryGrant(zero, at('2026-03-04')))).toBe('InvalidStep in verifying');
    state.applyWithdrawal({ actor: actor('township_staff'), reason: 'moved away' }, at('2026-03-05'));
    const late = { ...grant, grantId: 'g-3' };
    expect(refusal(() => state.checkTemporaryGrant(late, at('2026-03-05')))).toBe('WrongStage in withdrawn');
  });

  it('R-T2: a deadline in a year not yet published is provisional and applyCalendar recomputes it', () => {
    // Received early in December of the last known year: 30 working days reach into the next one,
    // counted Monday–Friday (provisional); the investigation's 10 stay in the known year.
    const next = unpublishedYear();
    const acceptedOn = weekdayOnOrAfter(`${next - 1}-12-01`);
    const builtin = WorkingCalendar.builtin();
    const state = received({ acceptedOn });
    const before = builtin.addWorkingDays(acceptedOn, 30);
    expect(before).toMatchObject({ provisional: true });
    expect(before.date.startsWith(`${next}-`)).toBe(true);
    expect(deadline(state, 'overall')).toMatchObject(before);
    expect(deadline(state, 'investigation')).toMatchObject(builtin.addWorkingDays(acceptedOn, 10));
    expect(deadline(state, 'investigation')).toMatchObject({ provisional: false });
    const published = {
      year: next,
      holidays: [`${next}-01-01`, `${next}-01-02`, `${next}-01-03`],
      makeUpWorkdays: [],
      source: 'runtime' as const,
    };
    const entry = state.applyCalendar(published, at(addDays(acceptedOn, 1)));
    const after = builtin.withYear(published).addWorkingDays(acceptedOn, 30);
    expect(after).toMatchObject({ provisional: false });
    expect(deadline(state, 'overall')).toMatchObject(after);
    expect(entry).toMatchObject({
      action: 'deadlines_recomputed',
      reason: `calendar ${next}`,
      details: { changed: [`overall: ${before.date} → ${after.date}`] },
    });
    expect(deadline(state, 'investigation')?.date).toBe(builtin.addWorkingDays(acceptedOn, 10).date);
  });
});
