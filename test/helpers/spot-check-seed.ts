import type pg from 'pg';

// R-O2 fixtures: township decisions as the application workflow leaves them in its read model
// (delegated, approved or rejected, the decision's date and author in the view, its date also in
// `decided_on`, as db/repositories/applications.ts saves it).

export interface SeedDecision {
  applicationId: string;
  villageCode: string;
  decidedOn: string;
  approve?: boolean;
  closeRelative?: boolean;
  delegated?: boolean;
}

export async function seedDecision(pool: pg.Pool, d: SeedDecision) {
  const view = {
    decision: { approve: d.approve ?? true, on: d.decidedOn, by: 'township-clerk', reasons: 'r' },
  };
  await pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by, view, decided_on)
     VALUES ($1, 'dibao', $2, left($2, 9), left($2, 6), $3, $4, $5, $6, 'township-clerk', $7, $3)`,
    [
      d.applicationId,
      d.villageCode,
      d.decidedOn,
      d.delegated ?? true,
      d.closeRelative ?? false,
      (d.approve ?? true) ? 'approved' : 'rejected',
      JSON.stringify(view),
    ],
  );
}

/** `n` decisions of a month in one village, every `closeEvery`-th a close-relative case, every third a rejection. */
export async function seedDecisions(
  pool: pg.Pool,
  prefix: string,
  n: number,
  villageCode: string,
  month: string,
  closeEvery = 4,
) {
  for (let i = 0; i < n; i++)
    await seedDecision(pool, {
      applicationId: `${prefix}${String(i).padStart(4, '0')}`,
      villageCode,
      decidedOn: `${month}-${String(1 + (i % 27)).padStart(2, '0')}`,
      approve: i % 3 !== 0,
      closeRelative: i % closeEvery === 0,
    });
}
