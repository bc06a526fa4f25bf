import type { YearCalendar } from '../../domain/calendar';
import type { Household } from '../../domain/household';
import type {
  ApplicationContext,
  ApplicationInput,
  ApplicationView,
  CaseInput,
  DecisionInput,
  EconomicCheckInput,
  EnrolmentConflict,
  ExtensionDuringProcedureInput,
  HistoryEntry,
  InitialOpinionInput,
  InvestigationInput,
  ObjectionInput,
  ReturnInput,
  Stage,
  TemporaryGrantInput,
  TrackedDeadline,
  WithdrawalInput,
} from '../contracts';
import {
  checkDecision,
  checkEconomicCheck,
  checkInitialOpinion,
  checkInvestigation,
  checkObjection,
  checkProcedureExtension,
  checkReturn,
  checkTemporaryGrant,
  checkWithdrawal,
} from './checks';
import { ApplicationDeadlines, type Flagged } from './deadlines';
import {
  applyDecision,
  applyProcedureExtension,
  applyTemporaryGrant,
  applyWithdrawal,
  caseInputOf,
  noticeIssued,
  refuseReceipt,
} from './decision';
import {
  applyEconomicCheck,
  applyInitialOpinion,
  applyInvestigation,
  applyObjection,
  applyReturn,
} from './opinion';
import { type ApplicationParts, ApplicationRecord } from './record';
import { applyCalendar, nextWakeUp, tick } from './time';

// The application's state and its rules (R-A2 … R-A10), kept apart from the workflow function so
// it reads as the procedure. The state holds two parts: the record (record.ts: view, history) and
// the deadlines (deadlines.ts: R-A6, R-T1, R-T2). `check*` are the update validators (checks.ts),
// `apply*` the transitions (opinion.ts up to the publicised opinion, decision.ts from there), which
// mutate and return the history entry the workflow persists; time.ts the passage of time. Time
// always comes in as an argument (workflow time).
export class ApplicationState implements ApplicationParts {
  readonly record: ApplicationRecord;
  readonly deadlines: ApplicationDeadlines;

  constructor(input: ApplicationInput, ctx: ApplicationContext, now: Date) {
    this.record = new ApplicationRecord(input, ctx);
    this.deadlines = new ApplicationDeadlines(this.record.view, ctx.deadlines, ctx.runtimeYears);
    // R-A6: the procedure and its first two steps run from the day the application was accepted.
    this.deadlines.track('overall', input.acceptedOn, this.deadlines.overallWorkingDays());
    this.deadlines.track('investigation', input.acceptedOn, ctx.deadlines.investigationWorkingDays);
    this.deadlines.track('economic_check', input.acceptedOn, ctx.deadlines.economicCheckWorkingDays);
    this.record.record(now, 'received', input.receivedBy, undefined, { closeRelative: input.closeRelative });
    this.view.stage = 'verifying';
  }

  get input(): ApplicationInput {
    return this.record.input;
  }

  get view(): ApplicationView {
    return this.record.view;
  }

  get stage(): Stage {
    return this.record.stage;
  }

  get terminal(): boolean {
    return this.record.terminal;
  }

  /** The household as investigated (R-A2), or as declared at receipt. */
  household(): Household {
    return this.record.household();
  }

  snapshot(): ApplicationView {
    const current = this.deadlines.open().filter((d) => d.kind !== 'overall');
    return { ...this.view, currentStep: current[current.length - 1] };
  }

  // ---- time (R-A4, R-A6, R-T2)

  tick(now: Date): { flagged: Flagged[]; entries: HistoryEntry[] } {
    return tick(this, now);
  }

  nextWakeUp(now: Date): Date | undefined {
    return nextWakeUp(this, now);
  }

  applyCalendar(year: YearCalendar, now: Date): HistoryEntry | undefined {
    return applyCalendar(this, year, now);
  }

  openDeadlines(): TrackedDeadline[] {
    return this.deadlines.open();
  }

  overallDeadline(): TrackedDeadline {
    return this.deadlines.overall();
  }

  isAtRisk(): boolean {
    return this.deadlines.anyAtRisk();
  }

  isOverdue(): boolean {
    return this.deadlines.anyOverdue();
  }

  // ---- validators (no mutation)

  checkInvestigation(i: InvestigationInput, now: Date) {
    checkInvestigation(this.record, i, now);
  }

  checkEconomicCheck(e: EconomicCheckInput, now: Date) {
    checkEconomicCheck(this.record, e, now);
  }

  checkInitialOpinion(o: InitialOpinionInput, now: Date) {
    checkInitialOpinion(this.record, o, now);
  }

  checkObjection(o: ObjectionInput, now: Date) {
    checkObjection(this.record, o, now);
  }

  checkDecision(d: DecisionInput, now: Date) {
    checkDecision(this.record, d, now);
  }

  checkReturn(r: ReturnInput, now: Date) {
    checkReturn(this.record, r, now);
  }

  checkProcedureExtension(x: ExtensionDuringProcedureInput, now: Date) {
    checkProcedureExtension(this.record, x, now);
  }

  checkWithdrawal(w: WithdrawalInput, now: Date) {
    checkWithdrawal(this.record, w, now);
  }

  checkTemporaryGrant(g: TemporaryGrantInput, now: Date) {
    checkTemporaryGrant(this.record, g, now);
  }

  // ---- transitions (validated first)

  applyInvestigation(i: InvestigationInput, now: Date): HistoryEntry {
    return applyInvestigation(this, i, now);
  }

  applyEconomicCheck(e: EconomicCheckInput, now: Date): HistoryEntry {
    return applyEconomicCheck(this, e, now);
  }

  applyInitialOpinion(o: InitialOpinionInput, now: Date): HistoryEntry {
    return applyInitialOpinion(this, o, now);
  }

  applyObjection(o: ObjectionInput, now: Date): HistoryEntry {
    return applyObjection(this, o, now);
  }

  applyReturn(r: ReturnInput, now: Date): HistoryEntry {
    return applyReturn(this, r, now);
  }

  applyDecision(d: DecisionInput, now: Date): HistoryEntry {
    return applyDecision(this, d, now);
  }

  applyProcedureExtension(x: ExtensionDuringProcedureInput, now: Date): HistoryEntry {
    return applyProcedureExtension(this, x, now);
  }

  applyWithdrawal(w: WithdrawalInput, now: Date): HistoryEntry {
    return applyWithdrawal(this, w, now);
  }

  /** R-A1: a member is already enrolled elsewhere: nothing was received, no deadline runs. */
  refuse(c: EnrolmentConflict, now: Date): HistoryEntry {
    return refuseReceipt(this, c, now);
  }

  applyTemporaryGrant(g: TemporaryGrantInput, now: Date): HistoryEntry {
    return applyTemporaryGrant(this, g, now);
  }

  noticeIssued(noticeId: string, now: Date) {
    noticeIssued(this, noticeId, now);
  }

  caseRecorded(caseId: string) {
    if (this.view.decision) this.view.decision.caseId = caseId;
  }

  /** What the case-in-benefit workflow starts from (R-A8). */
  caseInput(caseId: string, d: DecisionInput): CaseInput {
    return caseInputOf(this, caseId, d);
  }
}
