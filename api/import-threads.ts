import { Worker } from 'node:worker_threads';
import type { ImportedHousehold, RowProblem } from '../domain/caseload-import';
import type { IdKeys } from '../domain/keyed-id';
import type { ApplicationContext } from '../workflows/contracts';
import type { ImportFormat } from './import-file';
import type { CheckRequest, FromThread, ToThread } from './import-thread-messages';
import type { ActiveHolders } from './import-validation';
import { ProblemError, unavailable } from './problem';

// API.md "Documents and onboarding": an uploaded caseload (up to 128 MiB) is read and validated in
// an import thread (api/import-thread.ts), never on the API's event loop, so every other request
// is answered meanwhile. At most `threads` uploads are checked at once, each thread started on
// first use and kept; `queue` more wait for one; past that an upload is a 503 with Retry-After.
// The thread asks the API for the enrolments it checks (R-A1): the database pool stays here.

export interface CheckJob {
  file: Buffer;
  format: ImportFormat;
  countyCode: string;
  today: string;
  context: ApplicationContext;
}

export interface CheckProgress {
  /** Member rows in the file, once it is read. */
  rowsTotal?: number;
  rowsChecked: number;
}

export interface CheckOutcome {
  rowsTotal: number;
  /** Households in the file, valid or not. */
  householdsTotal: number;
  /** Every row problem, by row. */
  problems: RowProblem[];
  /** Households with no problem, in file order. */
  valid: ImportedHousehold[];
}

export interface ImportThreads {
  check(job: CheckJob, onProgress?: (p: CheckProgress) => void): Promise<CheckOutcome>;
  close(): Promise<void>;
}

const ENTRY = new URL('./import-thread.mjs', import.meta.url);
const MODULE = new URL('./import-thread.ts', import.meta.url).href;

export function importThreads(opts: {
  threads: number;
  queue: number;
  activeHolders: ActiveHolders;
  /** R-O7: the keys of imported case ids, handed to each thread as it starts. */
  idKeys: IdKeys;
}): ImportThreads {
  const all = new Set<Worker>();
  const idle: Worker[] = [];
  const waiting: { resolve(w: Worker): void; reject(e: Error): void }[] = [];
  let closed = false;

  const spawn = () => {
    const w = new Worker(ENTRY, { workerData: { entry: MODULE, idKeys: opts.idKeys } });
    w.unref();
    all.add(w);
    // A thread that stops while idle (it should not) is never handed an upload again.
    w.once('exit', () => {
      all.delete(w);
      if (idle.includes(w)) idle.splice(idle.indexOf(w), 1);
    });
    return w;
  };
  const acquire = (): Promise<Worker> => {
    if (closed) return Promise.reject(unavailable('the API is closing', 5));
    const w = idle.pop();
    if (w) return Promise.resolve(w);
    if (all.size < opts.threads) return Promise.resolve(spawn());
    if (waiting.length >= opts.queue)
      return Promise.reject(unavailable('every caseload check is busy; send the file again later', 30));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  /** A thread back after its upload, or gone (it failed): the next waiting upload gets one. */
  const release = (w: Worker, broken: boolean) => {
    if (broken) {
      all.delete(w);
      void w.terminate();
    }
    const next = waiting.shift();
    if (!next) {
      if (!broken && !closed) idle.push(w);
      return;
    }
    next.resolve(broken ? spawn() : w);
  };

  const run = (w: Worker, job: CheckJob, onProgress: (p: CheckProgress) => void) =>
    new Promise<CheckOutcome>((resolve, reject) => {
      const valid: ImportedHousehold[] = [];
      const problems: RowProblem[] = [];
      let settled = false;
      const settle = (broken: boolean, fn: () => void) => {
        if (settled) return;
        settled = true;
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        release(w, broken);
        fn();
      };
      const onError = (err: Error) => settle(true, () => reject(err));
      const onExit = (code: number) =>
        settle(true, () => reject(new Error(`the import thread stopped (exit code ${code})`)));
      const onMessage = (m: FromThread) => {
        switch (m.type) {
          case 'progress':
            return onProgress({
              rowsChecked: m.rowsChecked,
              ...(m.rowsTotal === undefined ? {} : { rowsTotal: m.rowsTotal }),
            });
          case 'holders':
            return void opts.activeHolders(m.ids).then(
              (held) =>
                w.postMessage({
                  type: 'holders',
                  req: m.req,
                  held: [...held].map(([id, h]) => [id, h.kind, h.id]),
                } satisfies ToThread),
              () => w.postMessage({ type: 'holders', req: m.req, error: true } satisfies ToThread),
            );
          case 'households':
            valid.push(...m.items);
            return;
          case 'problems':
            problems.push(...m.items);
            return;
          case 'done':
            return settle(false, () =>
              resolve({ rowsTotal: m.rowsTotal, householdsTotal: m.householdsTotal, problems, valid }),
            );
          case 'refused':
            return settle(false, () =>
              reject(new ProblemError(m.status, m.problemType, m.title, m.detail, m.extra)),
            );
          case 'failed':
            return settle(false, () => reject(new Error(`caseload check failed: ${m.message}`)));
        }
      };
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      // The thread gets a copy: the request body stays whole for the route (and its idempotency hash).
      const file = new Uint8Array(job.file.byteLength);
      file.set(job.file);
      const request: CheckRequest = { type: 'check', ...job, file };
      w.postMessage(request satisfies ToThread, [file.buffer]);
    });

  return {
    async check(job, onProgress = () => {}) {
      return run(await acquire(), job, onProgress);
    },
    async close() {
      closed = true;
      for (const q of waiting.splice(0)) q.reject(unavailable('the API is closing', 5));
      idle.length = 0;
      await Promise.all([...all].map((w) => w.terminate()));
    },
  };
}
