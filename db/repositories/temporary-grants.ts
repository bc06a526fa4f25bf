import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';
import type { Money } from '../../domain/money';

// R-A10: `temporary_grants`, the one-off grants paid while an application is pending. Written only
// by the application workflow's activity (recordTemporaryGrant), once per grant id (chosen by the
// workflow, so a retried activity writes nothing new).

export interface TemporaryGrant {
  grantId: string;
  applicationId: string;
  villageCode: string;
  amount: Money;
  reason: string;
  grantedOn: CivilDate;
  grantedBy: string;
}

export function temporaryGrantsRepository(pool: pg.Pool) {
  return {
    async record(g: TemporaryGrant): Promise<void> {
      await pool.query(
        `INSERT INTO temporary_grants (grant_id, application_id, village_code, amount, reason, granted_on, granted_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (grant_id) DO NOTHING`,
        [g.grantId, g.applicationId, g.villageCode, g.amount, g.reason, g.grantedOn, g.grantedBy],
      );
    },
  };
}
