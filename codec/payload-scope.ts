import type { SerializationContext } from '@temporalio/common';

// R-O7: whose region a payload belongs to. Every workflow id of the contracts names its county
// right after its prefix (`application:A<county>…`, `case:A<county>…`/`I<county>…`,
// `register:<county>:…`, `complaint:C<county>…`, `payroll:<county>:…`, `import:C<county>…`,
// `spotcheck:<county>:…`, `spotcheck-item:SC-A<county>…`, `standard:<county>-…`), and the SDK hands
// the codec the workflow a payload belongs to (its serialization context: the workflow, or the
// workflow that scheduled the activity). A payload of no known workflow (a Schedule's action, a
// scheduler's own) has no region: only a province-level caller may decode it.

const COUNTY_IN_ID = /^[a-z][a-z-]*:(?:SC-)?[A-Z]?(\d{6})/;

export interface PayloadScope {
  workflowId?: string;
  region?: string;
}

/** The county a workflow id names, if any. */
export function regionOfWorkflowId(workflowId: string | undefined): string | undefined {
  return workflowId ? COUNTY_IN_ID.exec(workflowId)?.[1] : undefined;
}

/** The workflow and county of a serialization context. */
export function scopeOf(context: SerializationContext | undefined): PayloadScope {
  const workflowId = context?.workflowId;
  return workflowId ? { workflowId, region: regionOfWorkflowId(workflowId) } : {};
}

/** R-O7: whether a caller of `callerRegion` may read a payload of `region` (none: a province only). */
export function coversPayload(callerRegion: string, region: string | undefined): boolean {
  return region ? region.startsWith(callerRegion) : callerRegion.length <= 2;
}

/** The record a workflow id stands for, as the audit names its subjects (R-O6). */
export function recordOfWorkflowId(workflowId: string): { kind: string; id: string } {
  const [prefix, ...rest] = workflowId.split(':');
  const id = rest.join(':');
  if (prefix === 'application' || prefix === 'case' || prefix === 'complaint') return { kind: prefix, id };
  if (prefix === 'register' && rest.length === 2) return { kind: 'register', id: rest[1]! };
  return { kind: 'temporal_workflow', id: workflowId };
}
