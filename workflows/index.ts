// The worker's workflow bundle: every workflow type the task queue serves.
export { applicationWorkflow } from './application';
export { caseWorkflow } from './case';
export { complaintWorkflow } from './complaint';
export { payrollWorkflow } from './payroll';
export { payrollSchedulerWorkflow } from './payroll-scheduler';
export { standardAdjustmentWorkflow } from './standard-adjustment';
