import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationActivities } from '../../activities/applications';
import { ApplicationState } from '../../workflows/application-state';
import type { ApplicationInput } from '../../workflows/messages';
import { approvedCase } from '../helpers/case-rows';
import { freshDatabase } from '../helpers/db';
import { applicationInput, household } from '../helpers/fixtures';

// R-A1 against Postgres: the writers of `person_enrolments` (receipt, investigation, approval,
// import, case saves) never leave a person in two active holders, and a refusal writes nothing.
let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const active = async (ids: string[]) =>
  (
    await db.pool.query(
      `SELECT id_number, holder_kind, holder_id FROM person_enrolments
       WHERE id_number = ANY($1) AND released_at IS NULL ORDER BY id_number`,
      [ids],
    )
  ).rows as { id_number: string; holder_kind: string; holder_id: string }[];

/** An application received (its members held) and then investigated with `investigated`. */
async function receivedWith(investigated: ApplicationInput['household']) {
  const apps = applicationActivities({ pool: db.pool });
  const input = applicationInput({ acceptedOn: '2026-02-02' });
  const state = new ApplicationState(input, input.context, new Date('2026-02-03T02:00:00Z'));
  const view = state.snapshot();
  expect(await apps.receiveApplication({ input, view, entries: view.history, version: 1 })).toEqual({});
  const decided = {
    ...view,
    stage: 'approved' as const,
    investigation: { household: investigated, findings: 'visited', visitedOn: '2026-02-04', by: 'x' },
    decision: {
      approve: true,
      monthlyAmount: '900.00',
      startMonth: '2026-03',
      reasons: 'eligible',
      by: 'county-1',
      on: '2026-02-20',
    },
  };
  return { apps, input, view: decided };
}

describe('enrolments (Postgres)', () => {
  it('R-A1: the approval refuses a member another case holds and writes no case', async () => {
    const other = await approvedCase(db.pool);
    const taken = other.household.members[1]!;
    const own = household();
    const { apps, input, view } = await receivedWith({ ...own, members: [...own.members, taken] });
    await expect(apps.recordCase({ input, view })).rejects.toMatchObject({ type: 'AlreadyEnrolled' });
    const cases = await db.pool.query('SELECT count(*)::int AS n FROM cases WHERE case_id = $1', [
      input.applicationId,
    ]);
    expect(cases.rows[0].n).toBe(0);
    expect((await active([taken.idNumber])).map((r) => r.holder_id)).toEqual([other.applicationId]);
    // The application still holds its own household: nothing was moved or released.
    expect((await active(input.household.members.map((m) => m.idNumber))).map((r) => r.holder_id)).toEqual(
      input.household.members.map(() => input.applicationId),
    );
  });
});
