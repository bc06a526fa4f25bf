import { describe, expect, it } from 'vitest';
import type { InitialOpinionInput } from '../../workflows/contracts';
import { at, investigation, opinion, received, refusal } from '../helpers/application-state-kit';
import { actor, household } from '../helpers/fixtures';

// R-A2 on the state object alone: what the information check verified is the basis of the
// suggestion; every difference is listed and the initial opinion resolves each.

const ON = '2026-03-06';

const received3 = () => received({ household: household({ size: 3, monthlyIncome: '0.00' }) });

describe('verified data (no server)', () => {
  it('R-A2: a verified income counts where the investigation recorded none, and the difference is listed', () => {
    const declared = received3();
    const plain = { actor: actor('integration'), checkId: 'chk-0', verified: [], findings: 'nothing found' };
    declared.applyInvestigation(investigation(declared, ON), at(ON));
    declared.applyEconomicCheck(plain, at(ON));
    expect(declared.view.assessment).toMatchObject({ countedIncome: '0', monthlyAmount: '1950.00' });
    expect(declared.view.differences).toEqual([]);

    const state = received3();
    const id = state.input.household.members[1]!.idNumber;
    checkedOn(state, id);
    expect(state.view.differences).toEqual([
      { idNumber: id, field: 'monthlyIncome', declared: '0', verified: '1000.00' },
    ]);
    expect(state.view.assessment).toMatchObject({ countedIncome: '1000', monthlyAmount: '950.00' });
  });

  it('R-A2: a verified deposit of 1,000,000.00 makes the household not eligible, as the same amount declared does', () => {
    const state = received({ household: household({ size: 1, monthlyIncome: '0.00' }) });
    const id = state.input.household.members[0]!.idNumber;
    state.applyInvestigation(investigation(state, ON), at(ON));
    const check = {
      actor: actor('integration'),
      checkId: 'chk-2',
      verified: [{ idNumber: id, monthlyIncome: '0.00', financialAssets: '1000000.00' }],
      findings: 'a deposit',
    };
    state.applyEconomicCheck(check, at(ON));
    expect(state.view.assessment?.suggestedCategory).toBe('not_eligible');
    expect(state.view.differences).toEqual([
      { idNumber: id, field: 'financialAssets', declared: '1000.00', verified: '1000000.00' },
    ]);
  });

  it('R-A2: the initial opinion must resolve each difference — the verified figure, or the declared one with a reason', () => {
    const state = received3();
    const id = state.input.household.members[1]!.idNumber;
    const s = checkedOn(state, id);
    const day = at('2026-03-09');
    expect(refusal(() => s.checkInitialOpinion(opinion, day))).toBe('InvalidStep in initial_opinion');
    const declaredNoReason: InitialOpinionInput = {
      ...opinion,
      resolutions: [{ idNumber: id, field: 'monthlyIncome', use: 'declared' }],
    };
    expect(refusal(() => s.checkInitialOpinion(declaredNoReason, day))).toBe(
      'InvalidStep in initial_opinion',
    );
    s.checkInitialOpinion(
      { ...opinion, resolutions: [{ idNumber: id, field: 'monthlyIncome', use: 'verified' }] },
      day,
    );
    const kept: InitialOpinionInput = {
      ...opinion,
      resolutions: [
        { idNumber: id, field: 'monthlyIncome', use: 'declared', reason: 'the job ended in February' },
      ],
    };
    s.checkInitialOpinion(kept, day);
    s.applyInitialOpinion(kept, day);
    // The suggestion now rests on the declared figure, as the opinion decided.
    expect(s.view.assessment).toMatchObject({ countedIncome: '0', monthlyAmount: '1950.00' });
    expect(s.view.opinion?.resolutions).toEqual(kept.resolutions);
  });
});

function checkedOn(state: ReturnType<typeof received>, id: string) {
  state.applyInvestigation(investigation(state, ON), at(ON));
  const check = {
    actor: actor('integration'),
    checkId: 'chk-1',
    verified: [{ idNumber: id, monthlyIncome: '1000.00', financialAssets: '1000.00' }],
    findings: 'an income found',
  };
  state.checkEconomicCheck(check, at(ON));
  state.applyEconomicCheck(check, at(ON));
  return state;
}
