import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';
import type { CivilDate } from '../../domain/dates';
import { ApplicationState } from '../../workflows/application/state';
import type { ApplicationInput, DeadlineKind, InitialOpinionInput } from '../../workflows/contracts';
import { actor, applicationInput, COUNTY } from './fixtures';

// The application's state object driven without Temporal or Postgres (the ApplicationState tests).
// Time is an argument, so each instant is written out in Asia/Shanghai time (UTC+8). Received on
// Monday 2026-03-02, a month without holidays until Qingming (04-04 … 04-06).

export const at = (date: CivilDate, time = '10:00') => new Date(`${date}T${time}:00+08:00`);
export const RECEIVED = '2026-03-02';

export function received(overrides: Partial<ApplicationInput> = {}): ApplicationState {
  const input = applicationInput({ acceptedOn: RECEIVED, ...overrides });
  return new ApplicationState(input, input.context, at(input.acceptedOn));
}

/** The current (not superseded) deadline of a kind. */
export const deadline = (state: ApplicationState, kind: DeadlineKind) =>
  state.view.deadlines.filter((d) => d.kind === kind && !d.superseded).at(-1);

/** A refused step's typed failure (the update validator's answer) as "<type> in <stage>". */
export function refusal(step: () => void): string {
  try {
    step();
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    const { type, details } = err as ApplicationFailure;
    return `${type} in ${(details?.[0] as { stage?: string } | undefined)?.stage}`;
  }
  throw new Error('the step was not refused');
}

export const investigation = (state: ApplicationState, visitedOn: CivilDate) => {
  return { actor: actor('township_staff'), household: state.input.household, findings: 'visited', visitedOn };
};
export const economicCheck = { actor: actor('integration'), checkId: 'chk-1', verified: [], findings: 'ok' };
export const opinion: InitialOpinionInput = {
  actor: actor('township_staff'),
  eligible: true,
  category: 'dibao',
  proposedMonthlyAmount: '1000.00',
  reasons: 'income below the standard',
};
export const county = actor('county_staff', COUNTY);

/** Both verification results on `on` (each validated first, as the workflow does). */
export function verify(state: ApplicationState, on: CivilDate) {
  state.checkInvestigation(investigation(state, on), at(on));
  state.applyInvestigation(investigation(state, on), at(on));
  state.checkEconomicCheck(economicCheck, at(on));
  state.applyEconomicCheck(economicCheck, at(on));
}

/** Verified on 03-06, opinion on Monday 03-09: publicity 03-09 … 03-16. */
export function inPublicity(overrides: Partial<ApplicationInput> = {}) {
  const state = received(overrides);
  verify(state, '2026-03-06');
  state.checkInitialOpinion(opinion, at('2026-03-09'));
  state.applyInitialOpinion(opinion, at('2026-03-09'));
  return state;
}

/** Publicity ended at 24:00 of 03-16; tick opens the decision. */
export function inDecision(overrides: Partial<ApplicationInput> = {}) {
  const state = inPublicity(overrides);
  state.tick(at('2026-03-17', '00:00'));
  return state;
}
