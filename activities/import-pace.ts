import type { Pace } from '../clients/backlog-pace';
import type { ImportedCaseRef } from '../clients/imported-cases';

// The caseload import's pace (README "Caseload import"): a page's case workflows are started only
// while fewer than `bound` of the import's cases wait for their first task: those of the pages
// before it (up to WINDOW households back: two pages) and those of this page started so far,
// whose workflow has not yet saved its first state. A case stuck before its first save holds a
// place only while it is within WINDOW of the page being started, so stuck cases slow an import,
// never stop it.

/** Households before the page whose cases still count as waiting. */
export const WINDOW = 400;
/** Between two looks at the waiting cases while there is no room: bound ÷ pause caps the rate (20 → 100/s). */
const PAUSE_MS = 200;

export interface PaceDeps {
  waitingCases(importId: string, fromSeq: number, toSeq: number, seqs: number[]): Promise<number>;
  /** Sleeps, and tells Temporal the activity is alive (heartbeat). */
  pause(ms: number): Promise<void>;
}

export function importPace(
  deps: PaceDeps,
  importId: string,
  cases: readonly ImportedCaseRef[],
  bound: number,
): { pace?: Pace; started(ref: ImportedCaseRef): void } {
  const startedSeqs: number[] = [];
  const started = (ref: ImportedCaseRef) => void startedSeqs.push(ref.seq);
  if (!(bound > 0) || cases.length === 0) return { started };
  const first = Math.min(...cases.map((c) => c.seq));
  return {
    started,
    pace: {
      async room() {
        const waiting = await deps.waitingCases(
          importId,
          Math.max(1, first - WINDOW),
          first - 1,
          startedSeqs,
        );
        return bound - waiting;
      },
      pause: () => deps.pause(PAUSE_MS),
    },
  };
}
