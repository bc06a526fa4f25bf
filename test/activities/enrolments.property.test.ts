import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/pool';
import {
  applicationHolder,
  caseHolder,
  claim,
  type HeldElsewhere,
  type Holder,
  hold,
  move,
  release,
} from '../../db/repositories/enrolments';
import { freshDatabase } from '../helpers/db';
import { idNumber, VILLAGE } from '../helpers/fixtures';

// R-A1 as a property of the enrolment module against Postgres: random sequences of what the
// writers do — receipts (claim), investigations (hold), approvals (move), change reports and
// re-reviews on a case (hold), caseload imports (claim), rejections and closures (release), one-
// person enrolments of a marginal household's member (claim alone) — never leave a person in two
// active holders, refuse exactly when another holder has a person, and write nothing when they
// refuse. Some steps run two at a time, as concurrent workflows would.

let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
  // The cases the holders stand for; one is a marginal household's (R-E3), one a dibao household's.
  for (const [id, category] of [
    ['C-1', 'dibao'],
    ['C-2', 'dibao'],
    ['C-marginal', 'marginal'],
  ])
    await db.pool.query(
      `INSERT INTO cases (case_id, category, village_code, township_code, county_code, status, monthly_amount,
         start_month, approved_on, approved_by, members)
       VALUES ($1, $2, $3, left($3, 9), left($3, 6), 'active', 0, '2026-01', '2026-01-01', 'x', '[]')`,
      [id, category, VILLAGE],
    );
});
afterAll(async () => {
  await db?.drop();
});

const PEOPLE = Array.from({ length: 6 }, () => idNumber());
const APPLICATIONS = ['A-1', 'A-2', 'A-3'].map(applicationHolder);
const CASES = ['C-1', 'C-2', 'C-marginal'].map(caseHolder);
const key = (h: Holder) => `${h.kind}:${h.id}`;

type Op =
  | { kind: 'receipt' | 'import'; holder: Holder; ids: string[] }
  | { kind: 'investigation' | 'change_report' | 're_review'; holder: Holder; ids: string[] }
  | { kind: 'approval'; from: Holder; to: Holder; ids: string[] }
  | { kind: 'alone'; holder: Holder; id: string }
  | { kind: 'release'; holder: Holder };

const people = fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 4 });
const app = fc.constantFrom(...APPLICATIONS);
const kase = fc.constantFrom(...CASES);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('receipt' as const), holder: app, ids: people }),
  fc.record({ kind: fc.constant('import' as const), holder: kase, ids: people }),
  fc.record({ kind: fc.constant('investigation' as const), holder: app, ids: people }),
  fc.record({
    kind: fc.constantFrom('change_report' as const, 're_review' as const),
    holder: kase,
    ids: people,
  }),
  fc.record({ kind: fc.constant('approval' as const), from: app, to: kase, ids: people }),
  fc.record({ kind: fc.constant('alone' as const), holder: app, id: fc.constantFrom(...PEOPLE) }),
  fc.record({ kind: fc.constant('release' as const), holder: fc.oneof(app, kase) }),
);

/** The holders a step writes for: a workflow takes its own steps one at a time. */
const holdersOf = (o: Op) => (o.kind === 'approval' ? [key(o.from), key(o.to)] : [key(o.holder)]);
/** Two steps of different workflows (no holder in common), as they may run at the same time. */
const concurrentPair = fc
  .tuple(op, op)
  .filter(([a, b]) => !holdersOf(a).some((k) => holdersOf(b).includes(k)));

/** What the writer of `op` asks the module, in its own transaction. */
function run(o: Op): Promise<HeldElsewhere | undefined> {
  return inTransaction(db.pool, async (c) => {
    switch (o.kind) {
      case 'receipt':
      case 'import':
        return claim(c, o.holder, { idNumbers: o.ids, alone: false });
      case 'investigation':
      case 'change_report':
      case 're_review':
        return hold(c, o.holder, { idNumbers: o.ids, alone: false });
      case 'approval':
        return move(c, o.from, o.to, { idNumbers: o.ids, alone: false });
      case 'alone':
        return claim(c, o.holder, { idNumbers: [o.id], alone: true });
      case 'release':
        await release(c, o.holder);
        return undefined;
    }
  });
}

