import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { createRepositories, type Repositories } from '../db/repositories';
import type { IdKeys } from '../domain/keyed-id';

/** What the activities are built from: the worker passes the real parts, tests their own. */
export interface ActivityDeps {
  pool: pg.Pool;
  /**
   * R-O7: the keys of ids derived from a person (register keys, receipts a visit opens). The worker
   * always passes them; an activity that needs them refuses to run without (no default key).
   */
  idKeys?: IdKeys;
  /** The same repositories the API reads through; built from the pool when not given. */
  repos?: Repositories;
  /** Where the payroll writes the bank files (R-M1); default `.data/payment-files`. */
  paymentFilesDir?: string;
  /**
   * Cases an import may have started and not yet seen saved (README "Caseload import"); it starts
   * no more until the workers catch up. 0 or absent: no bound.
   */
  importWaitingCases?: number;
  /** The client the register's activities start and signal workflows with; the worker's own when absent. */
  temporal?: Client;
}

/** The ID keys of `deps`; an activity deriving an id from a person cannot run without them. */
export function idKeysOf(deps: ActivityDeps): IdKeys {
  if (!deps.idKeys) throw new Error('the activities were built without ID keys (ID_KEYS)');
  return deps.idKeys;
}

/** The repositories of `deps`, built from its pool when the caller gave none. */
export const reposOf = (deps: ActivityDeps): Repositories => deps.repos ?? createRepositories(deps.pool);
