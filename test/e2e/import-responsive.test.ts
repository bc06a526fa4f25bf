import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY_CODE, households, toCsv } from '../helpers/caseload';

// API.md "Documents and onboarding": a caseload file is read and checked off the API's event loop
// (api/import-threads.ts), so every other request is answered while a large upload is validated.
// With `Prefer: respond-async` the upload is answered at once and GET /v1/imports/{id} follows the
// validation. No worker: the large file below is refused (its last row is invalid) after every row
// was checked, and a valid file's import is started but not run.

let env: ApiEnv;

beforeAll(async () => {
  env = await startApiEnv({ sub: 'import-responsive', worker: false });
  const res = await env.api.inject({
    method: 'PUT',
    url: '/v1/admin/standards',
    headers: env.as('admin', '14'),
    payload: {
      countyCode: COUNTY_CODE,
      effectiveFrom: '2020-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    },
  });
  expect(res.statusCode).toBe(200);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

/** 30,000 households (60,000 rows), the last row's amount invalid: the whole file is checked, then refused. */
function largeInvalidFile(): Buffer {
  const hh = households(30_000, { size: 2 });
  hh.at(-1)!.rows[1]![7] = '650.123';
  return toCsv(hh);
}

const post = (file: Buffer, prefer?: string, key?: string) =>
  env.api.inject({
    method: 'POST',
    url: `/v1/imports/cases?countyCode=${COUNTY_CODE}`,
    headers: {
      ...env.as('admin', COUNTY_CODE),
      'content-type': 'text/csv',
      ...(prefer ? { prefer } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    payload: file,
  });
const status = async (id: string) =>
  (await env.api.inject({ url: `/v1/imports/${id}`, headers: env.as('admin', COUNTY_CODE) })).json();

describe('caseload upload and the event loop', () => {
  it('R-A1: /health answers throughout the validation of a large upload (no wait longer than a quarter of the upload)', async () => {
    const file = largeInvalidFile();
    const t0 = performance.now();
    let answered = false;
    const upload = post(file).finally(() => {
      answered = true;
    });
    // The gaps between successive /health answers: a blocked event loop shows as one long gap.
    const gaps: number[] = [];
    let last = t0;
    while (!answered) {
      const h = await env.api.inject({ url: '/health' });
      expect(h.statusCode).toBe(200);
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      await new Promise((r) => setTimeout(r, 5));
    }
    const res = await upload;
    const total = performance.now() - t0;
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ rowsTotal: 60_000, rowsInvalid: 1 });
    expect(gaps.length).toBeGreaterThan(10);
    expect(Math.max(...gaps)).toBeLessThan(total / 4);
  }, 180_000);

  it('R-A1: Prefer: respond-async answers 202 at once; GET shows the validation, then the same refusal the upload would have answered', async () => {
    const file = largeInvalidFile();
    const res = await post(file, 'respond-async');
    expect(res.statusCode).toBe(202);
    expect(res.headers['preference-applied']).toBe('respond-async');
    const { importId, status: first } = res.json();
    expect(first).toBe('validating');
    expect(res.headers.location).toBe(`/v1/imports/${importId}`);
    const seen: { status: string; rowsTotal: number | null; rowsChecked: number }[] = [];
    const end = await until(
      async () => {
        const s = await status(importId);
        seen.push(s);
        return s.status === 'refused' ? s : undefined;
      },
      'the validation refused',
      { tries: 1200, everyMs: 100 },
    );
    expect(seen[0]!.status).toBe('validating');
    for (const s of seen.filter((x) => x.status === 'validating'))
      if (s.rowsTotal !== null) expect(s.rowsChecked).toBeLessThanOrEqual(60_000);
    const sync = await post(file);
    expect(sync.statusCode).toBe(422);
    const { instance: _, ...answered } = sync.json();
    expect(end.problem).toEqual(answered);
    expect(end.problem).toMatchObject({ status: 422, rowsTotal: 60_000, rowsInvalid: 1 });
  }, 180_000);

  it('R-A1: a valid file sent with respond-async becomes the import the synchronous upload makes', async () => {
    const file = toCsv(households(3, { size: 2 }));
    const res = await post(file, 'respond-async');
    expect(res.statusCode).toBe(202);
    const { importId, workflowId } = res.json();
    const admitted = await until(
      async () => {
        const s = await status(importId);
        return s.status === 'running' || s.status === 'completed' ? s : undefined;
      },
      'the import admitted',
      { tries: 600, everyMs: 100 },
    );
    expect(admitted).toMatchObject({
      importId,
      householdsTotal: 3,
      rowsTotal: 6,
      rowsInvalid: 0,
      report: [],
    });
    const started = await env.client.workflow.getHandle(workflowId).describe();
    expect(started.type).toBe('importWorkflow');
  }, 120_000);

  it('R-A1: a file that cannot be read, sent with respond-async, is refused with the 400 of the upload', async () => {
    const res = await post(Buffer.from('not,a,caseload\n1,2,3\n'), 'respond-async');
    expect(res.statusCode).toBe(202);
    const end = await until(async () => {
      const s = await status(res.json().importId);
      return s.status === 'refused' ? s : undefined;
    }, 'the upload refused');
    expect(end.problem).toMatchObject({ status: 400, errors: expect.any(Array) });
    expect(JSON.stringify(end.problem.errors)).toContain('monthly_amount');
  }, 60_000);

  it('API.md: the same file with the same Idempotency-Key is answered alike; another file with that key is refused (the file hashed off the event loop)', async () => {
    const key = `import-${Math.random().toString(36).slice(2)}`;
    const file = toCsv(households(2, { size: 2 }));
    const first = await post(file, undefined, key);
    expect(first.statusCode).toBe(202);
    const again = await post(file, undefined, key);
    expect(again.statusCode).toBe(202);
    expect(again.json().importId).toBe(first.json().importId);
    const other = await post(toCsv(households(2, { size: 2 })), undefined, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().type).toContain('idempotency-key-reused');
  }, 60_000);
});
