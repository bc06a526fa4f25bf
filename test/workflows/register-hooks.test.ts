import { describe, expect, it } from 'vitest';
import type { ApplicationView, CaseView, DecisionInput } from '../../workflows/messages';
import { applicationFinding, caseClosureFinding } from '../../workflows/register-hooks';
import { actor, applicationInput } from '../helpers/fixtures';

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

  it('R-L1: a closed dibao case leaves a former recipient; nobody left alive, nothing', () => {
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
    expect(caseClosureFinding(dead)).toBeUndefined();
    expect(caseClosureFinding({ ...base, closed: undefined } as CaseView)).toBeUndefined();
  });
});
