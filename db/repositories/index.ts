import type pg from 'pg';
import { caseEntitlementsRepository } from './case-entitlements';
import { casesRepository } from './cases';
import { comparisonHitsRepository } from './comparison-hits';
import { deathNoticesRepository } from './death-notices';
import { supervisionRepository } from './supervision';
import { visitReportsRepository } from './visit-reports';

// Every SQL statement of the system lives in a repository here, one file per group of tables
// (ARCHITECTURE.md names the one writer of each table). The API reads through them and calls
// Temporal; the activities, built with the same repositories, are the workflows' writers.
export function createRepositories(pool: pg.Pool) {
  return {
    pool,
    cases: casesRepository(pool),
    caseEntitlements: caseEntitlementsRepository(pool),
    deathNotices: deathNoticesRepository(pool),
    comparisonHits: comparisonHitsRepository(pool),
    visitReports: visitReportsRepository(pool),
    supervision: supervisionRepository(pool),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
