import type { SaveComplaintArgs } from '../db/repositories/complaints';
import { type ActivityDeps, reposOf } from './deps';

// Side effects of the complaint workflow (R-O4): its ledger row and audit events, written once per
// history entry (event key) and never overwritten by an older snapshot (version guard). Its
// supervisor flags go through `notifySupervisor`, shared with the other workflows.
export function complaintActivities(deps: ActivityDeps) {
  const repos = reposOf(deps);
  return {
    async saveComplaint(args: SaveComplaintArgs): Promise<void> {
      await repos.complaints.save(args);
    },
  };
}
