import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRelativeActivities } from '../../activities/close-relatives';
import { rosterRepository } from '../../db/repositories/roster';
import { makeIdNumber } from '../../domain/idnumber';
import type { RosterSubmission } from '../../domain/roster-update';
import { freshDatabase } from '../helpers/db';

// R-O1 against the private Postgres cluster: the roster as its one writer (the API's repository)
// keeps it — ended, never deleted — and the workflows' check reads it and files a match once.
let db: Awaited<ReturnType<typeof freshDatabase>>;
let roster: ReturnType<typeof rosterRepository>;
let acts: ReturnType<typeof closeRelativeActivities>;
beforeAll(async () => {
  db = await freshDatabase();
  roster = rosterRepository(db.pool);
  acts = closeRelativeActivities({ pool: db.pool });
});
afterAll(async () => {
  await db?.drop();
});

const id = (seq: number) => makeIdNumber('140802', '1966-10-01', seq);
const upload = (uploadId: string) => ({
  uploadId,
  format: 'json' as const,
  recordedBy: 'county-1',
  recordedByRole: 'county_staff',
  at: '2026-04-01T02:00:00.000Z',
});
const submission = (over: Partial<RosterSubmission> = {}): RosterSubmission => ({
  countyCode: '140802',
  effectiveOn: '2026-04-01',
  complete: false,
  staff: [
    {
      ref: 'S-1',
      name: '郑主任',
      position: 'assistance_staff',
      regionCode: '140802101',
      relatives: [{ idNumber: id(1), name: '郑甲', relation: 'child' }],
    },
  ],
  ...over,
});
const check = (occasion: string, idNumber: string, over = {}) => ({
  subjectKind: 'application' as const,
  subjectId: 'A-roster-1',
  villageCode: '140802101201',
  occasion,
  on: '2026-04-10',
  filedOn: '2026-04-10',
  filedBy: 'system',
  members: [{ idNumber, name: '郑甲' }],
  ...over,
});

describe('close-relative roster (Postgres)', () => {
  it('R-O1 R-O6: a submission is recorded once by its upload id, with its audit event; an entry is ended, never deleted or rewritten', async () => {
    expect(await roster.record(submission(), upload('R-1'))).toEqual({
      uploadId: 'R-1',
      started: 1,
      ended: 0,
      unchanged: 0,
    });
    expect(await roster.record(submission({ staff: [] }), upload('R-1'))).toMatchObject({ started: 1 }); // a retry
    const left = await roster.record(
      submission({
        effectiveOn: '2026-06-01',
        staff: [{ ...submission().staff[0]!, relatives: [], ended: true }],
      }),
      upload('R-2'),
    );
    expect(left).toMatchObject({ started: 0, ended: 1 });
    const { rows } = await db.pool.query(
      `SELECT staff_ref, effective_from::text, ended_on::text, started_in, ended_in FROM close_relative_roster`,
    );
    expect(rows).toEqual([
      {
        staff_ref: 'S-1',
        effective_from: '2026-04-01',
        ended_on: '2026-06-01',
        started_in: 'R-1',
        ended_in: 'R-2',
      },
    ]);
    await expect(db.pool.query('DELETE FROM close_relative_roster')).rejects.toThrow(/R-O6/);
    await expect(db.pool.query(`UPDATE close_relative_roster SET relative_name = 'x'`)).rejects.toThrow(
      /R-O6/,
    );
    await expect(db.pool.query(`UPDATE close_relative_roster SET ended_on = '2026-07-01'`)).rejects.toThrow(
      /R-O6/,
    );
    const audit = await db.pool.query(
      `SELECT subject_id, action, actor_sub, payload FROM audit_events WHERE subject_kind = 'roster' ORDER BY id`,
    );
    expect(
      audit.rows.map((r) => [r.subject_id, r.action, r.actor_sub, r.payload.started, r.payload.ended]),
    ).toEqual([
      ['R-1', 'roster_updated', 'county-1', 1, 0],
      ['R-2', 'roster_updated', 'county-1', 0, 1],
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(id(1));
  });

  it('R-O1: a submission dated before the first day of an entry it would end records nothing', async () => {
    await roster.record(
      submission({ effectiveOn: '2026-09-01', staff: [{ ...submission().staff[0]!, ref: 'S-9' }] }),
      upload('R-9'),
    );
    const early = await roster.record(
      submission({
        effectiveOn: '2026-08-01',
        staff: [{ ...submission().staff[0]!, ref: 'S-9', relatives: [] }],
      }),
      upload('R-10'),
    );
    expect(early).toMatchObject({ conflicts: [expect.objectContaining({ effectiveFrom: '2026-09-01' })] });
    expect((await db.pool.query(`SELECT 1 FROM roster_uploads WHERE upload_id = 'R-10'`)).rowCount).toBe(0);
  });

  it('R-O1: the check files a match with the staff member once per occasion, nothing without one, and a close-relative case anyway', async () => {
    await roster.record(
      submission({
        staff: [
          {
            ref: 'S-5',
            name: '冯书记',
            position: 'village_cadre',
            post: '村支书',
            regionCode: '140802101201',
            relatives: [{ idNumber: id(5), name: '冯乙', relation: 'spouse' }],
          },
        ],
      }),
      upload('R-5'),
    );
    const found = await acts.checkCloseRelatives(check('receipt', id(5).toLowerCase()));
    expect(found.filed).toBe(true);
    expect(found.matches).toEqual([
      {
        entryId: expect.any(String),
        member: { idNumber: id(5).toLowerCase(), name: '郑甲' },
        relatedTo: {
          ref: 'S-5',
          name: '冯书记',
          position: 'village_cadre',
          post: '村支书',
          regionCode: '140802101201',
        },
        relation: 'spouse',
      },
    ]);
    await acts.checkCloseRelatives(check('receipt', id(5))); // a retry
    expect(await acts.checkCloseRelatives(check('investigation:1', id(6)))).toEqual({
      matches: [],
      filed: false,
    });
    // Another county's roster does not name a household of this one.
    expect((await acts.checkCloseRelatives(check('x', id(5), { villageCode: '140803101201' }))).filed).toBe(
      false,
    );
    await acts.checkCloseRelatives(
      check('re_review:2027-04-01', id(6), { subjectKind: 'case', subjectId: 'C-1', fileAnyway: true }),
    );
    const { rows } = await db.pool.query(
      `SELECT subject_id, occasion, source, filed_by, details->'matches'->0->'relatedTo'->>'name' AS staff
       FROM close_relative_filings ORDER BY subject_id, occasion`,
    );
    expect(rows).toEqual([
      {
        subject_id: 'A-roster-1',
        occasion: 'receipt',
        source: 'roster',
        filed_by: 'system',
        staff: '冯书记',
      },
      {
        subject_id: 'C-1',
        occasion: 're_review:2027-04-01',
        source: 'case',
        filed_by: 'system',
        staff: null,
      },
    ]);
  });
});
