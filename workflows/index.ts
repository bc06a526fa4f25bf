// The worker's workflow bundle: every workflow type the task queue serves.
export { applicationWorkflow } from './application';
export { caseWorkflow } from './case';
export { standardAdjustmentWorkflow } from './standard-adjustment';
