import type { YearCalendar } from '../../domain/calendar';
import type { PolicyParameters } from '../../domain/policy';
import type {
  CaseInput,
  CaseTask,
  CaseView,
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
import { applyDeath, checkDeathReport } from './deaths';
import { applyDemandStep, checkDemandStep, demandNoticeIssued, openDemands, raiseDemand } from './demands';
import { CaseLedger, type CaseParts } from './ledger';
import { type CaseEffect, CaseRecord, type DeathOutcome } from './record';
import { applyReviewResult, checkReviewResult } from './reviews';
import { applySpotCheckFinding } from './spot-checks';
import { applyStandardChange } from './standard';
import { startApproved, startImported } from './start';
import { applyCalendar, nextWakeUp, tick } from './time';

export type { CaseEffect, DeathOutcome } from './record';

// A case in benefit and its rules (R-M2 … R-M9), apart from the workflow function. The state holds
// two parts, which every rule module takes (CaseParts): the record (record.ts: view, history R-O6,
// tasks, the effects queue, seen ids) and the ledger (ledger.ts: rates, settlement, closing,
// notices). `check*` never mutate (update validators); `apply*` mutate and queue the effects the
// workflow then carries out through activities, in order. Where each rule lives:
//   start.ts     approval (R-A8) or import (R-M1, R-M3, R-M4, R-O1)
//   time.ts      roster cut-off (R-M1), re-review (R-M4), flags (R-A6), calendar (R-T2)
//   deaths.ts    deaths (R-M2; death-recoveries.ts: R-E6 per person, R-M10 after closure)
//   changes.ts   hits (R-M6), changes, taper (R-M3)     members.ts  who joins or leaves (R-M5, R-A1)
//   reviews.ts   staff results (R-M2, R-M4, R-M6, R-A11) standard.ts standard changes (R-M8)
//   demands.ts   repayment demands (R-M10)               spot-checks.ts  spot-check findings (R-O2)
export class CaseState implements CaseParts {
  readonly record: CaseRecord;
  readonly ledger: CaseLedger;

  constructor(input: CaseInput, now: Date) {
    this.record = new CaseRecord(input);
    this.ledger = new CaseLedger(this.record);
    if (input.carried) return;
    if (input.imported) startImported(this, input.imported, now);
    else startApproved(this, now);
  }

  get input(): CaseInput {
    return this.record.input;
  }

  get view(): CaseView {
    return this.record.view;
  }

  /** What the rules queued for the workflow to carry out, in order. */
  get effects(): CaseEffect[] {
    return this.record.effects;
  }

  /** History entries not yet saved to Postgres (R-O6). */
  get unsaved() {
    return this.record.unsaved;
  }

  get closed(): boolean {
    return this.record.closed;
  }

  openTasks(): CaseTask[] {
    return this.record.openTasks();
  }

  snapshot(): CaseView {
    return this.record.snapshot();
  }

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
