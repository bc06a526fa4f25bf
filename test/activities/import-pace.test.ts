import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importActivities } from '../../activities/imports';
import { importsRepository } from '../../db/repositories/imports';
import type { ImportedHousehold } from '../../domain/caseload-import';
import { importedCaseId } from '../../domain/caseload-import';
import { makeIdNumber } from '../../domain/idnumber';
import { caseWorkflowId } from '../../workflows/contracts';
import { freshDatabase } from '../helpers/db';
import { testIdKeys } from '../helpers/env';
import { COUNTY, context, VILLAGE } from '../helpers/fixtures';

// The import's pace against the private Postgres cluster (README "Caseload import"): the activity
// that starts a page's case workflows starts no more while `importWaitingCases` of the import's
// cases wait for their first save. The workers are played by the test: it saves the started cases
// (revision 1, as the case workflow's first task does) one every few milliseconds.
let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const household = (importId: string, i: number, person: number): ImportedHousehold => ({
  householdKey: `${importId}-${i}`,
  caseId: importedCaseId(testIdKeys(), COUNTY, `${importId}-${i}`),
  category: 'dibao',
  villageCode: VILLAGE,
  residence: 'rural',
  monthlyAmount: '650.00',
  startMonth: '2024-03',
  nextReviewMonth: '2030-01',
  closeRelative: false,
  unstableIncome: false,
  members: [{ idNumber: makeIdNumber(COUNTY, '1931-02-03', person), name: '张三', relation: 'applicant' }],
  rows: [i + 1],
});

/** An import of `n` one-person households (persons numbered from `firstPerson`), each case row recorded (revision 0), as recordCase leaves them. */
async function recordedImport(importId: string, n: number, firstPerson: number) {
  const imports = importsRepository(db.pool);
  const households = Array.from({ length: n }, (_, i) => household(importId, i + 1, firstPerson + i));
  await imports.create({
    importId,
    countyCode: COUNTY,
    format: 'csv',
    validOnly: false,
    rowsTotal: n,
    problems: [],
    households,
    context: context(),
    createdBy: 'admin-1',
  });
  const outcomes = await imports.recordImportedCases(importId, 1, n, () => {});
  expect(outcomes.every((o) => o.outcome === 'created')).toBe(true);
  return outcomes.map(({ seq, caseId }) => ({ seq, caseId }));
}

/** Starts recorded by a fake client; a fake worker saves the oldest started case every `everyMs`. */
function fakeTemporal(everyMs: number) {
  const started: string[] = [];
  let saved = 0;
  let mostWaiting = 0;
  const client = {
    workflow: {
      start: async (_type: string, opts: { workflowId: string }) => {
        started.push(opts.workflowId);
        mostWaiting = Math.max(mostWaiting, started.length - saved);
      },
    },
  } as unknown as Client;
  const timer = setInterval(async () => {
    const next = started[saved];
    if (!next) return;
    saved++;
    await db.pool.query('UPDATE cases SET revision = 1 WHERE case_id = $1', [next.replace(/^case:/, '')]);
  }, everyMs);
  return { client, started, stop: () => clearInterval(timer), mostWaiting: () => mostWaiting };
}

/** startImportedCases on a page with the fake's client and the given bound; the fake worker stopped after. */
async function startPage(
  fake: ReturnType<typeof fakeTemporal>,
  page: { importId: string; cases: { seq: number; caseId: string }[]; lanes: number },
  importWaitingCases?: number,
) {
  const acts = importActivities({ pool: db.pool, temporal: fake.client, importWaitingCases });
  try {
    await new MockActivityEnvironment().run(acts.startImportedCases, page);
  } finally {
    fake.stop();
  }
}

describe('the import pace (Postgres)', () => {
  it('R-M1: a page of cases is started no faster than the workers save them — never more than the bound waiting', async () => {
    const cases = await recordedImport('I-pace-1', 40, 0);
    expect(caseWorkflowId(cases[0]!.caseId)).toMatch(/^case:/);
    const fake = fakeTemporal(5);
    await startPage(fake, { importId: 'I-pace-1', cases, lanes: 10 }, 6);
    expect(new Set(fake.started).size).toBe(40);
    expect(fake.mostWaiting()).toBeGreaterThan(0);
    expect(fake.mostWaiting()).toBeLessThanOrEqual(6);
  });

  it('R-M1: the cases of the pages before count as waiting until they are saved', async () => {
    const cases = await recordedImport('I-pace-2', 12, 100);
    const fake = fakeTemporal(5);
    // Households 1..8 are an earlier page, started and not yet saved: the second page waits for them.
    const before = cases.slice(0, 8).map((c) => c.caseId);
    setTimeout(
      () => void db.pool.query('UPDATE cases SET revision = 1 WHERE case_id = ANY($1)', [before]),
      300,
    );
    const t0 = performance.now();
    await startPage(fake, { importId: 'I-pace-2', cases: cases.slice(8), lanes: 4 }, 4);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(fake.started).toHaveLength(4);
  });

  it('without a bound every case of the page is started at once', async () => {
    const cases = await recordedImport('I-pace-3', 20, 200);
    const fake = fakeTemporal(1000);
    await startPage(fake, { importId: 'I-pace-3', cases, lanes: 20 });
    expect(fake.mostWaiting()).toBe(20);
  });
});
