import { ApplicationFailure } from '@temporalio/common';
import type { CivilDate } from '../domain/dates';
import type { RateEntry } from '../domain/entitlement';
import type { PolicyParameters } from '../domain/policy';
import type {
  CaseHistoryEntry,
  CaseView,
  ClaimedRecoveries,
  DeathNotice,
  DeathNoticeOutcome,
  RepaymentDemand,
} from '../workflows/contracts';
import { type ActivityDeps, reposOf } from './deps';

// Side effects of the case-in-benefit workflow (R-M2 … R-M9), written through the repositories in
// db/: the case workflow is the one writer of its tables (cases, case_tasks, entitlements,
// case_months, case_adjustments, death_notices). Each is idempotent: a retried activity writes once
// (unique keys, ON CONFLICT, revision-guarded upserts).

/** A CHECK violation is a bug in the caller, not a passing fault: retrying it would loop forever. */
async function refusingInvalid<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: string }).code === '23514')
      throw ApplicationFailure.nonRetryable(`${what}: ${(err as Error).message}`, 'InvalidStep');
    throw err;
  }
}

export function caseActivities(deps: ActivityDeps) {
  const { cases, caseEntitlements, deathNotices, policies, repaymentDemands } = reposOf(deps);
  return {
    /**
     * The read model (cases row, view and revision guard), the case's tasks (case_tasks, for
     * supervision), one audit event per history entry (R-O6) and the release of enrolments (R-A1).
     */
    async saveCase(args: { view: CaseView; entries: CaseHistoryEntry[] }): Promise<void> {
      await cases.save(args.view, args.entries);
    },

    /** An effective-dated rate entry (entitlements table), once per key. */
    async recordRate(args: { caseId: string; entry: RateEntry; recordedOn: CivilDate }): Promise<void> {
      await caseEntitlements.recordRate(args.caseId, args.entry, args.recordedOn);
    },

    /** A month handed to the payroll at its roster cut-off (R-M1): once per case and month. */
    async recordMonth(args: Parameters<typeof caseEntitlements.recordMonth>[0]): Promise<void> {
      await refusingInvalid(`month ${args.month.month} of case ${args.caseId}`, () =>
        caseEntitlements.recordMonth(args),
      );
    },

    /** Back-pay or a recovery (R-M2, R-M5, R-M8), once per key; the payroll settles it. */
    async recordAdjustment(args: Parameters<typeof caseEntitlements.recordAdjustment>[0]): Promise<void> {
      await refusingInvalid(`adjustment ${args.adjustment.key}`, () =>
        caseEntitlements.recordAdjustment(args),
      );
    },

    /**
     * R-M10: a closed case's open recoveries become a repayment demand (no payroll offsets them
     * after this); null when nothing is left open. Once per demand id.
     */
    async claimOpenRecoveries(args: { caseId: string; demandId: string }): Promise<ClaimedRecoveries | null> {
      return repaymentDemands.claimOpenRecoveries(args.caseId, args.demandId);
    },

    /** R-M10: the demand as the case now keeps it (notice, repayments, write-off, status). */
    async saveDemand(args: { caseId: string; demand: RepaymentDemand }): Promise<void> {
      await repaymentDemands.save(args.caseId, args.demand);
    },

    /**
     * R-M8: the county's versions published after `afterVersion` (oldest first). A case that starts
     * after a standard change was fanned out catches up with it here.
     */
    async newerPolicies(args: { countyCode: string; afterVersion: string }): Promise<PolicyParameters[]> {
      return policies.newerThan(args.countyCode, args.afterVersion);
    },

    /** R-M8 fan-out: a page of the county's cases not closed, by case id. */
    async listOpenCases(args: {
      countyCode: string;
      afterCaseId?: string;
      limit: number;
    }): Promise<string[]> {
      return cases.openPage(args.countyCode, args.afterCaseId, args.limit);
    },

    /** R-M2: the case records a death notice it received and what it made of it (the table's one writer). */
    async recordDeathNotice(args: {
      caseId: string;
      notice: DeathNotice;
      outcome: DeathNoticeOutcome;
    }): Promise<void> {
      await deathNotices.record(args.caseId, args.notice, args.outcome);
    },

    /**
     * R-M2: notices for these persons that no case has recorded — kept while their application was
     * pending, or when they matched no one — for a case that now holds them (oldest first).
     */
    async waitingDeathNotices(args: { idNumbers: string[] }): Promise<DeathNotice[]> {
      return deathNotices.waitingFor(args.idNumbers);
    },
  };
}
