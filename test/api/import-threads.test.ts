import { afterAll, describe, expect, it } from 'vitest';
import { importThreads } from '../../api/import-threads';
import { type ActiveHolders, checkUpload } from '../../api/import-validation';
import { ProblemError } from '../../api/problem';
import { importedCaseId } from '../../domain/caseload-import';
import { civilDateOf } from '../../domain/dates';
import { COUNTY_CODE, HEADERS, households, toCsv, toXlsx } from '../helpers/caseload';
import { context } from '../helpers/fixtures';

// An upload checked in an import thread (api/import-threads.ts) comes to exactly what the same
// validation gives on the calling thread: the thread moves the work, not the rules (R-A1, R-M3).

const today = civilDateOf(new Date());
const idKeys = { keys: new Map([['t1', Buffer.alloc(32, 1)]]), currentKeyId: 't1' };
const opts = { countyCode: COUNTY_CODE, today, context: context(), idKeys };

/** A file with every kind of outcome: valid households, bad rows, a member held by another case. */
function mixedFile() {
  const hh = households(6, { size: 2 });
  hh[1]!.rows[1]![7] = '650.123'; // three decimal places
  hh[2]!.rows[0]![2] = '110101001001'; // another county's village
  hh[4]!.rows[1]![5] = hh[3]!.ids[0]!; // one member in two households
  const holders: ActiveHolders = async (ids) =>
    new Map(
      ids
        .filter((id) => id === hh[5]!.ids[1] || id === hh[0]!.ids[0])
        .map((id) => [
          id,
          id === hh[0]!.ids[0]
            ? { kind: 'case' as const, id: importedCaseId(idKeys, COUNTY_CODE, hh[0]!.key) } // its own case: no problem
            : { kind: 'application' as const, id: 'A140802202601010000000000' },
        ]),
    );
  return { hh, holders };
}

const pools: ReturnType<typeof importThreads>[] = [];
const pool = (holders: ActiveHolders, threads = 1, queue = 2) => {
  const p = importThreads({ threads, queue, activeHolders: holders, idKeys });
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('import threads', () => {
  it('R-A1 R-M3: a CSV checked in a thread gives the same households, problems and counts as on the calling thread', async () => {
    const { hh, holders } = mixedFile();
    const file = toCsv(hh);
    const here = await checkUpload(file, 'csv', holders, opts);
    const progress: { rowsTotal?: number; rowsChecked: number }[] = [];
    const there = await pool(holders).check({ file, format: 'csv', ...opts }, (p) => progress.push(p));
    expect(there).toEqual({
      rowsTotal: here.rowsTotal,
      householdsTotal: here.households.length,
      problems: here.problems,
      valid: here.valid,
    });
    expect(there.rowsTotal).toBe(12);
    // The first of two households naming one member keeps it; the second is refused (R-A1).
    expect(there.valid.map((h) => h.householdKey)).toEqual([hh[0]!.key, hh[3]!.key]);
    expect(there.problems.map((p) => p.household)).toContain(hh[5]!.key);
    expect(progress[0]).toEqual({ rowsTotal: 12, rowsChecked: 0 });
    // The request body is the caller's still (the thread got a copy).
    expect(file.toString('utf8')).toContain(hh[0]!.key);
  }, 60_000);

  it('R-A1: an XLSX, and a file of more rows than one message carries, come back whole', async () => {
    const many = households(3000, { size: 2 });
    const none: ActiveHolders = async () => new Map();
    const threads = pool(none);
    const big = await threads.check({ file: toCsv(many), format: 'csv', ...opts });
    expect(big.valid).toHaveLength(3000);
    expect(big.valid).toEqual((await checkUpload(toCsv(many), 'csv', none, opts)).valid);
    const xlsx = await toXlsx(many.slice(0, 5));
    expect(await threads.check({ file: xlsx, format: 'xlsx', ...opts })).toMatchObject({
      rowsTotal: 10,
      householdsTotal: 5,
      problems: [],
    });
  }, 60_000);

  it('R-A1: an unreadable file or a wrong header is the same 400 as on the calling thread', async () => {
    const threads = pool(async () => new Map());
    const bad = toCsv(
      households(1),
      HEADERS.filter((h) => h !== 'monthly_amount'),
    );
    const here = await checkUpload(bad, 'csv', async () => new Map(), opts).catch((e) => e);
    const there = await threads.check({ file: bad, format: 'csv', ...opts }).catch((e) => e);
    expect(there).toBeInstanceOf(ProblemError);
    expect((there as ProblemError).toProblem()).toEqual((here as ProblemError).toProblem());
    const garbage = Buffer.from('PK\u0003\u0004 not a workbook');
    expect(
      ((await threads.check({ file: garbage, format: 'xlsx', ...opts }).catch((e) => e)) as ProblemError)
        .status,
    ).toBe(400);
    // The thread is still there for the next upload.
    expect((await threads.check({ file: toCsv(households(1)), format: 'csv', ...opts })).valid).toHaveLength(
      1,
    );
  }, 60_000);

  it('R-A1: uploads past the threads and the queue are a 503 with Retry-After; the queued ones are checked', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // The enrolment check waits: the first upload holds the one thread until released.
    const threads = pool(
      async () => {
        await gate;
        return new Map();
      },
      1,
      1,
    );
    const job = () => ({ file: toCsv(households(2)), format: 'csv' as const, ...opts });
    const first = threads.check(job());
    const queued = threads.check(job());
    const refused = await threads.check(job()).catch((e) => e);
    expect(refused).toBeInstanceOf(ProblemError);
    expect((refused as ProblemError).status).toBe(503);
    expect((refused as ProblemError).headers['retry-after']).toBeDefined();
    release();
    expect((await first).valid).toHaveLength(2);
    expect((await queued).valid).toHaveLength(2);
  }, 60_000);
});
