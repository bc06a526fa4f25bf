import { fc, test } from '@fast-check/vitest';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect } from 'vitest';
import { addDays, type CivilDate } from '../../domain/dates';
import { compare, isZero } from '../../domain/money';
import type { DecisionInput, InitialOpinionInput } from '../../workflows/contracts';
import { at, county, received, verify } from '../helpers/application-state-kit';
import { actor, household } from '../helpers/fixtures';

// R-A5 R-E2 R-A4 as a property of the application's state: whatever opinions the township gives and
// whatever decisions the county tries — approvals with any category and amount, rejections, sending
// back — an approval that is accepted pays only the category and at most the amount the last publicity
// showed (a lower amount with its reason), and a marginal household is never paid.

const CATEGORIES = ['dibao', 'marginal', 'extreme_poverty', 'expenditure_type'] as const;
const money = fc.integer({ min: 0, max: 600_000 }).map((fen) => (fen / 100).toFixed(2));
const opinionArb = fc.record({
  eligible: fc.boolean(),
  category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
  proposedMonthlyAmount: fc.option(money, { nil: undefined }),
});
const decisionArb = fc.oneof(
  fc.record({
    kind: fc.constant('approve' as const),
    category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
    monthlyAmount: fc.option(money, { nil: undefined }),
    amountReason: fc.option(fc.constant('a pension found at the decision'), { nil: undefined }),
    startMonth: fc.option(fc.constant('2026-12'), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('reject' as const) }),
  fc.record({ kind: fc.constant('return' as const), reinvestigate: fc.boolean() }),
);
const refused = (step: () => void) => {
  try {
    step();
    return false;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure); // a typed refusal, never another error
    return true;
  }
};

describe('the decision never pays what the publicity did not show (no server)', () => {
  test.prop(
    [
      fc.integer({ min: 0, max: 2000 }),
      fc.array(fc.tuple(opinionArb, fc.array(decisionArb, { maxLength: 4 })), { minLength: 1, maxLength: 4 }),
    ],
    { numRuns: 300 },
  )(
    'R-A5 R-E2: an accepted approval is the publicised category at no more than the publicised amount; marginal is never paid',
    (income, rounds) => {
      const state = received({ household: household({ monthlyIncome: `${income}.00` }) });
      verify(state, '2026-03-06');
      let day: CivilDate = '2026-03-09';
      for (const [o, decisions] of rounds) {
        if (state.terminal) break;
        if (state.stage === 'verifying') {
          const visit = {
            actor: actor('township_staff'),
            household: state.input.household,
            findings: 'again',
            visitedOn: day,
          };
          state.checkInvestigation(visit, at(day));
          state.applyInvestigation(visit, at(day));
        }
        const opinion: InitialOpinionInput = { actor: actor('township_staff'), reasons: 'as found', ...o };
        if (refused(() => state.checkInitialOpinion(opinion, at(day)))) continue;
        state.applyInitialOpinion(opinion, at(day));
        const publicised = state.view.opinion!;
        day = addDays(day, 8); // R-A4: the 7 days have run
        state.tick(at(day, '00:00'));
        for (const d of decisions) {
          if (state.stage !== 'decision') break;
          if (d.kind === 'return') {
            const back = {
              actor: county,
              reasons: 'a new opinion is needed',
              reinvestigate: d.reinvestigate,
            };
            if (!refused(() => state.checkReturn(back, at(day)))) state.applyReturn(back, at(day));
            continue;
          }
          const decision: DecisionInput =
            d.kind === 'reject'
              ? { actor: county, approve: false, reasons: 'as found' }
              : { actor: county, approve: true, reasons: 'as publicised', ...d };
          if (refused(() => state.checkDecision(decision, at(day)))) continue;
          state.applyDecision(decision, at(day));
          if (!decision.approve) break;
          // The invariant: what an accepted approval pays is what the public saw.
          expect(publicised.eligible).toBe(true);
          if (decision.category) expect(decision.category).toBe(publicised.category);
          if (publicised.category === 'marginal') {
            expect(state.view.decision?.startMonth).toBeUndefined();
            expect(!decision.monthlyAmount || isZero(decision.monthlyAmount)).toBe(true);
          } else {
            const amount = decision.monthlyAmount!;
            expect(compare(amount, publicised.proposedMonthlyAmount!)).toBeLessThanOrEqual(0);
            if (compare(amount, publicised.proposedMonthlyAmount!) !== 0)
              expect(decision.amountReason).toBeTruthy();
            const c = state.caseInput(state.input.applicationId, decision);
            expect([c.category, c.monthlyAmount]).toEqual([publicised.category, amount]);
          }
        }
        day = addDays(day, 1);
      }
    },
  );
});
