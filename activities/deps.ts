import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { createRepositories, type Repositories } from '../db/repositories';

/** What the activities are built from: the worker passes the real parts, tests their own. */
export interface ActivityDeps {
  pool: pg.Pool;
  /** The same repositories the API reads through; built from the pool when not given. */
  repos?: Repositories;
  /** Where the payroll writes the bank files (R-M1); default `.data/payment-files`. */
  paymentFilesDir?: string;
  /** The client the register's activities start and signal workflows with; the worker's own when absent. */
  temporal?: Client;
}

/** The repositories of `deps`, built from its pool when the caller gave none. */
export const reposOf = (deps: ActivityDeps): Repositories => deps.repos ?? createRepositories(deps.pool);
