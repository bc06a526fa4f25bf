import { defineUpdate } from '@temporalio/workflow';
import type { CivilDate, YearMonth } from '../../domain/dates';
import type { Money } from '../../domain/money';
import type { Actor } from '../../domain/roles';

// R-M10 repayment demands (责令退回) of a case: raised when a closed case still has recoveries no
// later payment can offset, then tracked by the case until repaid or written off.

export const DEMAND_STATUSES = ['open', 'repaid', 'written_off'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

/** A repayment received, or the county's recorded decision to write off what is left. */
export type DemandStep =
  | { stepId: string; kind: 'repayment'; amount: Money; paidOn: CivilDate; reference: string; by: Actor }
  | {
      stepId: string;
      kind: 'write_off';
      amount: Money;
      decidedOn: CivilDate;
      decisionRef: string;
      reasons: string;
      by: Actor;
    };

export interface RepaymentDemand {
  demandId: string;
  amount: Money;
  months: YearMonth[];
  adjustmentKeys: string[];
  reasons: string;
  issuedOn: CivilDate;
  issuedBy: string;
  noticeId?: string;
  status: DemandStatus;
  repaid: Money;
  writtenOff: Money;
  steps: DemandStep[];
  closedOn?: CivilDate;
}

/** What the case's open recoveries came to when the demand took them over (the activity's answer). */
export interface ClaimedRecoveries {
  amount: Money;
  months: YearMonth[];
  adjustmentKeys: string[];
  reasons: string[];
}

export type DemandStepInput =
  | {
      actor: Actor;
      demandId: string;
      stepId: string;
      kind: 'repayment';
      amount: Money;
      paidOn: CivilDate;
      reference: string;
    }
  | {
      actor: Actor;
      demandId: string;
      stepId: string;
      kind: 'write_off';
      decidedOn: CivilDate;
      decisionRef: string;
      reasons: string;
    };

/** R-M10: a repayment or a write-off on a demand; answers with the demand as it now stands. */
export const demandStepUpdate = defineUpdate<RepaymentDemand, [DemandStepInput]>('recordDemandStep');

export const demandIdOf = (caseId: string, n: number) => `D-${caseId}-${n}`;
