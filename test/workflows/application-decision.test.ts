import { describe, expect, it } from 'vitest';
import { compare } from '../../domain/money';
import {
  at,
  county,
  inDecision,
  investigation,
  opinion,
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
