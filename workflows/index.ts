// The worker's workflow bundle: every workflow type the task queue serves.
export { applicationWorkflow } from './application/workflow';
export { caseWorkflow } from './case/workflow';
export { complaintWorkflow } from './complaint/workflow';
export { importWorkflow } from './import/workflow';
export { payrollSchedulerWorkflow } from './payroll/scheduler';
export { payrollWorkflow } from './payroll/workflow';
export { registerWorkflow } from './register/workflow';
export { retentionPurgeWorkflow } from './retention/workflow';
export { spotCheckItemWorkflow } from './spot-check/item';
export { spotCheckRoundWorkflow, spotCheckSchedulerWorkflow } from './spot-check/round';
export { standardAdjustmentWorkflow } from './standard/workflow';
export { temporaryAssistanceWorkflow } from './temporary-assistance/workflow';

import type { applicationWorkflow as application } from './application/workflow';
import type { ApplicationWorkflow, TemporaryAssistanceWorkflow } from './contracts';
import type { temporaryAssistanceWorkflow as temporaryAssistance } from './temporary-assistance/workflow';
// The contract's signature is the function's own (checked by the compiler, nothing at run time).
export type _ApplicationContract = typeof application extends ApplicationWorkflow ? true : never;
export type _TemporaryAssistanceContract = typeof temporaryAssistance extends TemporaryAssistanceWorkflow
  ? true
  : never;
