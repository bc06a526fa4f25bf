import type { HolderKind } from '../db/repositories/enrolments';
import type { ImportedHousehold, RowProblem } from '../domain/caseload-import';
import type { ApplicationContext } from '../workflows/contracts';
import type { ImportFormat } from './import-file';

// What the API and an import thread (api/import-thread.ts) tell each other about one upload: the
// file and its context in, progress and the enrolment questions (R-A1) out, then the outcome in
// chunks, so neither side spends long on one message.

export interface CheckRequest {
  type: 'check';
  /** The file's bytes, transferred (a copy of the request body). */
  file: Uint8Array;
  format: ImportFormat;
  countyCode: string;
  today: string;
  context: ApplicationContext;
}

/** The API's answer to a `holders` question: `[idNumber, holderKind, holderId]` of the active holders. */
export interface HoldersAnswer {
  type: 'holders';
  req: number;
  held?: [string, HolderKind, string][];
  error?: boolean;
}

export type ToThread = CheckRequest | HoldersAnswer;

export type FromThread =
  /** `rowsTotal` once the file is read; `rowsChecked` as the rows are validated. */
  | { type: 'progress'; rowsTotal?: number; rowsChecked: number }
  | { type: 'holders'; req: number; ids: string[] }
  | { type: 'households'; items: ImportedHousehold[] }
  | { type: 'problems'; items: RowProblem[] }
  | { type: 'done'; rowsTotal: number; householdsTotal: number }
  /** A problem+json answer (400: unreadable file or header), as ProblemError carries it. */
  | {
      type: 'refused';
      status: number;
      problemType: string;
      title: string;
      detail?: string;
      extra: Record<string, unknown>;
    }
  | { type: 'failed'; message: string };
