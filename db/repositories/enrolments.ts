import type pg from 'pg';
import type { Claim } from '../../domain/enrolment';
import { inTransaction } from '../pool';

// R-A1: the one writer of `person_enrolments`. Every point where a household's members change —
// receipt, investigation, approval, caseload import, a change report or re-review on a case, a
// closure — claims, moves or releases through here, inside the caller's transaction. The partial
// unique index `person_enrolments_one_active` keeps one active row per person and serialises
// concurrent claims of one person: the second waits for the first to commit, inserts nothing, and
// then sees the holder. A refused claim writes nothing (a savepoint) and names the holder.

export type HolderKind = 'application' | 'case';
export interface Holder {
  kind: HolderKind;
  id: string;
}
/** The person a claim could not take, and who holds them (an ID number: never in a message, R-O7). */
export interface HeldElsewhere {
  idNumber: string;
  holderKind: HolderKind;
  holderId: string;
}

export const applicationHolder = (applicationId: string): Holder => ({
  kind: 'application',
  id: applicationId,
});
export const caseHolder = (caseId: string): Holder => ({ kind: 'case', id: caseId });

type Q = pg.Pool | pg.PoolClient;

/** R-E3: a one-person enrolment may take its person from a marginal household's case (no cash). */
const MARGINAL_CASE = `EXISTS (SELECT 1 FROM cases mc WHERE mc.case_id = pe.holder_id AND mc.category = 'marginal')`;

/** R-A1: the first of `idNumbers` held by another active holder than `holder` (read only: the guard). */
export async function heldElsewhere(q: Q, holder: Holder, claim: Claim): Promise<HeldElsewhere | undefined> {
  if (claim.idNumbers.length === 0) return undefined;
  const { rows } = await q.query(
    `SELECT pe.id_number, pe.holder_kind, pe.holder_id FROM person_enrolments pe
     WHERE pe.id_number = ANY($1::text[]) AND pe.released_at IS NULL
       AND NOT (pe.holder_kind = $2 AND pe.holder_id = $3)
       AND NOT ($4 AND pe.holder_kind = 'case' AND ${MARGINAL_CASE})
     ORDER BY pe.id_number LIMIT 1`,
    [claim.idNumbers, holder.kind, holder.id, claim.alone],
  );
  const r = rows[0];
  return r && { idNumber: r.id_number, holderKind: r.holder_kind, holderId: r.holder_id };
}

/** Runs `write` under a savepoint: rolled back to it (nothing written) when it finds a holder. */
async function allOrNothing(
  c: pg.PoolClient,
  write: () => Promise<HeldElsewhere | undefined>,
): Promise<HeldElsewhere | undefined> {
  await c.query('SAVEPOINT enrolment');
  try {
    const held = await write();
    await c.query(held ? 'ROLLBACK TO SAVEPOINT enrolment' : 'RELEASE SAVEPOINT enrolment');
    return held;
  } catch (err) {
    await c.query('ROLLBACK TO SAVEPOINT enrolment');
    throw err;
  }
}

async function insertClaim(c: pg.PoolClient, holder: Holder, claim: Claim) {
  if (claim.idNumbers.length === 0) return undefined;
  // A person the holder already holds conflicts on the partial index too: nothing to do. In ID
  // order, so two claims of overlapping households wait for each other instead of deadlocking.
  const insert = () =>
    c.query(
      `INSERT INTO person_enrolments (id_number, holder_kind, holder_id)
       SELECT i, $2, $3 FROM (SELECT DISTINCT unnest($1::text[]) AS i) t ORDER BY i ON CONFLICT DO NOTHING`,
      [claim.idNumbers, holder.kind, holder.id],
    );
  const passes = async () => {
    if (!claim.alone) return void (await insert());
    // R-E3: a one-person claim takes its person from a marginal household's case. Twice: a marginal
    // case that committed its row while this claim waited on the index is visible to the second pass
    // (each statement sees what was committed before it), so the claim ends as if it ran after it.
    for (let pass = 0; pass < 2; pass++) {
      await c.query(
        `UPDATE person_enrolments pe SET released_at = now()
         WHERE pe.id_number = ANY($1::text[]) AND pe.released_at IS NULL AND pe.holder_kind = 'case'
           AND NOT (pe.holder_kind = $2 AND pe.holder_id = $3) AND ${MARGINAL_CASE}`,
        [claim.idNumbers, holder.kind, holder.id],
      );
      await insert();
    }
  };
  for (let attempt = 1; ; attempt++) {
    await passes();
    const { held, lacks } = await standing(c, holder, claim.idNumbers);
    if (held) return held;
    // ON CONFLICT judges on the statement's snapshot: a person whose holder released them in a
    // transaction that committed while this insert waited on the index was skipped, and the guard
    // (a later statement) sees nobody holding them. Insert again until the holder has everyone, so
    // an accepted claim holds all its persons (R-A1).
    if (!lacks) return undefined;
    if (attempt === 3) throw new Error(`enrolment claim of ${holder.kind} ${holder.id} did not settle`);
  }
}

