import type {
  WithStartWorkflowOperation,
  Workflow,
  WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CivilDate, YearMonth } from '../../domain/dates';
import { actor, COUNTY } from '../../test/helpers/fixtures';
import type { fakeActivities } from '../../test/helpers/workflow-env';
import {
  type ApplicationInput,
  type ApplicationView,
  applicationStateQuery,
  type CaseInput,
  type CaseResult,
  type CaseView,
  caseStateQuery,
  decisionUpdate,
  demandIdOf,
  demandStepUpdate,
  economicCheckUpdate,
  type ImportedState,
  initialOpinionUpdate,
  investigationUpdate,
} from '../../workflows/contracts';
import type { Fakes } from './fakes';

// What a recorded scenario works with (scripts/record-histories.ts): the session on its own
// time-skipping server with fake activities, and the steps the scenarios share.

/** The workflow a history file is named after (its first word or words). */
export type Prefix =
  | 'application'
  | 'case'
  | 'register'
  | 'payroll'
  | 'payroll-scheduler'
  | 'complaint'
  | 'spot-check-round'
  | 'spot-check-scheduler'
  | 'spot-check-item'
  | 'import'
  | 'standard-adjustment'
  | 'temporary-assistance'
  | 'retention';

export type Handle = WorkflowHandleWithFirstExecutionRunId<(input: ApplicationInput) => Promise<unknown>>;
export type CaseHandle = WorkflowHandleWithFirstExecutionRunId<(input: CaseInput) => Promise<CaseResult>>;

export interface Session {
  env: TestWorkflowEnvironment;
  calls: ReturnType<typeof fakeActivities>['calls'];
  /** What the payroll, spot-check and import fakes answer (scenarios set it; scripts/histories/fakes.ts). */
  fakes: Fakes;
  /** The recording worker's task queue (for workflows without a start helper here). */
  taskQueue: string;
  today(): Promise<CivilDate>;
  /** Moves workflow time to noon (Asia/Shanghai) of a civil date, as test/workflows/case.test.ts does. */
  sleepUntil(date: CivilDate): Promise<void>;
  /** A receipt as the API sends it: update-with-start of the application (clients/receipt.ts). */
  start(overrides?: Partial<ApplicationInput>): Promise<{ input: ApplicationInput; handle: Handle }>;
  /** A case approved on the 1st of this month (server time), paid from next month; m(i) is month i after approval. */
  startCase(
    overrides?: Partial<CaseInput> & { size?: number },
  ): Promise<{ input: CaseInput; handle: CaseHandle; m(i: number): YearMonth }>;
  /** The same case brought in by a caseload import: started by reference, its input read back. */
  startImportedCase(
    imported: Omit<ImportedState, 'importId' | 'importedBy'>,
    overrides?: Partial<CaseInput> & { size?: number },
  ): Promise<{ input: CaseInput; handle: CaseHandle; m(i: number): YearMonth }>;
}

/**
 * What a scenario leaves: the workflow, whether it is meant to have closed and, for workflows that
 * continue as new, whether it is meant to have done so (every run is then recorded).
 */
export interface Outcome {
  handle: WorkflowHandleWithFirstExecutionRunId;
  closed: boolean;
  continued?: boolean;
}

/** A scenario drives one workflow; `prefix` names the workflow in the file name. */
export interface Scenario {
  prefix: Prefix;
  run(s: Session): Promise<Outcome>;
}

export const opinion = (eligible = true) => ({
  actor: actor('township_staff'),
  eligible,
  ...(eligible ? { category: 'dibao' as const, proposedMonthlyAmount: '1000.00' } : {}),
  reasons: eligible ? 'income below the standard' : 'income above the standard',
});

export async function investigate(s: Session, handle: Handle, input: ApplicationInput, findings = 'visited') {
  return handle.executeUpdate(investigationUpdate, {
    args: [
      { actor: actor('township_staff'), household: input.household, findings, visitedOn: await s.today() },
    ],
  });
}

