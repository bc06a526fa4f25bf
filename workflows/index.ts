// The worker's workflow bundle: every workflow type the task queue serves.
export { applicationWorkflow } from './application';
