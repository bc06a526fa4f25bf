import type { YearCalendar } from '../../domain/calendar';
import type { PolicyParameters } from '../../domain/policy';
import type {
  ChangeReportInput,
  ClaimedRecoveries,
  ComparisonHit,
  ComplaintCheck,
  DeathNotice,
  DemandStepInput,
  RepaymentDemand,
  ReviewResultInput,
  SpotCheckCaseFinding,
} from '../contracts';
import { applyChange, applyComplaintCheck, applyHit, checkChange } from './changes';
import type { DeathOutcome } from './core';
import { applyDeath, checkDeathReport } from './deaths';
import { applyDemandStep, checkDemandStep, demandNoticeIssued, openDemands, raiseDemand } from './demands';
import { CaseLedger } from './ledger';
import { applyReviewResult, checkReviewResult } from './reviews';
import { applySpotCheckFinding } from './spot-checks';
import { applyStandardChange } from './standard';
import { applyCalendar, nextWakeUp, tick } from './time';

export type { CaseEffect, DeathOutcome } from './core';

// A case in benefit and its rules (R-M2 … R-M9), apart from the workflow function. `check*` never
// mutate (update validators); `apply*` mutate and queue the effects the workflow then carries out
// through activities, in order. Where each rule lives:
//   case-core.ts      view, history (R-O6), seen ids, tasks     case-ledger.ts   rates, settlement, close, notices
//   case-time.ts      roster cut-off (R-M1), re-review (R-M4), flags (R-A6), calendar (R-T2)
//   case-deaths.ts    deaths (R-M2)                               case-changes.ts  hits (R-M6), changes, taper (R-M3)
//   case-reviews.ts   staff results (R-M2, R-M4, R-M6, R-A11)     case-standard.ts standard changes (R-M8)
//   case-demands.ts   repayment demands (R-M10)
export class CaseState extends CaseLedger {
  /** Applies the passage of time: months reach their roster, re-reviews open, tasks are flagged. */
  tick(now: Date): void {
    tick(this, now);
  }

  /** The next instant a roster cut-off, a re-review or a task flag falls due. */
  nextWakeUp(now: Date): Date | undefined {
    return nextWakeUp(this, now);
  }

  checkDeathReport(n: DeathNotice, now: Date): void {
    checkDeathReport(this, n, now);
  }

  applyDeath(n: DeathNotice, now: Date): DeathOutcome {
    return applyDeath(this, n, now);
  }

  applyHit(h: ComparisonHit, now: Date): void {
    applyHit(this, h, now);
  }

  applyComplaintCheck(c: ComplaintCheck, now: Date): void {
    applyComplaintCheck(this, c, now);
  }

  checkChange(c: ChangeReportInput, now: Date): void {
    checkChange(this, c, now);
  }

  applyChange(c: ChangeReportInput, now: Date): void {
    applyChange(this, c, now);
  }

  checkReviewResult(r: ReviewResultInput, now: Date): void {
    checkReviewResult(this, r, now);
  }

  applyReviewResult(r: ReviewResultInput, now: Date): void {
    applyReviewResult(this, r, now);
  }

  openDemands(): RepaymentDemand[] {
    return openDemands(this);
  }

  raiseDemand(demandId: string, claimed: ClaimedRecoveries, now: Date): void {
    raiseDemand(this, demandId, claimed, now);
  }

  demandNoticeIssued(demandId: string, noticeId: string): void {
    demandNoticeIssued(this, demandId, noticeId);
  }

  checkDemandStep(step: DemandStepInput): void {
    checkDemandStep(this, step);
  }

  applyDemandStep(step: DemandStepInput, now: Date): RepaymentDemand {
    return applyDemandStep(this, step, now);
  }

  applyStandardChange(policy: PolicyParameters, now: Date): void {
    applyStandardChange(this, policy, now);
  }

  applyCalendar(year: YearCalendar, now: Date): void {
    applyCalendar(this, year, now);
  }

  applySpotCheckFinding(f: SpotCheckCaseFinding, now: Date): void {
    applySpotCheckFinding(this, f, now);
  }
}
