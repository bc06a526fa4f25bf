import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadline, YearCalendar } from '../../domain/calendar';
import type { CivilDate, YearMonth } from '../../domain/dates';
import type { DeadlineParameters } from '../../domain/deadlines';
import type { Money } from '../../domain/money';
import type { Actor } from '../../domain/roles';

// The county's spot checks of township decisions (R-O2): the monthly round that draws them and
// the check task each sampled decision becomes. Ids carry codes and generated ids only (R-O7).

export const spotCheckRoundId = (countyCode: string, month: YearMonth) => `${countyCode}:${month}`;
export const spotCheckRoundWorkflowId = (countyCode: string, month: YearMonth) =>
  `spotcheck:${countyCode}:${month}`;
/** One check per decided application (a restarted procedure is a new application). */
export const spotCheckIdOf = (applicationId: string) => `SC-${applicationId}`;
export const spotCheckItemWorkflowId = (checkId: string) => `spotcheck-item:${checkId}`;

export interface SpotCheckRoundInput {
  countyCode: string;
  month: YearMonth;
  /** R-O6: who started the round (the caller of the API, or the monthly schedule). */
  startedBy?: string;
}

/** One township decision of the month, as the read model has it (the draw's population). */
export interface DecisionUnit {
  applicationId: string;
  caseId: string | null;
  villageCode: string;
  decision: 'approved' | 'rejected';
  decidedOn: CivilDate;
  decidedBy: string;
  closeRelative: boolean;
  /** R-O4: the complaints whose finding asked for this decision's check (a requested unit only). */
  requestedBy?: string[];
}

export interface SpotCheckContext {
  policyVersion: string | null;
  decisionRatio: string;
  closeRelativeRatio: string;
  deadlines: DeadlineParameters;
  runtimeYears: YearCalendar[];
}

export interface SpotCheckRoundResult {
  roundId: string;
  seed: string;
  populationSize: number;
  drawn: string[];
  /** R-O4: application ids opened because a complaint asked (rounds since requests exist). */
  requested?: string[];
}

export interface SpotCheckItemInput {
  checkId: string;
  roundId: string;
  unit: DecisionUnit;
  openedOn: CivilDate;
  deadlines: DeadlineParameters;
  runtimeYears: YearCalendar[];
}

export const SPOT_CHECK_OUTCOMES = ['confirmed', 'corrected', 'reversed'] as const;
export type SpotCheckOutcome = (typeof SPOT_CHECK_OUTCOMES)[number];

/** What became of a finding beyond the check itself (R-O2). */
export type SpotCheckFollowUp =
  | 'none'
  | 'case_rate_changed'
  | 'case_stopped'
  /** A reversed rejection: the township restarts the procedure with a new receipt (R-A1). */
  | 'restart_by_township'
  /** The case had already ended: nothing left to change. */
  | 'case_not_running';

export interface SpotCheckFindingInput {
  actor: Actor;
  outcome: SpotCheckOutcome;
  reasons: string;
  /** 'corrected': the monthly amount the decision should have set. */
  monthlyAmount?: Money;
}

export interface SpotCheckView {
  checkId: string;
  roundId: string;
  applicationId: string;
  caseId: string | null;
  villageCode: string;
  decision: DecisionUnit['decision'];
  closeRelative: boolean;
  openedOn: CivilDate;
  due: Deadline;
  atRiskOn: CivilDate;
  atRisk: boolean;
  overdue: boolean;
  finding?: {
    outcome: SpotCheckOutcome;
    reasons: string;
    monthlyAmount?: Money;
    by: string;
    role: string;
    on: CivilDate;
    followUp: SpotCheckFollowUp;
  };
}

export const spotCheckStateQuery = defineQuery<SpotCheckView>('spotCheckState');
export const spotCheckFindingUpdate = defineUpdate<SpotCheckView, [SpotCheckFindingInput]>(
  'recordSpotCheckFinding',
);

/** R-O2 → case: a corrected amount or a reversed approval, applied once per check (by its id). */
export interface SpotCheckCaseFinding {
  checkId: string;
  outcome: 'corrected' | 'reversed';
  reasons: string;
  monthlyAmount?: Money;
  actor: Actor;
}
export const spotCheckCaseSignal = defineSignal<[SpotCheckCaseFinding]>('spotCheckFinding');
