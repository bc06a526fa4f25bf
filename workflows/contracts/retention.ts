// R-O7: the daily purge of copies kept for technical reasons (the Schedule `retention-daily`).

export interface RetentionInput {
  /** Copies older than this many days go (RETENTION_DAYS, default 30). */
  retentionDays: number;
}

export interface RetentionResult {
  idempotencyKeys: number;
  importHouseholds: number;
}
