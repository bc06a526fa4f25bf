import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationActivities } from '../../activities/applications';
import { inTransaction } from '../../db/pool';
import {
  applicationHolder,
  caseHolder,
  claim,
  heldElsewhere,
  hold,
  move,
  release,
} from '../../db/repositories/enrolments';
import { ApplicationState } from '../../workflows/application/state';
import type { ApplicationInput } from '../../workflows/contracts';
import { approvedCase } from '../helpers/case-rows';
import { freshDatabase } from '../helpers/db';
import { applicationInput, household, idNumber, VILLAGE } from '../helpers/fixtures';

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

  it('R-A1: a claim is all or nothing: one person held elsewhere refuses it, names the holder and claims nobody', async () => {
    const [free, taken] = [idNumber(), idNumber()];
    const a = applicationHolder('A-first');
    const b = applicationHolder('A-second');
    expect(
      await inTransaction(db.pool, (c) => claim(c, a, { idNumbers: [taken], alone: false })),
    ).toBeUndefined();
    const refused = await inTransaction(db.pool, (c) =>
      claim(c, b, { idNumbers: [free, taken], alone: false }),
    );
    expect(refused).toEqual({ idNumber: taken, holderKind: 'application', holderId: 'A-first' });
    expect(await active([free, taken])).toEqual([
      { id_number: taken, holder_kind: 'application', holder_id: 'A-first' },
    ]);
    // Claimed again by its holder: nothing changes (a retried activity).
    expect(
      await inTransaction(db.pool, (c) => claim(c, a, { idNumbers: [taken], alone: false })),
    ).toBeUndefined();
    expect(await active([taken])).toHaveLength(1);
  });

  it('R-A1 R-A2: hold leaves the holder with exactly the persons named; one released and named again is held again', async () => {
    const [x, y, z] = [idNumber(), idNumber(), idNumber()];
    const a = applicationHolder('A-hold');
    const exactly = (ids: string[]) =>
      inTransaction(db.pool, (c) => hold(c, a, { idNumbers: ids, alone: false }));
    expect(await exactly([x, y])).toBeUndefined();
    expect(await exactly([y, z])).toBeUndefined();
    expect((await active([x, y, z])).map((r) => r.id_number)).toEqual([y, z].sort());
    expect(await exactly([x, y, z])).toBeUndefined(); // x again, after an objection's re-investigation
    expect((await active([x, y, z])).map((r) => r.id_number)).toEqual([x, y, z].sort());
    // Someone else's person: refused, and the release of z in the same step is undone.
    const other = idNumber();
    await inTransaction(db.pool, (c) =>
      claim(c, caseHolder('C-other'), { idNumbers: [other], alone: false }),
    );
    expect(await exactly([x, other])).toMatchObject({ holderKind: 'case', holderId: 'C-other' });
    expect((await active([x, y, z])).map((r) => r.holder_id)).toEqual(['A-hold', 'A-hold', 'A-hold']);
  });

  it('R-A8 R-E3: approval moves the case persons from the application to the case and releases the others, or nothing', async () => {
    const [one, two, three] = [idNumber(), idNumber(), idNumber()];
    const app = applicationHolder('A-move');
    await inTransaction(db.pool, (c) => claim(c, app, { idNumbers: [one, two, three], alone: false }));
    const moved = await inTransaction(db.pool, (c) =>
      move(c, app, caseHolder('A-move'), { idNumbers: [two], alone: true }),
    );
    expect(moved).toBeUndefined();
    expect(await active([one, two, three])).toEqual([
      { id_number: two, holder_kind: 'case', holder_id: 'A-move' },
    ]);
    // A third holder's person: nothing moves, the application keeps what it held.
    const app2 = applicationHolder('A-move-2');
    const four = idNumber();
    await inTransaction(db.pool, (c) => claim(c, app2, { idNumbers: [one, four], alone: false }));
    const refused = await inTransaction(db.pool, (c) =>
      move(c, app2, caseHolder('A-move-2'), { idNumbers: [one, four, two], alone: false }),
    );
    expect(refused).toMatchObject({ idNumber: two, holderKind: 'case', holderId: 'A-move' });
    expect((await active([one, four])).map((r) => r.holder_id)).toEqual(['A-move-2', 'A-move-2']);
    await inTransaction(db.pool, (c) => release(c, app2));
    expect(await active([one, four])).toEqual([]);
  });

  it("R-E3: a one-person enrolment takes its person from a marginal household's case, never from a cash case", async () => {
    const insertCase = (caseId: string, category: string) =>
      db.pool.query(
        `INSERT INTO cases (case_id, category, village_code, township_code, county_code, status, monthly_amount,
           start_month, approved_on, approved_by, members)
         VALUES ($1, $2, $3, left($3, 9), left($3, 6), 'active', 0, '2026-01', '2026-01-01', 'x', '[]')`,
        [caseId, category, VILLAGE],
      );
    await insertCase('C-marginal', 'marginal');
    await insertCase('C-dibao', 'dibao');
    const [m, d] = [idNumber(), idNumber()];
    await inTransaction(db.pool, (c) => claim(c, caseHolder('C-marginal'), { idNumbers: [m], alone: false }));
    await inTransaction(db.pool, (c) => claim(c, caseHolder('C-dibao'), { idNumbers: [d], alone: false }));
    const alone = (id: string) => ({ idNumbers: [id], alone: true });
    const household = (id: string) => ({ idNumbers: [id], alone: false });
    const single = applicationHolder('A-alone');
    // The guard says the same as the claim.
    expect(await heldElsewhere(db.pool, single, household(m))).toMatchObject({ holderId: 'C-marginal' });
    expect(await heldElsewhere(db.pool, single, alone(m))).toBeUndefined();
    expect(await heldElsewhere(db.pool, single, alone(d))).toMatchObject({ holderId: 'C-dibao' });
    expect(await inTransaction(db.pool, (c) => claim(c, single, household(m)))).toMatchObject({
      holderId: 'C-marginal',
    });
    expect(await inTransaction(db.pool, (c) => claim(c, single, alone(d)))).toMatchObject({
      holderId: 'C-dibao',
    });
    expect(await inTransaction(db.pool, (c) => claim(c, single, alone(m)))).toBeUndefined();
    expect(await active([m, d])).toEqual(
      [
        { id_number: m, holder_kind: 'application', holder_id: 'A-alone' },
        { id_number: d, holder_kind: 'case', holder_id: 'C-dibao' },
      ].sort((x, y) => x.id_number.localeCompare(y.id_number)),
    );
  });

  it('R-A1: two claims of one person at the same time: one holds, the other is refused naming it', async () => {
    const person = idNumber();
    const holders = ['A-race-1', 'A-race-2', 'C-race-3'];
    const answers = await Promise.all(
      holders.map((id) =>
        inTransaction(db.pool, (c) =>
          claim(c, id.startsWith('C') ? caseHolder(id) : applicationHolder(id), {
            idNumbers: [idNumber(), person],
            alone: false,
          }),
        ),
      ),
    );
    const rows = await active([person]);
    expect(rows).toHaveLength(1);
    expect(answers.filter((a) => a === undefined)).toHaveLength(1);
    for (const a of answers.filter((x) => x !== undefined)) expect(a?.holderId).toBe(rows[0]!.holder_id);
  });

  it('R-A1: a claim whose holder released a person between its insert and its guard holds every person it was accepted for', async () => {
    const [kept, fresh] = [idNumber(), idNumber()];
    const closed = caseHolder('C-release');
    await inTransaction(db.pool, (c) => claim(c, closed, { idNumbers: [kept], alone: false }));
    // The case's closure commits right after the claim's insert skipped `kept` (still held then)
    // and before its guard reads who holds the persons.
    const answer = await inTransaction(db.pool, (c) =>
      claim(
        afterInsert(c, () => inTransaction(db.pool, (r) => release(r, closed))),
        applicationHolder('A-after-release'),
        { idNumbers: [fresh, kept], alone: false },
      ),
    );
    expect(answer).toBeUndefined();
    expect((await active([kept, fresh])).map((r) => r.holder_id)).toEqual([
      'A-after-release',
      'A-after-release',
    ]);
  });

  it('R-A10: a temporary-assistance receipt holds nobody: a member of an active case may apply', async () => {
    const other = await approvedCase(db.pool);
    const apps = applicationActivities({ pool: db.pool });
    const input = applicationInput({
      acceptedOn: '2026-02-02',
      category: 'temporary_assistance',
      household: other.household,
    });
    const view = new ApplicationState(input, input.context, new Date('2026-02-03T02:00:00Z')).snapshot();
    expect(await apps.receiveApplication({ input, view, entries: view.history, version: 1 })).toEqual({});
    expect(
      new Set((await active(other.household.members.map((m) => m.idNumber))).map((r) => r.holder_id)),
    ).toEqual(new Set([other.applicationId]));
  });
});

/** `c`, which runs `between` once, after its first insert into person_enrolments has returned. */
function afterInsert(c: pg.PoolClient, between: () => Promise<unknown>): pg.PoolClient {
  let ran = false;
  return new Proxy(c, {
    get(target, prop) {
      if (prop !== 'query') return Reflect.get(target, prop, target);
      return async (...args: Parameters<pg.PoolClient['query']>) => {
        const result = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
        if (!ran && String(args[0]).includes('INSERT INTO person_enrolments')) {
          ran = true;
          await between();
        }
        return result;
      };
    },
  });
}
