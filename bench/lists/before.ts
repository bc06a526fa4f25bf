import type pg from 'pg';
import { addMonthsToYearMonth } from '../../domain/dates';

// The three lists as they were before their indexes (commit 7df2ae5), for the baseline of
// bench/lists.ts: the spot-check population filtered on the decision's date inside the stored view,
// the complaints ledger paged by LIKE and OFFSET with a count on every request. The notice board's
// statements did not change: its baseline is the same statements with the new indexes dropped
// (inside a transaction that is rolled back: `withoutIndexes`).

const IN_POPULATION = `a.stage IN ('approved', 'rejected')
  AND (a.delegated OR (a.close_relative AND a.stage = 'approved'))`;

export function populationBefore(countyCode: string, month: string): { text: string; values: unknown[] } {
  return {
    text: `SELECT a.application_id AS "applicationId", c.case_id AS "caseId", a.village_code AS "villageCode",
                a.stage AS decision, (a.view->'decision'->>'on') AS "decidedOn",
                (a.view->'decision'->>'by') AS "decidedBy", a.close_relative AS "closeRelative"
         FROM applications a LEFT JOIN cases c ON c.application_id = a.application_id
         WHERE a.county_code = $1 AND ${IN_POPULATION}
           AND (a.view->'decision'->>'on') >= $2 AND (a.view->'decision'->>'on') < $3
         ORDER BY a.application_id`,
    values: [countyCode, `${month}-01`, `${addMonthsToYearMonth(month, 1)}-01`],
  };
}

export function countiesBefore(month: string): { text: string; values: unknown[] } {
  return {
    text: `SELECT DISTINCT a.county_code FROM applications a
         WHERE ${IN_POPULATION}
           AND (a.view->'decision'->>'on') >= $1 AND (a.view->'decision'->>'on') < $2
         ORDER BY a.county_code`,
    values: [`${month}-01`, `${addMonthsToYearMonth(month, 1)}-01`],
  };
}

const LEDGER_COLUMNS = `complaint_id AS "complaintId", source, anonymous, complainant_name AS "complainantName",
  complainant_phone AS "complainantPhone", subject_kind AS "subjectKind", subject_id AS "subjectId",
  village_code AS "villageCode", township_code AS "townshipCode", county_code AS "countyCode",
  received_on AS "receivedOn", received_by AS "receivedBy", repeat_of AS "repeatOf", stage, handler,
  deadline_kind AS "deadlineKind", deadline, deadline_provisional AS "deadlineProvisional", extended,
  at_risk AS "atRisk", overdue, finding, found_on AS "foundOn", data_check_case_id AS "dataCheckCaseId",
  spot_check_requested AS "spotCheckRequested", answered_on AS "answeredOn", answered_late AS "answeredLate",
  closed_on AS "closedOn"`;

/** One request of the old ledger: its page and its count (both were sent on every request). */
export function ledgerBefore(
  region: string,
  limit: number,
  offset: number,
): { text: string; values: unknown[] }[] {
  return [
    {
      text: `SELECT ${LEDGER_COLUMNS} FROM complaints WHERE village_code LIKE $1
           ORDER BY received_on DESC, complaint_id LIMIT $2 OFFSET $3`,
      values: [`${region}%`, limit, offset],
    },
    {
      text: `SELECT count(*)::int AS total, count(*) FILTER (WHERE repeat_of IS NULL)::int AS distinct
           FROM complaints WHERE village_code LIKE $1`,
      values: [`${region}%`],
    },
  ];
}

/** Runs `fn` on a client of its own with the notice board's indexes dropped, then puts them back (rollback). */
export async function withoutIndexes<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('DROP INDEX applications_publicity, cases_published');
    return await fn(c);
  } finally {
    await c.query('ROLLBACK');
    c.release();
  }
}