/** The same rules on a map person → holder: the expected answer and state. */
function model(state: Map<string, string>, o: Op): { refused?: string; next: Map<string, string> } {
  const next = new Map(state);
  const mine = (h: Holder) => (id: string) => state.get(id) === key(h);
  // The module names the first person held elsewhere in ID order.
  const takenBy = (h: Holder, ids: string[], tolerate: (holder: string) => boolean = () => false) =>
    [...ids]
      .sort()
      .map((id) => state.get(id))
      .find((x) => x !== undefined && x !== key(h) && !tolerate(x));
  const give = (h: Holder, ids: string[]) => {
    for (const id of ids) next.set(id, key(h));
  };
  const drop = (h: Holder) => {
    for (const [id, x] of state) if (x === key(h)) next.delete(id);
  };
  switch (o.kind) {
    case 'receipt':
    case 'import': {
      const refused = takenBy(o.holder, o.ids);
      if (!refused) give(o.holder, o.ids);
      return { refused, next: refused ? state : next };
    }
    case 'investigation':
    case 'change_report':
    case 're_review': {
      const refused = takenBy(o.holder, o.ids);
      if (refused) return { refused, next: state };
      for (const [id, x] of state) if (x === key(o.holder) && !o.ids.includes(id)) next.delete(id);
      give(o.holder, o.ids);
      return { next };
    }
    case 'approval': {
      const refused = takenBy(o.to, o.ids, (x) => x === key(o.from));
      if (refused) return { refused, next: state };
      drop(o.from);
      give(o.to, o.ids);
      return { next };
    }
    case 'alone': {
      const refused = takenBy(o.holder, [o.id], (x) => x === 'case:C-marginal');
      if (!refused && !mine(o.holder)(o.id)) give(o.holder, [o.id]);
      return { refused, next: refused ? state : next };
    }
    case 'release':
      drop(o.holder);
      return { next };
  }
}

async function activeState(): Promise<Map<string, string>> {
  const { rows } = await db.pool.query(
    'SELECT id_number, holder_kind, holder_id FROM person_enrolments WHERE released_at IS NULL',
  );
  const byPerson = new Map<string, string>();
  for (const r of rows) {
    // R-A1: never two active holders of one person.
    expect(byPerson.has(r.id_number)).toBe(false);
    byPerson.set(r.id_number, `${r.holder_kind}:${r.holder_id}`);
  }
  return byPerson;
}

describe('the enrolment module, property (Postgres)', () => {
  it('R-A1: random receipts, investigations, approvals, change reports, re-reviews, imports and releases never enrol a person twice; a refusal names the holder and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
        await db.pool.query('TRUNCATE person_enrolments');
        let expected = new Map<string, string>();
        for (const o of ops) {
          const answer = await run(o);
          const { refused, next } = model(expected, o);
          expect(answer ? `${answer.holderKind}:${answer.holderId}` : undefined).toBe(refused);
          if (answer) expect(expected.get(answer.idNumber)).toBe(refused);
          expected = next;
          expect(await activeState()).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('R-A1: the same steps two at a time (concurrent workflows) end as if one had run after the other', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(concurrentPair, { minLength: 1, maxLength: 10 }), async (pairs) => {
        await db.pool.query('TRUNCATE person_enrolments');
        let expected = new Map<string, string>();
        for (const [a, b] of pairs) {
          const answers = await Promise.all([retrying(a), retrying(b)]);
          const said = answers.map((x) => (x ? `${x.holderKind}:${x.holderId}` : undefined));
          const state = await activeState();
          const orders = [
            [a, b],
            [b, a],
          ].map(([first, second]) => {
            const one = model(expected, first!);
            const two = model(one.next, second!);
            const refused = first === a ? [one.refused, two.refused] : [two.refused, one.refused];
            return { refused, next: two.next };
          });
          const serial = orders.find((o) => o.refused.every((r, i) => r === said[i]) && same(o.next, state));
          expect(serial, `${JSON.stringify([a, b])} answered ${JSON.stringify(said)}`).toBeDefined();
          expected = state;
        }
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});

/** A deadlock victim is retried, as Temporal retries the activity. */
async function retrying(o: Op): Promise<HeldElsewhere | undefined> {
  for (;;) {
    try {
      return await run(o);
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01') throw err;
    }
  }
}

const same = (x: Map<string, string>, y: Map<string, string>) =>
  x.size === y.size && [...x].every(([k, v]) => y.get(k) === v);
