import { Context } from '@temporalio/activity';
import type { Activities } from '../../activities';
import { startImportedCases } from '../../clients/imported-cases';
import type { fakeActivities } from '../../test/helpers/workflow-env';
import type { CaseInput, ImportOutcome } from '../../workflows/contracts';

// The caseload import's activities over an in-memory stored batch, for the recorded import history
// (the real ones are tested end to end in test/e2e/import.test.ts): recordCase makes a page of the
// batch's households into cases (created, already there, or failed with a reason naming no person)
// and stores each created case's input, which importedCaseInput then hands its case workflow.

type Fakes = ReturnType<typeof fakeActivities>;

/** One household of a stored batch and what recording it makes of it. */
export interface StoredHousehold {
  seq: number;
  outcome: ImportOutcome['outcome'];
  reason?: string;
  /** The case input the stored household gives (for a created case). */
  input: CaseInput;
}

export function fakeImports(base: Fakes) {
  const state = {
    batches: new Map<string, StoredHousehold[]>(),
    /** What the import recorded as its progress, by import id. */
    outcomes: new Map<string, ImportOutcome[]>(),
  };
  const activities: Pick<Activities, 'recordCase' | 'recordImportOutcomes' | 'startImportedCases'> = {
    recordCase: async (a) => {
      if (!('imported' in a)) return base.activities.recordCase(a);
      const { importId, fromSeq, toSeq } = a.imported;
      const page = (state.batches.get(importId) ?? []).filter((h) => h.seq >= fromSeq && h.seq <= toSeq);
      for (const h of page) if (h.outcome === 'created') base.calls.imported.set(h.input.caseId, h.input);
      return {
        caseId: '',
        imported: page.map(({ seq, outcome, reason, input }) => ({
          seq,
          caseId: input.caseId,
          outcome,
          ...(reason ? { reason } : {}),
        })),
      };
    },
    // The real start (clients/imported-cases.ts) through the test server's client.
    startImportedCases: async ({ importId, cases, lanes }) => {
      const ctx = Context.current();
      await startImportedCases(ctx.client, ctx.info.taskQueue, importId, cases, lanes);
    },
    recordImportOutcomes: async ({ importId, outcomes }) => {
      const seen = state.outcomes.get(importId) ?? [];
      state.outcomes.set(importId, [...seen, ...outcomes.filter((o) => !seen.some((s) => s.seq === o.seq))]);
    },
  };
  return { activities, state };
}
