import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type ImportedCaseRef, startImportedCases } from '../clients/imported-cases';
import { firstDayOfMonth } from '../domain/dates';
import { countyOf } from '../domain/region';
import type { CaseInput, ImportedCaseReads, ImportedCaseStart, ImportOutcome } from '../workflows/contracts';
import { type ActivityDeps, reposOf } from './deps';
import { importPace } from './import-pace';

// Side effects of the caseload import (API.md "Documents and onboarding"): the import workflow's
// progress, and the imported case's starting input read from the stored batch. The case row and
// the enrolments are recordCase's (activities/applications.ts), as at approval.

export function importActivities(deps: ActivityDeps) {
  const { imports, policies, deathNotices } = reposOf(deps);
  const caseInput = async (ref: ImportedCaseStart['importRef']): Promise<CaseInput> => {
    const stored = await imports.household(ref.importId, ref.seq);
    if (!stored || stored.caseId !== ref.caseId)
      throw ApplicationFailure.nonRetryable(`no household ${ref.seq} in import ${ref.importId}`, 'NotFound');
    const { household: h, context, createdBy } = stored;
    return {
      caseId: stored.caseId,
      applicationId: '',
      category: h.category,
      villageCode: h.villageCode,
      residence: h.residence,
      members: h.members.map((m) => ({ ...m, covered: true })),
      approvedOn: firstDayOfMonth(h.startMonth),
      approvedBy: createdBy,
      startMonth: h.startMonth,
      monthlyAmount: h.monthlyAmount,
      closeRelative: h.closeRelative,
      unstableIncome: h.unstableIncome,
      policy: context.policy,
      deadlines: context.deadlines,
      runtimeYears: context.runtimeYears,
      imported: {
        importId: ref.importId,
        importedBy: createdBy,
        nextReviewOn: firstDayOfMonth(h.nextReviewMonth),
        ...(h.taperReportedOn ? { taperReportedOn: h.taperReportedOn } : {}),
        ...(h.paidThroughMonth ? { paidThroughMonth: h.paidThroughMonth } : {}),
      },
    };
  };
  return {
    /** What the import made of a page of households, once per household (its progress). */
    async recordImportOutcomes(args: { importId: string; outcomes: ImportOutcome[] }): Promise<void> {
      await imports.recordOutcomes(args.importId, args.outcomes);
    },

    /**
     * R-M1: the case workflows of a page of created households, started by reference (ids only),
     * `lanes` at a time, no faster than the workers take them up (import-pace.ts); heartbeats as
     * they start and while they wait. Idempotent (clients/imported-cases.ts).
     */
    async startImportedCases(args: {
      importId: string;
      cases: ImportedCaseRef[];
      lanes: number;
    }): Promise<void> {
      const ctx = Context.current();
      const paceDeps = {
        waitingCases: imports.waitingCases.bind(imports),
        pause: async (ms: number) => {
          ctx.heartbeat();
          await ctx.sleep(ms);
        },
      };
      const { pace, started } = importPace(paceDeps, args.importId, args.cases, deps.importWaitingCases ?? 0);
      await startImportedCases(
        deps.temporal ?? ctx.client,
        ctx.info.taskQueue,
        args.importId,
        args.cases,
        args.lanes,
        (ref) => {
          started(ref);
          ctx.heartbeat();
        },
        pace,
      );
    },

    /** The case workflow's input for an imported household (R-M1, R-M3, R-M4, R-O1). */
    importedCaseInput: caseInput,

    /**
     * An imported case's reads before its first month in one call (its first workflow task runs one
     * local activity instead of three): its input, the county's versions newer than the batch's
     * (R-M8) and the death notices waiting for its members (R-M2).
     */
    async importedCaseStart(ref: ImportedCaseStart['importRef']): Promise<ImportedCaseReads> {
      const input = await caseInput(ref);
      const [newer, notices] = await Promise.all([
        policies.newerThan(countyOf(input.villageCode), input.policy.version),
        deathNotices.waitingFor(input.members.map((m) => m.idNumber)),
      ]);
      return { input, newerPolicies: newer, waitingDeathNotices: notices };
    },
  };
}
