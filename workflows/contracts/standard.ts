import { defineSignal } from '@temporalio/workflow';
import type { PolicyParameters } from '../../domain/policy';

// R-M8: a new standard, signalled to every open case of its county page by page by the fan-out
// `standard:<version>`.

export interface StandardChange {
  policy: PolicyParameters;
}
/** R-M8: the county's standard changed (possibly from a past month). */
export const standardChangedSignal = defineSignal<[StandardChange]>('standardChanged');

export const standardAdjustmentWorkflowId = (version: string) => `standard:${version}`;
export interface StandardAdjustmentInput {
  policy: PolicyParameters;
  /** Resume point across continue-as-new: case ids after this one. */
  afterCaseId?: string;
  signalled?: number;
}
