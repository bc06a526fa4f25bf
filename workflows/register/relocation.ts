import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  startChild,
} from '@temporalio/workflow';
import {
  FAILURE,
  type RegisterInput,
  type RegisterRelocation,
  type RegisterView,
  registerWorkflowId,
} from '../contracts';

// R-O7: an entry named by a reversible key (a plain hash of an ID number) moves to a keyed one. The
// old entry saves what it has, starts its successor `register:<county>:<newKey>` with its state
// (whose first save moves the rows to the new key: no household lost or doubled), then only
// forwards the signals still addressed to it — every sender looks the key up in the read model,
// which now names the successor — until it has been quiet for FORWARD_QUIET, and completes. Its
// Updates are refused (the API has no route to it: the old key's row is gone). Only histories with
// a `relocateRegister` Update take this path: no earlier history's commands change.

/** How long the old entry keeps forwarding after the last signal that reached it. */
export const FORWARD_QUIET = '30 days';

export const movedFailure = () =>
  ApplicationFailure.create({
    type: FAILURE.notFound,
    message: 'this register entry moved to another key',
    nonRetryable: true,
  });

/** The successor's input: the same entry under the new key, which replaces the old one's rows. */
export function successorInput(
  input: RegisterInput,
  view: RegisterView,
  r: RegisterRelocation,
): RegisterInput {
  return {
    countyCode: input.countyCode,
    householdKey: r.newKey,
    villageCode: view.villageCode,
    deadlines: input.deadlines,
    runtimeYears: input.runtimeYears,
    carried: { ...view, householdKey: r.newKey },
    replaces: view.householdKey,
    relocatedBy: r.by,
  };
}

/** Starts the successor (abandoned: it outlives this run); a retried move finds it started. */
export async function startSuccessor(next: RegisterInput): Promise<void> {
  try {
    // By name: this module is below workflow.ts (no import circle).
    await startChild('registerWorkflow', {
      workflowId: registerWorkflowId(next.countyCode, next.householdKey),
      args: [next],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** After the move: forward what still arrives to the successor until quiet, then end. */
export async function forwardUntilQuiet(
  successorId: string,
  queue: ((to: ReturnType<typeof getExternalWorkflowHandle>) => Promise<void>)[],
): Promise<void> {
  const to = getExternalWorkflowHandle(successorId);
  await condition(allHandlersFinished);
  for (;;) {
    while (queue.length) await queue.shift()!(to);
    if (!(await condition(() => queue.length > 0, FORWARD_QUIET))) break;
  }
  await condition(allHandlersFinished);
  while (queue.length) await queue.shift()!(to);
}
