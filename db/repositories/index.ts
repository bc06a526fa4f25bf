import type pg from 'pg';
import { applicationsRepository } from './applications';
import { idempotencyRepository } from './idempotency';

// Every SQL statement of the system lives in a repository here, one file per group of tables
// (ARCHITECTURE.md names the one writer of each table). The API reads through them and calls
// Temporal; the activities, built with the same repositories, are the workflows' writers.
export function createRepositories(pool: pg.Pool) {
  return {
    pool,
    applications: applicationsRepository(pool),
    idempotency: idempotencyRepository(pool),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
