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
