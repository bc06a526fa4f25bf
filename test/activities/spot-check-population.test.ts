import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spotCheckActivities, spotCheckSeed } from '../../activities/spot-checks';
import { drawSpotChecks } from '../../domain/sampling';
import { freshDatabase } from '../helpers/db';
import { seedDecision } from '../helpers/spot-check-seed';

// R-O1 → R-O2: the population of a county's spot-check round as the round's activities read it from
// the applications' read model: the township's decisions (delegated approval, R-A5), and the new
// close-relative admissions whoever decided them.
let db: Awaited<ReturnType<typeof freshDatabase>>;
let acts: ReturnType<typeof spotCheckActivities>;
beforeAll(async () => {
  db = await freshDatabase();
  acts = spotCheckActivities({ pool: db.pool });
});
afterAll(async () => {
  await db?.drop();
});

const VILLAGE = '140802101201';

describe('spot-check population (Postgres)', () => {
  it('R-O1 R-O2: a close-relative admission decided by the county joins its county round of that month in the close-relative stratum', async () => {
    await seedDecision(db.pool, {
      applicationId: 'A-township',
      villageCode: VILLAGE,
      decidedOn: '2026-06-03',
    });
    await seedDecision(db.pool, {
      applicationId: 'A-county-close',
      villageCode: VILLAGE,
      decidedOn: '2026-06-10',
      delegated: false,
      closeRelative: true,
    });
    // The county's other decisions stay outside (R-O2 samples the township's), and so does a
    // close-relative rejection by the county (not an admission) and another month's admission.
    await seedDecision(db.pool, {
      applicationId: 'A-county-other',
      villageCode: VILLAGE,
      decidedOn: '2026-06-11',
      delegated: false,
    });
    await seedDecision(db.pool, {
      applicationId: 'A-county-close-rejected',
      villageCode: VILLAGE,
      decidedOn: '2026-06-12',
      delegated: false,
      closeRelative: true,
      approve: false,
    });
    await seedDecision(db.pool, {
      applicationId: 'A-county-close-july',
      villageCode: VILLAGE,
      decidedOn: '2026-07-01',
      delegated: false,
      closeRelative: true,
    });
    const population = await acts.spotCheckPopulation({ countyCode: '140802', month: '2026-06' });
    expect(population.map((u) => [u.applicationId, u.closeRelative])).toEqual([
      ['A-county-close', true],
      ['A-township', false],
    ]);
    // One close-relative admission in its stratum: ceil(0.6 × 1) draws it.
    const draw = drawSpotChecks(
      population.map((u) => ({ key: u.applicationId, closeRelative: u.closeRelative })),
      { decisionRatio: '0.3', closeRelativeRatio: '0.6' },
      spotCheckSeed('140802', '2026-06', 'nonce'),
    );
    expect(draw.drawn).toContain('A-county-close');
  });

  it('R-O1 R-O2: the monthly schedule starts a round for a county whose only admission is a county-decided close-relative one', async () => {
    await seedDecision(db.pool, {
      applicationId: 'A-140805-close',
      villageCode: '140805101201',
      decidedOn: '2026-08-04',
      delegated: false,
      closeRelative: true,
    });
    await seedDecision(db.pool, {
      applicationId: 'A-140806-other',
      villageCode: '140806101201',
      decidedOn: '2026-08-04',
      delegated: false,
    });
    expect(await acts.spotCheckCounties({ month: '2026-08' })).toEqual(['140805']);
  });
});
