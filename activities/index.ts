import { applicationActivities } from './applications';
import { caseActivities } from './cases';
import { closeRelativeActivities } from './close-relatives';
import { complaintActivities } from './complaints';
import { type ActivityDeps, reposOf } from './deps';
import { enrolmentActivities } from './enrolments';
import { importActivities } from './imports';
import { payrollActivities } from './payroll';
import { registerActivities } from './register';
import { retentionActivities } from './retention';
import { spotCheckActivities } from './spot-checks';
import { temporaryAssistanceActivities } from './temporary-assistance';

// Every side effect the workflows call, built from injected parts: the worker passes the real pool,
// tests pass their own (or replace single functions). One set of repositories serves them all.
export function createActivities(opts: ActivityDeps) {
  const deps: ActivityDeps = { ...opts, repos: reposOf(opts) };
  return {
    ...applicationActivities(deps),
    ...caseActivities(deps),
    ...enrolmentActivities(deps),
    ...importActivities(deps),
    ...complaintActivities(deps),
    ...payrollActivities(deps),
    ...registerActivities(deps),
    ...spotCheckActivities(deps),
    ...closeRelativeActivities(deps),
    ...temporaryAssistanceActivities(deps),
    ...retentionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
