import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { caseWorkflow } from '../case/workflow';
import {
  type ApplicationInput,
  type CaseInput,
  caseWorkflowId,
  type DecisionInput,
  type EnrolmentConflict,
  type HistoryEntry,
} from '../contracts';
import { applicationFinding, registerActs } from '../register/hooks';
import { applyRosterCheck, rosterCheckOf } from './close-relatives';
import { ApplicationEffects } from './effects';
import { applicationEnrolment } from './enrolment';
import { ApplicationState } from './state';

/** What the receipt found: nothing (received), or the member already held elsewhere (R-A1). */
export type Receipt = { refused?: EnrolmentConflict };

/**
 * One run of the application workflow: its state, its effects, and the steps that cross them — the
 * save, the roster check (R-O1) and the decision (R-A5, R-A7, R-A8). The workflow function drives
 * time; the handlers (handlers.ts) drive the staff's steps.
 */
export class ApplicationRun {
  readonly state: ApplicationState;
  readonly effects: ApplicationEffects;
  readonly enrolment: ReturnType<typeof applicationEnrolment>;
  /** Set once the receipt's first step is written (or refused). */
  receipt: Receipt | undefined;
  /** Bumped by every change the main loop must see (a save, a signal). */
  changes = 0;
  /** R-A8: the case workflow's start, awaited before this workflow ends. */
  caseStarted: Promise<void> | undefined;
  /** R-L1: the household's register entry learns of the decision, awaited before this workflow ends. */
  registered: Promise<unknown> | undefined;

  constructor(readonly input: ApplicationInput) {
    this.state = new ApplicationState(input, input.context, new Date());
    // R-A1: the receipt is the workflow's first step, so its rows and the workflow exist together.
    this.effects = new ApplicationEffects(input, this.state);
    this.enrolment = applicationEnrolment(input, this.state, this.acts);
  }

  get acts() {
    return this.effects.acts;
  }

  async persist(entries: HistoryEntry[]) {
    await this.effects.save(entries);
    this.changes++;
  }

  /** R-O1: the household against the county's roster at receipt and each investigation; a match is filed. */
  async checkRoster(kind: 'receipt' | 'investigation') {
    const check = rosterCheckOf(this.state, kind, new Date());
    const { matches } = await this.acts.checkCloseRelatives(check);
    const entry = applyRosterCheck(this.state, check, matches, new Date());
    if (entry) await this.persist([entry]);
  }

  /** R-A2 R-O1: the investigation's save and the roster check of the household it found, side by side. */
  async persistInvestigation(entry: HistoryEntry) {
    const check = rosterCheckOf(this.state, 'investigation', new Date());
    const [, { matches }] = await Promise.all([this.persist([entry]), this.acts.checkCloseRelatives(check)]);
    const filed = applyRosterCheck(this.state, check, matches, new Date());
    if (filed) await this.persist([filed]);
  }

  /** R-A5 R-A7 R-A8: the decision; the case record or the notice first, then one save. */
  async decide(d: DecisionInput) {
    const { state, input, acts } = this;
    const entry = state.applyDecision(d, new Date());
    const decision = state.view.decision!;
    // R-E2 R-L1: an approved marginal household is registered (below), never made a paying case.
    if (d.approve && state.view.opinion?.category !== 'marginal') {
      // R-A8: the case is recorded with its amount and start month; payroll reads its entitlement.
      const { caseId } = await acts.recordCase({ input, view: state.snapshot() });
      state.caseRecorded(caseId);
      // R-A8: the case in benefit lives on as its own workflow; the answer does not wait for its start.
      this.caseStarted = startCase(caseId, state.caseInput(caseId, d));
    } else if (!d.approve) {
      // R-A7: the written notice with reasons, issued at once (due within the parameter).
      const notice = await acts.issueNotice({
        kind: 'rejection',
        subjectKind: 'application',
        subjectId: input.applicationId,
        villageCode: input.villageCode,
        addressee: state.household().members.find((m) => m.relation === 'applicant')?.name ?? '',
        reasons: decision.reasons,
        decidedOn: decision.on,
        decidedBy: decision.by,
        dueOn: state.openDeadlines().find((x) => x.kind === 'rejection_notice')?.date,
        parameterVersion: input.context.policy.version,
      });
      state.noticeIssued(notice.noticeId, new Date());
    }
    // R-L1 / R-E2: approvals and marginal findings register the household.
    const finding = applicationFinding(input, state.view, d);
    if (finding) this.registered = registerActs.registerFinding(finding);
    await this.persist([entry]);
    return state.snapshot();
  }
}

/** Starts the case-in-benefit workflow; it outlives the application (abandoned on close). */
async function startCase(caseId: string, input: CaseInput) {
  try {
    await startChild(caseWorkflow, {
      workflowId: caseWorkflowId(caseId),
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
