import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { compare } from '../../domain/money';
import type { ApplicationInput, InitialOpinionInput } from '../../workflows/contracts';
import {
  at,
  county,
  deadline,
  inDecision,
  investigation,
  opinion,
  RECEIVED,
  received,
  refusal,
  verify,
} from '../helpers/application-state-kit';
import { actor } from '../helpers/fixtures';

// R-A5 on the state object alone: the decision approves what was publicised.

const approve = (monthlyAmount: string, amountReason?: string) => ({
  actor: county,
  approve: true,
  monthlyAmount,
  reasons: 'eligible',
  ...(amountReason ? { amountReason } : {}),
});
const DECISION_DAY = at('2026-03-18');

describe('the decision against the publicity (no server)', () => {
  it('R-A5: an amount above the publicised one is refused (it needs a new 7-day publicity); the publicised amount is approved', () => {
    const state = inDecision();
    expect(refusal(() => state.checkDecision(approve('9999.00'), DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    expect(refusal(() => state.checkDecision(approve('1000.01', 'rounding'), DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    state.checkDecision(approve('1000.00'), DECISION_DAY);
    state.applyDecision(approve('1000.00'), DECISION_DAY);
    expect(state.view.decision).toMatchObject({ monthlyAmount: '1000.00', startMonth: '2026-04' });
  });

  it('R-A5: a lower amount than publicised needs a recorded reason, which the history keeps', () => {
    const state = inDecision();
    expect(refusal(() => state.checkDecision(approve('900.00'), DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    const lower = approve('900.00', 'a pension of 100.00 was found at the decision');
    state.checkDecision(lower, DECISION_DAY);
    const entry = state.applyDecision(lower, DECISION_DAY);
    expect(state.view.decision?.amountReason).toBe('a pension of 100.00 was found at the decision');
    expect(entry.details).toMatchObject({ monthlyAmount: '900.00' });
  });

  it('R-A5 R-E1: an amount above the assessed shortfall is refused even when it was publicised', () => {
    const state = received();
    verify(state, '2026-03-06');
    const shortfall = state.view.assessment!.monthlyAmount;
    const high = { ...opinion, proposedMonthlyAmount: '5000.00' };
    state.checkInitialOpinion(high, at('2026-03-09'));
    state.applyInitialOpinion(high, at('2026-03-09'));
    state.tick(at('2026-03-17', '00:00'));
    expect(compare('5000.00', shortfall)).toBe(1);
    expect(refusal(() => state.checkDecision(approve('5000.00'), DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    state.checkDecision(approve(shortfall, 'the assessed shortfall'), DECISION_DAY);
  });
});

describe('the decision against the publicised opinion (no server)', () => {
  /** Verified on 03-06, `o` publicised on 03-09, publicity over at 24:00 of 03-16. */
  function decidingAfter(o: InitialOpinionInput, overrides: Partial<ApplicationInput> = {}) {
    const state = received(overrides);
    verify(state, '2026-03-06');
    state.checkInitialOpinion(o, at('2026-03-09'));
    state.applyInitialOpinion(o, at('2026-03-09'));
    state.tick(at('2026-03-17', '00:00'));
    return state;
  }
  const notEligible: InitialOpinionInput = {
    actor: actor('township_staff'),
    eligible: false,
    reasons: 'income above the standard',
  };
  const marginal: InitialOpinionInput = { ...notEligible, eligible: true, category: 'marginal' };

  it('R-A5 R-E2: after a not-eligible opinion no approval is accepted, whatever its amount', () => {
    const state = decidingAfter(notEligible);
    expect(refusal(() => state.checkDecision(approve('5000.00'), DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    expect(refusal(() => state.checkDecision(approve('1.00', 'lower'), DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    expect(state.stage).toBe('decision');
  });

  it('R-A5 R-E2 R-L1: after a marginal opinion an approval with an amount or a start month is refused; without, it confirms the household as marginal and pays nothing', () => {
    const state = decidingAfter(marginal);
    expect(refusal(() => state.checkDecision(approve('300.00'), DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    const noMoney = { actor: county, approve: true, reasons: 'marginal: registered and monitored' };
    expect(refusal(() => state.checkDecision({ ...noMoney, startMonth: '2026-04' }, DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    state.checkDecision(noMoney, DECISION_DAY);
    state.applyDecision(noMoney, DECISION_DAY);
    expect(state.stage).toBe('approved');
    expect(state.view.decision?.startMonth).toBeUndefined();
    expect(state.view.decision?.monthlyAmount).toBeUndefined();
  });

  it('R-A5: an approval naming another category than the publicised one is refused', () => {
    const state = inDecision();
    const other = { ...approve('1000.00'), category: 'extreme_poverty' as const };
    expect(refusal(() => state.checkDecision(other, DECISION_DAY))).toBe('InvalidStep in decision');
    state.checkDecision({ ...approve('1000.00'), category: 'dibao' }, DECISION_DAY);
  });

  it('R-A5 R-A7: a rejection after a positive opinion is allowed with its reasons and opens its written notice', () => {
    const state = inDecision();
    const reject = { actor: county, approve: false, reasons: 'a second house was found at the decision' };
    expect(refusal(() => state.checkDecision({ ...reject, reasons: ' ' }, DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    state.checkDecision(reject, DECISION_DAY);
    state.applyDecision(reject, DECISION_DAY);
    expect(state.stage).toBe('rejected');
    expect(state.openDeadlines().map((d) => d.kind)).toEqual(['rejection_notice']);
  });

  it('R-A5 R-A4: the county sends a negative opinion back; the township gives a new opinion and a new 7-day publicity, posted no earlier than the return', () => {
    const state = decidingAfter(notEligible);
    const back = { actor: county, reasons: 'the pension counted is a survivor benefit, exempt' };
    expect(refusal(() => state.checkReturn({ ...back, actor: actor('township_staff') }, DECISION_DAY))).toBe(
      'WrongRole in decision',
    );
    expect(refusal(() => state.checkReturn({ ...back, reasons: '' }, DECISION_DAY))).toBe(
      'InvalidStep in decision',
    );
    state.checkReturn(back, DECISION_DAY);
    const entry = state.applyReturn(back, DECISION_DAY);
    expect(entry).toMatchObject({
      action: 'returned_for_new_opinion',
      by: { sub: county.sub, role: 'county_staff' },
      details: { opinion: { eligible: false } },
    });
    expect(state.stage).toBe('initial_opinion');
    expect(state.view.opinion).toBeUndefined();
    expect(deadline(state, 'initial_opinion')).toMatchObject({ from: '2026-03-18' });
    expect(refusal(() => state.checkDecision(approve('1000.00'), at('2026-03-19')))).toBe(
      'WrongStage in initial_opinion',
    );
    // The new notice cannot have gone up before the return.
    const again = { ...opinion, publicityPostedOn: '2026-03-17' };
    expect(refusal(() => state.checkInitialOpinion(again, at('2026-03-19')))).toBe(
      'InvalidStep in initial_opinion',
    );
    state.checkInitialOpinion(opinion, at('2026-03-19'));
    state.applyInitialOpinion(opinion, at('2026-03-19'));
    expect(state.view.publicity).toMatchObject({ round: 2, postedOn: '2026-03-19', lastDay: '2026-03-26' });
    state.tick(at('2026-03-27', '00:00'));
    state.checkDecision(approve('1000.00'), at('2026-03-27'));
  });

  it('R-A5 R-A2: sent back for a new investigation, the application verifies again before its new opinion', () => {
    const state = decidingAfter(marginal);
    state.applyReturn({ actor: county, reasons: 'visit again', reinvestigate: true }, DECISION_DAY);
    expect(state.stage).toBe('verifying');
    expect(state.view.investigation).toBeUndefined();
    expect(state.view.economicCheck).toBeDefined();
    state.checkInvestigation(investigation(state, '2026-03-19'), at('2026-03-19'));
  });

  it('R-A6: a special circumstance found during the procedure extends it to 45 working days, once, with its reason and actor', () => {
    const state = received();
    expect(deadline(state, 'overall')?.date).toBe('2026-04-14');
    const clerk = actor('township_staff');
    const hard = {
      actor: clerk,
      circumstance: 'hard_investigation' as const,
      reason: 'the household was away twice',
    };
    expect(refusal(() => state.checkProcedureExtension({ ...hard, reason: ' ' }, at('2026-03-05')))).toBe(
      'InvalidStep in verifying',
    );
    state.checkProcedureExtension(hard, at('2026-03-05'));
    const entry = state.applyProcedureExtension(hard, at('2026-03-05'));
    expect(entry).toMatchObject({
      action: 'procedure_extended',
      by: { sub: clerk.sub },
      reason: 'the household was away twice',
      details: { circumstance: 'hard_investigation' },
    });
    expect(state.view.extended).toBe(true);
    expect(deadline(state, 'overall')).toMatchObject({
      from: RECEIVED,
      workingDays: 45,
      date: WorkingCalendar.builtin().addWorkingDays(RECEIVED, 45).date,
    });
    expect(refusal(() => state.checkProcedureExtension(hard, at('2026-03-06')))).toBe(
      'InvalidStep in verifying',
    );
  });
});

describe('one clock for a paper procedure entered afterwards (no server)', () => {
  it('R-A6: each step is met on the day it happened and the opinion runs from the day verification was complete, not from data entry', () => {
    const state = received();
    const entered = at('2026-03-20');
    const visit = { ...investigation(state, '2026-03-04') };
    state.checkInvestigation(visit, entered);
    state.applyInvestigation(visit, entered);
    const check = {
      actor: actor('integration'),
      checkId: 'chk-p',
      verified: [],
      findings: 'ok',
      checkedOn: '2026-03-05',
    };
    state.checkEconomicCheck(check, entered);
    state.applyEconomicCheck(check, entered);
    const met = (kind: string) => state.view.deadlines.find((d) => d.kind === kind)?.metOn;
    expect([met('investigation'), met('economic_check')]).toEqual(['2026-03-04', '2026-03-05']);
    // 5 working days (the default) from Thursday 03-05: Thursday 03-12 — not from the entry on 03-20.
    const opinionStep = state.view.deadlines.find((d) => d.kind === 'initial_opinion');
    expect(opinionStep).toMatchObject({ from: '2026-03-05' });
    expect(opinionStep!.date < '2026-03-20').toBe(true);
    const future = { ...check, checkId: 'chk-f', checkedOn: '2026-03-21' };
    expect(refusal(() => received().checkEconomicCheck(future, entered))).toBe('InvalidStep in verifying');
  });
});
