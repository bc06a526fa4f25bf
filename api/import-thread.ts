import { parentPort, workerData } from 'node:worker_threads';
import type { HolderKind } from '../db/repositories/enrolments';
import type { IdKeys } from '../domain/keyed-id';
import type { CheckRequest, FromThread, HoldersAnswer, ToThread } from './import-thread-messages';
import { checkUpload } from './import-validation';
import { ProblemError } from './problem';

// An import thread: reads an uploaded caseload file and validates every row (api/import-validation.ts)
// off the API's event loop. The enrolment check (R-A1) asks the API, which owns the database pool,
// a chunk of ID numbers at a time. One upload at a time; the thread stays for the next one.

const port = parentPort;
if (!port) throw new Error('api/import-thread.ts runs as a worker thread (api/import-threads.ts)');

/** ID numbers per question (the repository reads them 10,000 at a time). */
const HOLDER_CHUNK = 10_000;
const HOUSEHOLD_CHUNK = 2_000;
const PROBLEM_CHUNK = 5_000;

/** R-O7: the keys of imported case ids (ID_KEYS), from the API that started the thread. */
const { idKeys } = workerData as { idKeys: IdKeys };

const send = (m: FromThread) => port.postMessage(m);
let asked = 0;
const answers = new Map<number, (a: HoldersAnswer) => void>();

async function activeHolders(ids: string[]): Promise<Map<string, { kind: HolderKind; id: string }>> {
  const held = new Map<string, { kind: HolderKind; id: string }>();
  for (let i = 0; i < ids.length; i += HOLDER_CHUNK) {
    const req = ++asked;
    const answer = await new Promise<HoldersAnswer>((resolve) => {
      answers.set(req, resolve);
      send({ type: 'holders', req, ids: ids.slice(i, i + HOLDER_CHUNK) });
    });
    if (answer.error || !answer.held) throw new Error('the enrolment check failed');
    for (const [id, kind, holder] of answer.held) held.set(id, { kind, id: holder });
  }
  return held;
}

async function check(m: CheckRequest): Promise<void> {
  try {
    const file = Buffer.from(m.file.buffer, m.file.byteOffset, m.file.byteLength);
    const v = await checkUpload(file, m.format, activeHolders, {
      countyCode: m.countyCode,
      today: m.today,
      context: m.context,
      idKeys,
      onRead: (rowsTotal) => send({ type: 'progress', rowsTotal, rowsChecked: 0 }),
      onChecked: (rowsChecked) => send({ type: 'progress', rowsChecked }),
    });
    for (let i = 0; i < v.valid.length; i += HOUSEHOLD_CHUNK)
      send({ type: 'households', items: v.valid.slice(i, i + HOUSEHOLD_CHUNK) });
    for (let i = 0; i < v.problems.length; i += PROBLEM_CHUNK)
      send({ type: 'problems', items: v.problems.slice(i, i + PROBLEM_CHUNK) });
    send({ type: 'done', rowsTotal: v.rowsTotal, householdsTotal: v.households.length });
  } catch (err) {
    if (err instanceof ProblemError)
      send({
        type: 'refused',
        status: err.status,
        problemType: err.problemType,
        title: err.title,
        ...(err.detail ? { detail: err.detail } : {}),
        extra: err.extra,
      });
    else send({ type: 'failed', message: (err as Error).message ?? String(err) });
  }
}

port.on('message', (m: ToThread) => {
  if (m.type === 'holders') {
    answers.get(m.req)?.(m);
    answers.delete(m.req);
  } else void check(m);
});
