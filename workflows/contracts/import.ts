import { defineQuery } from '@temporalio/workflow';
import type { CivilDate, YearMonth } from '../../domain/dates';

// The caseload import's messages (API.md "Documents and onboarding"). Only ids and counts travel
// through the import workflow: the households are read from Postgres by (import, seq).

export const importWorkflowId = (importId: string) => `import:${importId}`;

export type ImportOutcomeKind = 'created' | 'already_present' | 'failed';

export interface ImportCounts {
  done: number;
  created: number;
  alreadyPresent: number;
  failed: number;
}

export interface ImportInput {
  importId: string;
  countyCode: string;
  /** Households in the stored batch, numbered 1…total. */
  total: number;
  /** Carried over continue-as-new: the households before it are done. */
  afterSeq?: number;
  counts?: ImportCounts;
  /** Households in flight at once (bounded concurrency). */
  concurrency?: number;
  /** Households a run handles before it continues as new (a bounded history). */
  householdsPerRun?: number;
}

export interface ImportResult extends ImportCounts {
  importId: string;
  total: number;
}

/** What the import made of one household: the case id, and why it failed (never a name or ID number). */
export interface ImportOutcome {
  seq: number;
  caseId: string;
  outcome: ImportOutcomeKind;
  reason?: string;
}

/** The import's household a case workflow starts from (its state is read by the case, not carried here). */
export interface ImportedCaseStart {
  importRef: { importId: string; seq: number; caseId: string };
}

/** R-M1, R-M3, R-M4: the state an imported case starts in, instead of an approval. */
export interface ImportedState {
  importId: string;
  importedBy: string;
  nextReviewOn: CivilDate;
  taperReportedOn?: CivilDate;
  /** R-M10: the last month the previous system paid, when the file says (else: up to the import). */
  paidThroughMonth?: YearMonth;
}

export const importProgressQuery = defineQuery<ImportResult>('importProgress');
