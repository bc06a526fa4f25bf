import type pg from 'pg';
import type { CivilDate } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';

// R-O3: the one writer of `supervision_alerts`, one row per raised flag (R-A6, R-M1). Raised only
// by the workflows' activities — an application's, a case's, a complaint's or a register entry's
// deadline (notifySupervisor), a payroll or its payment lines (through the payroll repositories,
// in their transactions); supervisors read. The key names the deadline and the flag: raised once.

type Q = pg.Pool | pg.PoolClient;

/** A flag on a village's work: the county and township follow from the village code. */
export interface Alert {
  alertKey: string;
  subjectKind: string;
  subjectId: string;
  villageCode: string;
  flag: string;
  deadlineKind: string;
  dueOn: CivilDate;
}

/** A flag as stored: a county's payroll is flagged with no township or village (''). */
export interface AlertRow extends Omit<Alert, 'dueOn'> {
  countyCode: string;
  townshipCode: string;
  /** A civil date, or an instant due on its day (a bank's report: the day it was reported). */
  dueOn: CivilDate | string;
}

/** Raises a flag once; `db` is the caller's transaction or the pool. */
export async function raiseAlert(db: Q, a: AlertRow): Promise<void> {
  await db.query(
    `INSERT INTO supervision_alerts (alert_key, subject_kind, subject_id, county_code, township_code, village_code,
       flag, deadline_kind, due_on)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::timestamptz::date) ON CONFLICT (alert_key) DO NOTHING`,
    [
      a.alertKey,
      a.subjectKind,
      a.subjectId,
      a.countyCode,
      a.townshipCode,
      a.villageCode,
      a.flag,
      a.deadlineKind,
      a.dueOn,
    ],
  );
}

export function alertsRepository(pool: pg.Pool) {
  return {
    /** Raises a flag on a village's work once; `db` joins a transaction. */
    async raise(a: Alert, db: Q = pool) {
      await raiseAlert(db, {
        ...a,
        countyCode: countyOf(a.villageCode),
        townshipCode: townshipOf(a.villageCode),
      });
    },
  };
}
