import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type Admitted, admitImport } from './import-admission';
import type { CheckJob, CheckProgress, ImportThreads } from './import-threads';
import { ProblemError, unavailable } from './problem';

// An upload answered at once (`Prefer: respond-async`, API.md "Documents and onboarding"): its
// validation runs after the answer, its progress written to `import_validations` every second
// (the write also shows that the API still works on it), then the batch admitted like a
// synchronous upload's — or the refusal stored as the synchronous answer would have carried it.

const PROGRESS_MS = 1000;
/** A validation not moved for this long was interrupted (its API stopped). */
export const INTERRUPTED_AFTER_S = 60;
/** Temporal away when the batch is admitted: the start is tried again this many times. */
const START_TRIES = 6;

export function interruptedProblem(): Record<string, unknown> {
  return unavailable(
    'the validation of this file stopped before its end (the API stopped); send the file again with a new Idempotency-Key',
  ).toProblem();
}

export async function validateLater(
  app: FastifyInstance,
  threads: ImportThreads,
  log: FastifyBaseLogger,
  a: Omit<Parameters<typeof admitImport>[1], 'checked'> & { job: CheckJob },
): Promise<void> {
  const repo = app.repos.importValidations;
  let latest: CheckProgress = { rowsChecked: 0 };
  const timer = setInterval(() => {
    repo.progress(a.importId, latest).catch((err) => log.warn({ err }, 'import progress not written'));
  }, PROGRESS_MS);
  try {
    const checked = await threads.check(a.job, (p) => {
      latest = { ...latest, ...p };
    });
    clearInterval(timer);
    let admitted: Admitted | undefined;
    for (let i = 1; !admitted; i++) {
      admitted = await admitImport(app, { ...a, checked }).catch(async (err) => {
        if (!(err instanceof ProblemError && err.status === 503) || i >= START_TRIES) throw err;
        await new Promise((r) => setTimeout(r, 5000 * i));
        return undefined;
      });
    }
    await repo.finish(a.importId, { status: 'accepted', rowsTotal: admitted.rowsTotal });
    log.info(
      { importId: a.importId, households: admitted.householdsTotal, rowsInvalid: admitted.rowsInvalid },
      'caseload import started',
    );
  } catch (err) {
    clearInterval(timer);
    if (!(err instanceof ProblemError)) log.error({ err, importId: a.importId }, 'caseload check failed');
    const problem =
      err instanceof ProblemError
        ? err.toProblem()
        : new ProblemError(
            500,
            'import-failed',
            'Import failed',
            'the file could not be checked',
          ).toProblem();
    await repo
      .finish(a.importId, { status: 'refused', problem })
      .catch((e) => log.error({ err: e, importId: a.importId }, 'import refusal not written'));
  }
}
