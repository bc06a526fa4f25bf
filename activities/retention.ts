import type { RetentionInput, RetentionResult } from '../workflows/contracts';
import { type ActivityDeps, reposOf } from './deps';

// R-O7: copies kept for technical reasons are purged once no longer needed — the API's replayed
// answers (`idempotency_keys`) and the households of finished caseload imports
// (`import_households`) — each table's purge audited in its own transaction (R-O6), by the
// Schedule that runs it. Idempotent: a retry deletes what has expired since, its event is written once.

const BY = { sub: 'retention-schedule', role: 'system' };

export function retentionActivities(deps: ActivityDeps) {
  const repos = reposOf(deps);
  return {
    async purgeExpiredCopies(args: RetentionInput & { runKey: string }): Promise<RetentionResult> {
      const p = { olderThanDays: args.retentionDays, runKey: args.runKey, by: BY };
      return {
        idempotencyKeys: await repos.idempotency.purgeOlderThan(p),
        importHouseholds: await repos.imports.purgeHouseholdsOlderThan(p),
      };
    },
  };
}