/**
 * R-A1, the guard after the insert, in one statement: the first of `idNumbers` (in ID order) another
 * holder holds, and whether `holder` lacks an active enrolment of one (at most one row per person:
 * the partial unique index).
 */
async function standing(
  c: pg.PoolClient,
  holder: Holder,
  idNumbers: string[],
): Promise<{ held?: HeldElsewhere; lacks: boolean }> {
  const { rows } = await c.query<{
    id_number: string;
    holder_kind: HolderKind | null;
    holder_id: string | null;
  }>(
    `SELECT t.i AS id_number, pe.holder_kind, pe.holder_id
     FROM (SELECT DISTINCT unnest($1::text[]) AS i) t
     LEFT JOIN person_enrolments pe ON pe.id_number = t.i AND pe.released_at IS NULL
     ORDER BY t.i`,
    [idNumbers],
  );
  const mine = (r: (typeof rows)[number]) => r.holder_kind === holder.kind && r.holder_id === holder.id;
  const other = rows.find((r) => r.holder_kind !== null && !mine(r));
  return {
    ...(other && {
      held: { idNumber: other.id_number, holderKind: other.holder_kind!, holderId: other.holder_id! },
    }),
    lacks: rows.some((r) => !mine(r)),
  };
}

/** Releases what `holder` holds: the persons named, or everyone. */
export async function release(q: Q, holder: Holder, idNumbers?: string[]): Promise<void> {
  if (idNumbers?.length === 0) return;
  await q.query(
    `UPDATE person_enrolments SET released_at = now()
     WHERE holder_kind = $1 AND holder_id = $2 AND released_at IS NULL
       AND ($3::text[] IS NULL OR id_number = ANY($3::text[]))`,
    [holder.kind, holder.id, idNumbers ?? null],
  );
}

/** Claims every person of `claim` for `holder`, or none: the first held elsewhere is returned. */
export function claim(c: pg.PoolClient, holder: Holder, what: Claim) {
  return allOrNothing(c, () => insertClaim(c, holder, what));
}

/**
 * `holder` holds exactly these persons afterwards (the household as investigated, a case's members
 * after a change): the others it held are released, the new ones claimed — all or nothing.
 */
export function hold(c: pg.PoolClient, holder: Holder, what: Claim) {
  return allOrNothing(c, async () => {
    await c.query(
      `UPDATE person_enrolments SET released_at = now()
       WHERE holder_kind = $1 AND holder_id = $2 AND released_at IS NULL AND NOT (id_number = ANY($3::text[]))`,
      [holder.kind, holder.id, what.idNumbers],
    );
    return insertClaim(c, holder, what);
  });
}

/**
 * R-A8: approval moves the persons of the case from the application to the case and releases the
 * application's others; refused (nothing moved) when one of them is held by a third holder.
 */
export function move(c: pg.PoolClient, from: Holder, to: Holder, what: Claim) {
  return allOrNothing(c, async () => {
    await release(c, from);
    return insertClaim(c, to, what);
  });
}

/** The API's and the activities' access to the enrolments (each call one transaction). */
export function enrolmentsRepository(pool: pg.Pool) {
  return {
    /** R-A1: the guard — who else holds one of these persons (nothing written). */
    heldElsewhere: (holder: Holder, what: Claim) => heldElsewhere(pool, holder, what),
    /** R-A1: `holder` holds exactly these persons, or the first held elsewhere is returned. */
    hold: (holder: Holder, what: Claim) => inTransaction(pool, (c) => hold(c, holder, what)),

    /** R-A1: the active holder of each person named (the import's validation report). */
    async activeHolders(idNumbers: string[]): Promise<Map<string, { kind: HolderKind; id: string }>> {
      const held = new Map<string, { kind: HolderKind; id: string }>();
      for (let i = 0; i < idNumbers.length; i += 10_000) {
        const { rows } = await pool.query(
          `SELECT id_number, holder_kind, holder_id FROM person_enrolments
           WHERE id_number = ANY($1::text[]) AND released_at IS NULL`,
          [idNumbers.slice(i, i + 10_000)],
        );
        for (const r of rows) held.set(r.id_number, { kind: r.holder_kind, id: r.holder_id });
      }
      return held;
    },
  };
}

export type EnrolmentsRepository = ReturnType<typeof enrolmentsRepository>;
