import { type ActivityDeps, applicationActivities } from './applications';
import { caseActivities } from './cases';
import { payrollActivities } from './payroll';

// Every side effect the workflows call, built from injected parts: the worker passes the real pool,
// tests pass their own (or replace single functions).
export function createActivities(deps: ActivityDeps) {
  return {
    ...applicationActivities(deps),
    ...caseActivities(deps),
    ...payrollActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
