import { describe, expect, it } from 'vitest';
import type { Household, Member } from '../../domain/household';
import { householdSchema } from '../../domain/household-schema';
import type { ApplicationState } from '../../workflows/application/state';
import { CaseState } from '../../workflows/case/state';
import type { DecisionInput, InitialOpinionInput } from '../../workflows/contracts';
import { applicationFinding } from '../../workflows/register/hooks';
import { at, county, economicCheck, received, refusal } from '../helpers/application-state-kit';
import { actor, idNumber, policy } from '../helpers/fixtures';

// R-E3 / R-E4: a one-person enrolment makes a case of ONE person — its persons, its amount, a
// standard rise (R-M8) and a death (R-M2) count that person alone, and the rest of the household
// keeps its own status (marginal in the register). The application's state object alone: no server.

const person = (patch: Partial<Member>): Member => ({
  name: '成员',
  idNumber: idNumber('1990-01-01'),
  relation: 'spouse',
  seriousIllness: false,
  ableToWork: true,
  incomes: [],
  assets: { financial: '0.00', vehicles: 0, extraHousing: false },
  rigidExpenses: [],
  hasSupporter: true,
  ...patch,
});
const household = (members: Member[], singlePersonApplication = false): Household =>
  householdSchema.parse({
    residence: 'rural',
    livesApartFromRegistration: false,
    filedAwayFromHome: false,
    singlePersonApplication,
    members,
  });

/** Rural standard 650 (fixtures): income 2400 for three is marginal (≥ 1950, < 2925). */
function marginalHousehold() {
  const earner = person({
    name: '王大',
    relation: 'applicant',
    incomes: [{ kind: 'pension', monthlyAmount: '2400.00' }],
  });
  const disabled = person({
    name: '王二',
    relation: 'child',
    disability: { grade: 1, type: 'physical' },
    ableToWork: false,
  });
  const spouse = person({ name: '李三', relation: 'spouse' });
  return { hh: household([earner, disabled, spouse]), earner, disabled, spouse };
}

const opinion = (amount: string, extra: Partial<InitialOpinionInput> = {}): InitialOpinionInput => ({
  actor: actor('township_staff'),
  eligible: true,
  category: 'dibao',
  proposedMonthlyAmount: amount,
  reasons: 'enrolled alone',
  ...extra,
});
const approval = (amount: string): DecisionInput => ({
  actor: county,
  approve: true,
  monthlyAmount: amount,
  reasons: 'approved as publicised',
});

/** Received 03-02, verified 03-06, opinion 03-09, decided 03-17 (publicity over): the case's input. */
function decided(hh: Household, o: InitialOpinionInput, amount: string) {
  const state: ApplicationState = received({ household: hh });
  state.applyInvestigation(
    { actor: actor('township_staff'), household: hh, findings: 'visited', visitedOn: '2026-03-06' },
    at('2026-03-06'),
  );
  state.applyEconomicCheck(economicCheck, at('2026-03-06'));
  state.checkInitialOpinion(o, at('2026-03-09'));
  state.applyInitialOpinion(o, at('2026-03-09'));
  state.tick(at('2026-03-17', '09:00'));
  const d = approval(amount);
  state.checkDecision(d, at('2026-03-17'));
  state.applyDecision(d, at('2026-03-17'));
  return { state, input: state.caseInput(state.input.applicationId, d) };
}

