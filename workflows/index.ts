// The worker's workflow bundle: every workflow type the task queue serves.
export { applicationWorkflow } from './application';
export { caseWorkflow } from './case';
export { complaintWorkflow } from './complaint';
export { importWorkflow } from './import';
export { payrollWorkflow } from './payroll';
export { payrollSchedulerWorkflow } from './payroll-scheduler';
export { registerWorkflow } from './register';
export { spotCheckItemWorkflow } from './spot-check-item';
export { spotCheckRoundWorkflow, spotCheckSchedulerWorkflow } from './spot-check-round';
export { standardAdjustmentWorkflow } from './standard-adjustment';