/** The information check by the integration (R-A2). */
export const economicCheck = (handle: Handle) =>
  handle.executeUpdate(economicCheckUpdate, {
    args: [{ actor: actor('integration'), checkId: 'chk-1', verified: [], findings: 'no other income' }],
  });

export async function verify(s: Session, handle: Handle, input: ApplicationInput) {
  await investigate(s, handle, input);
  return economicCheck(handle);
}

export function check(what: string, ok: boolean, view: ApplicationView): void {
  if (!ok) throw new Error(`${what} (stage ${view.stage}, last action ${view.history.at(-1)?.action})`);
}

export const overall = (v: ApplicationView) =>
  v.deadlines.filter((d) => d.kind === 'overall' && !d.superseded).at(-1);

/** The initial opinion, its 7-day publicity and the county's approval (R-A3, R-A4, R-A5). */
export async function publicizeAndApprove(s: Session, handle: Handle) {
  await handle.executeUpdate(initialOpinionUpdate, { args: [opinion()] });
  await s.env.sleep('8 days');
  return handle.executeUpdate(decisionUpdate, {
    args: [
      {
        actor: actor('county_staff', COUNTY),
        approve: true,
        monthlyAmount: '1000.00',
        reasons: 'approved',
      },
    ],
  });
}

/** Receipt, verification, opinion, 7-day publicity and county approval; returns once it completed. */
export async function approve(s: Session) {
  const { input, handle } = await s.start();
  await verify(s, handle, input);
  const view = await publicizeAndApprove(s, handle);
  check('approved with a case', view.stage === 'approved' && !!view.decision?.caseId, view);
  await handle.result();
  return { handle, view };
}

export const staff = actor('township_staff');
export const caseView = (handle: CaseHandle): Promise<CaseView> => handle.query(caseStateQuery);

/** R-M10: the county writes off the whole of a closed case's first repayment demand (it then ends). */
export async function writeOffFirstDemand(
  s: Session,
  handle: CaseHandle,
  caseId: string,
  decisionRef: string,
) {
  await handle.executeUpdate(demandStepUpdate, {
    args: [
      {
        actor: actor('county_staff', COUNTY),
        demandId: demandIdOf(caseId, 1),
        stepId: 'w1',
        kind: 'write_off',
        decidedOn: await s.today(),
        decisionRef,
        reasons: 'no estate',
      },
    ],
  });
}

export function checkCase(what: string, ok: boolean, view: CaseView): void {
  if (!ok) throw new Error(`${what} (status ${view.status}, last action ${view.history.at(-1)?.action})`);
}

export async function until(handle: Handle, ok: (v: ApplicationView) => boolean): Promise<ApplicationView> {
  for (let i = 0; ; i++) {
    const view = await handle.query(applicationStateQuery);
    if (ok(view) || i === 50) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls a query until `ok` (the workflow acts on its own between the scenario's steps). */
export async function poll<V>(read: () => Promise<V>, ok: (v: V) => boolean, what: string): Promise<V> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not reached: ${what}`);
}

/** A handle on the chain of runs that began with `firstExecutionRunId` (e.g. one started with an Update). */
export function chainHandle<T extends Workflow>(
  s: Session,
  workflowId: string,
  firstExecutionRunId: string,
): WorkflowHandleWithFirstExecutionRunId<T> {
  const handle = s.env.client.workflow.getHandle<T>(workflowId, undefined, { firstExecutionRunId });
  return Object.assign(handle, { firstExecutionRunId });
}

/** The run an update-with-start (or signal-with-start) began, as a chain handle. */
export async function startedBy<T extends Workflow>(
  s: Session,
  op: WithStartWorkflowOperation<T>,
): Promise<WorkflowHandleWithFirstExecutionRunId<T>> {
  const started = await op.workflowHandle();
  const { runId } = await started.describe();
  return chainHandle<T>(s, started.workflowId, runId);
}

/** A scenario with the name its history file carries. */
export interface NamedScenario extends Scenario {
  name: string;
}