describe('one-person enrolment (R-E3, R-E4), no server', () => {
  it('R-E3: the one-person case of a three-person marginal household is a case of one person', () => {
    const { hh, disabled } = marginalHousehold();
    const { state, input } = decided(hh, opinion('650.00'), '650.00');
    expect(state.view.assessment?.suggestedCategory).toBe('marginal');
    expect(input.members.map((m) => m.idNumber)).toEqual([disabled.idNumber]);
    expect(input.members[0]).toMatchObject({ covered: true, relation: 'child' });
    const c = new CaseState(input, at('2026-03-17'));
    expect(c.view.persons).toBe(1);
    expect(c.view.monthlyAmount).toBe('650.00');
  });

  it('R-E3 R-M8: a standard rise of 20.00 raises the one-person case by 20.00, not by 20.00 × the household', () => {
    const { hh } = marginalHousehold();
    const { input } = decided(hh, opinion('650.00'), '650.00');
    const c = new CaseState(input, at('2026-03-17'));
    c.record.effects = [];
    c.applyStandardChange({ ...policy('2026-04-01'), standardRural: '670.00' }, at('2026-03-20'));
    expect(c.view.monthlyAmount).toBe('670.00');
    expect(c.view.rates.at(-1)).toMatchObject({ fromMonth: '2026-04', monthlyAmount: '670.00', persons: 1 });
  });

  it('R-E3 R-M2: the death of another household member is no death of the one-person case', () => {
    const { hh, spouse } = marginalHousehold();
    const { input } = decided(hh, opinion('650.00'), '650.00');
    const c = new CaseState(input, at('2026-03-17'));
    const notice = {
      noticeId: 'n-spouse',
      idNumber: spouse.idNumber,
      diedOn: '2026-03-18',
      source: 'integration' as const,
      receivedOn: '2026-03-19',
    };
    expect(c.applyDeath(notice, at('2026-03-19'))).toBe('not_member');
    expect(c.view.status).toBe('active');
    expect(c.openTasks()).toEqual([]);
  });

  it('R-E3: with two members who may be enrolled alone, the opinion names one (422 otherwise), and the case is that one', () => {
    const { hh, disabled } = marginalHousehold();
    const ill = person({ name: '王四', relation: 'child', seriousIllness: true });
    // Four persons: 3000 is marginal (≥ 2600, < 3900).
    const earner = { ...hh.members[0]!, incomes: [{ kind: 'pension' as const, monthlyAmount: '3000.00' }] };
    const four = household([earner, ...hh.members.slice(1), ill]);
    const state = received({ household: four });
    state.applyInvestigation(
      { actor: actor('township_staff'), household: four, findings: 'visited', visitedOn: '2026-03-06' },
      at('2026-03-06'),
    );
    state.applyEconomicCheck(economicCheck, at('2026-03-06'));
    expect(state.view.assessment?.singlePersonEnrolments.map((e) => e.idNumber)).toEqual([
      disabled.idNumber,
      ill.idNumber,
    ]);
    expect(refusal(() => state.checkInitialOpinion(opinion('650.00'), at('2026-03-09')))).toBe(
      'InvalidStep in initial_opinion',
    );
    const stranger = opinion('650.00', { enrolledAlone: hh.members[0]!.idNumber });
    expect(refusal(() => state.checkInitialOpinion(stranger, at('2026-03-09')))).toBe(
      'InvalidStep in initial_opinion',
    );
    const { input } = decided(four, opinion('650.00', { enrolledAlone: ill.idNumber }), '650.00');
    expect(input).toMatchObject({ alone: 'R-E3', members: [{ idNumber: ill.idNumber, covered: true }] });
  });

  it('R-E4: a severely disabled adult applying alone makes a case of that person only', () => {
    const applicant = person({
      name: '赵一',
      relation: 'applicant',
      disability: { grade: 1, type: 'physical' },
      ableToWork: false,
    });
    const sibling = person({
      name: '赵二',
      relation: 'sibling',
      incomes: [{ kind: 'wage', monthlyAmount: '5000.00' }],
    });
    const { state, input } = decided(household([applicant, sibling], true), opinion('650.00'), '650.00');
    expect(state.view.assessment).toMatchObject({ suggestedCategory: 'dibao', householdSize: 1 });
    expect(input.members.map((m) => m.idNumber)).toEqual([applicant.idNumber]);
    expect(new CaseState(input, at('2026-03-17')).view.persons).toBe(1);
  });

  it('R-E3 R-L1: approving a one-person enrolment keeps the household marginal in the register', () => {
    const { hh } = marginalHousehold();
    const { state } = decided(hh, opinion('650.00'), '650.00');
    const finding = applicationFinding(state.input, state.view, approval('650.00'))!;
    expect(finding.add).toEqual(expect.arrayContaining(['dibao', 'marginal']));
    expect(finding.remove ?? []).not.toContain('marginal');
  });

  it('R-E1: a whole household approved in dibao is a case of every member, as before', () => {
    const a = person({ relation: 'applicant', incomes: [{ kind: 'pension', monthlyAmount: '300.00' }] });
    const b = person({ relation: 'child' });
    const { input } = decided(household([a, b]), opinion('1000.00'), '1000.00');
    expect(input.members.map((m) => m.idNumber)).toEqual([a.idNumber, b.idNumber]);
  });
});
