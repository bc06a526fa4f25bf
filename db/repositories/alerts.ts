import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';

// supervision_alerts: one row per raised flag (R-A6, R-O3, R-M1). Raised only by the workflows'
// activities (an application's or a case's deadline, a payroll's lines); supervisors read.

export interface Alert {
  alertKey: string;
  subjectKind: string;
  subjectId: string;
  villageCode: string;
  flag: string;
  deadlineKind: string;
  dueOn: CivilDate;
}

export function alertsRepository(pool: pg.Pool) {
  return {
    /** Raises a flag once (the key names the deadline and the flag); `db` joins a transaction. */
    async raise(a: Alert, db: pg.Pool | pg.PoolClient = pool) {
      await db.query(
        `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code, village_code,
           flag, deadline_kind, due_on)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (alert_key) DO NOTHING`,
        [
          a.alertKey,
          a.subjectKind,
          a.subjectId,
          countyOf(a.villageCode),
          townshipOf(a.villageCode),
          a.villageCode,
          a.flag,
          a.deadlineKind,
          a.dueOn,
        ],
      );
    },
  };
}
