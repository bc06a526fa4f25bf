import { describe, expect, it } from 'vitest';
import type { ApplicationView, CaseInput, CaseView, DecisionInput } from '../../workflows/contracts';
import { applicationFinding, caseClosureFinding, importFinding } from '../../workflows/register/hooks';
import { actor, applicationInput, caseInput, policy } from '../helpers/fixtures';

// What each decision means for the register (R-L1, R-E2): pure, no server.
const county = actor('county_staff', '140802');
const decision = (approve: boolean): DecisionInput => ({ actor: county, approve, reasons: 'r' });
const viewOf = (over: Partial<ApplicationView>) =>
  ({ decision: { on: '2026-11-30' }, ...over }) as unknown as ApplicationView;

describe('register hooks', () => {
  it('R-L1 R-E2: an approval registers the approved group; a rejection found marginal registers it as marginal', () => {
    const input = applicationInput({ category: 'dibao' });
    const dibao = applicationFinding(input, viewOf({}), decision(true))!;
    expect(dibao).toMatchObject({
      source: 'application',
      add: ['dibao'],
      remove: ['marginal', 'former_recipient'],
      ref: input.applicationId,
    });
    expect(dibao.members).toHaveLength(input.household.members.length);
    const marginal = applicationFinding(
      input,
      viewOf({ opinion: { category: 'marginal' } as ApplicationView['opinion'] }),
      decision(true),
    );
    expect(marginal?.add).toEqual(['marginal']);
    const rejected = applicationFinding(
      input,
      viewOf({ assessment: { suggestedCategory: 'marginal' } as ApplicationView['assessment'] }),
      decision(false),
    );
    expect(rejected?.add).toEqual(['marginal']);
    expect(applicationFinding(input, viewOf({}), decision(false))).toBeUndefined();
    expect(
      applicationFinding(applicationInput({ category: 'temporary_assistance' }), viewOf({}), decision(true)),
    ).toBeUndefined();
  });

  it('R-L1: a closed dibao case leaves a former recipient; nobody left alive, nobody registered', () => {
    const members = [
      { idNumber: '1', name: 'a', relation: 'applicant', covered: true },
      { idNumber: '2', name: 'b', relation: 'child', covered: true },
    ];
    const base = {
      caseId: 'C1',
      villageCode: '140802101201',
      category: 'dibao',
      members,
      closed: { reason: 'check_stop', fromMonth: '2026-12', on: '2026-11-30' },
    } as unknown as CaseView;
    expect(caseClosureFinding(base)).toMatchObject({
      source: 'case',
      add: ['former_recipient'],
      remove: ['dibao'],
      ref: 'C1',
    });
    const dead = { ...base, members: members.map((m) => ({ ...m, diedOn: '2026-11-01' })) } as CaseView;
    expect(caseClosureFinding(dead)).toMatchObject({ add: [], remove: ['dibao'], onlyIfRegistered: true });
    expect(caseClosureFinding({ ...base, closed: undefined } as CaseView)).toBeUndefined();
  });

  it('R-L1: an imported dibao or extreme-poverty household is registered in its group like an approved one, found by the import', () => {
    const base = caseInput({ approvedOn: '2026-11-01', startMonth: '2026-12' });
    const imported: CaseInput = {
      ...base,
      imported: { importId: 'I-7', importedBy: 'admin-7', nextReviewOn: '2027-03-01' },
    };
    for (const category of ['dibao', 'extreme_poverty'] as const) {
      const f = importFinding({ ...imported, category }, '2026-12-03')!;
      expect(f).toMatchObject({
        source: 'import',
        add: [category],
        remove: ['marginal', 'former_recipient'],
        ref: base.caseId,
        on: '2026-12-03',
        by: { sub: 'admin-7', role: 'admin' },
      });
      expect(f.members.map((m) => m.idNumber)).toEqual(base.members.map((m) => m.idNumber));
    }
    expect(importFinding({ ...imported, category: 'marginal' }, '2026-12-03')).toMatchObject({
      add: ['marginal'],
      remove: [],
    });
    // An approved case was registered by its application; nobody alive, nobody to register.
    expect(importFinding(base, '2026-12-03')).toBeUndefined();
    const dead = imported.members.map((m) => ({ ...m, diedOn: '2026-12-01' }));
    expect(importFinding({ ...imported, members: dead }, '2026-12-03')).toBeUndefined();
  });

  it('R-L1: a closure leaves a former recipient only when the household left support and is still low-income', () => {
    const members = [
      { idNumber: '1', name: 'a', relation: 'applicant', covered: true },
      { idNumber: '2', name: 'b', relation: 'child', covered: true },
    ];
    // Rural standard 650.00, marginal factor 1.5: low-income below 975.00 per person.
    const closed = (reason: string, over: Partial<CaseView> = {}) =>
      ({
        caseId: 'C1',
        villageCode: '140802101201',
        category: 'dibao',
        residence: 'rural',
        policy: policy(),
        members,
        closed: { reason, fromMonth: '2026-12', on: '2026-11-30' },
        ...over,
      }) as unknown as CaseView;
    const former = { add: ['former_recipient'], remove: ['dibao'] };
    const leaves = { add: [], remove: ['dibao'], onlyIfRegistered: true };
    const income = (amount: string) => ({ perCapitaIncome: { amount, reportedOn: '2026-05-10' } });
    // Income above the standard, below the marginal line: still low-income.
    expect(caseClosureFinding(closed('taper_exit', income('900.00')))).toMatchObject(former);
    // At or above the marginal line: no longer low-income.
    expect(caseClosureFinding(closed('taper_exit', income('975.00')))).toMatchObject(leaves);
    expect(caseClosureFinding(closed('review_stop', income('1200.00')))).toMatchObject(leaves);
    // Nothing shows the household is better off: still low-income.
    expect(caseClosureFinding(closed('check_stop'))).toMatchObject(former);
    expect(caseClosureFinding(closed('taper_exit'))).toMatchObject(former);
    // Not a household that left support still poor: the supported died, fraud, an approval reversed.
    for (const reason of ['death', 'fraud', 'spot_check_reversed'])
      expect(caseClosureFinding(closed(reason, income('300.00'))), reason).toMatchObject(leaves);
    // The only member died: nobody is registered, the entry (if any) leaves dibao.
    const dead = closed('death', { members: [{ ...members[0]!, diedOn: '2026-11-01' }] });
    expect(caseClosureFinding(dead)).toMatchObject({ ...leaves, members: [{ idNumber: '1' }] });
    // A marginal case's closure only leaves its group.
    expect(caseClosureFinding(closed('review_stop', { category: 'marginal' }))).toMatchObject({
      add: [],
      remove: ['marginal'],
    });
  });
});
