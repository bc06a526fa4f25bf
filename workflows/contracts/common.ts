import { ApplicationFailure } from '@temporalio/common';

// Workflow ids and typed business failures shared by every workflow (free of I/O: imported by the
// workflows, the activities and the API alike).

// ---- Workflow ids: business keys with a prefix, and back.
export const applicationWorkflowId = (applicationId: string) => `application:${applicationId}`;
export const caseWorkflowId = (caseId: string) => `case:${caseId}`;
export function idFromWorkflowId(workflowId: string, prefix: 'application' | 'case'): string | undefined {
  return workflowId.startsWith(`${prefix}:`) ? workflowId.slice(prefix.length + 1) : undefined;
}

// ---- Typed business failures (nonRetryable ApplicationFailure types; the API maps them to 409/400).
export const FAILURE = {
  wrongStage: 'WrongStage',
  wrongRole: 'WrongRole',
  invalidStep: 'InvalidStep',
  publicityNotEnded: 'PublicityNotEnded',
  notFound: 'NotFound',
  /** R-A1: a member is already in an open application or an active case. */
  alreadyEnrolled: 'AlreadyEnrolled',
} as const;
export type FailureType = (typeof FAILURE)[keyof typeof FAILURE];

/** R-A1: where a person is held (an open application or an active case). */
export interface EnrolmentHolder {
  idNumber: string;
  holderKind: 'application' | 'case';
  holderId: string;
}

/**
 * R-A1: a person is already held elsewhere. R-O7: the message names the holder only; the ID number
 * travels in the details, which are payloads (encrypted), and never in an HTTP answer.
 */
export const alreadyEnrolledFailure = (held: EnrolmentHolder, extra: Record<string, unknown> = {}) =>
  ApplicationFailure.create({
    type: FAILURE.alreadyEnrolled,
    message: `a member is already in ${held.holderKind} ${held.holderId}`,
    nonRetryable: true,
    details: [{ idNumber: held.idNumber, holderKind: held.holderKind, holderId: held.holderId, ...extra }],
  });
