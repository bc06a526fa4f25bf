import type { CivilDate } from '../../domain/dates';
import type { ComplaintStage } from '../../workflows/contracts';

// R-O4: the complaints ledger's statements, newest first (received_on, complaint_id), a page at a
// time after the last line of the previous page (keyset), with no count on a page. The caller's
// region picks the index range (migration 151): a village, township, county or province has an
// index of its own, led by its code (a province's: `left(county_code, 2)`); a city reads its
// province's range and keeps its counties. The filters (stage, open, overdue) are checked on the
// lines the range yields. The counts are a statement of their own, asked for separately.

export interface LedgerKey {
  receivedOn: CivilDate;
  complaintId: string;
}

export interface LedgerFilter {
  region: string;
  stage?: ComplaintStage | 'open';
  overdue?: boolean;
}

export interface LedgerQuery extends LedgerFilter {
  limit: number;
  after?: LedgerKey;
}

export const LEDGER_COLUMNS = `complaint_id AS "complaintId", source, anonymous, complainant_name AS "complainantName",
  complainant_phone AS "complainantPhone", subject_kind AS "subjectKind", subject_id AS "subjectId",
  village_code AS "villageCode", township_code AS "townshipCode", county_code AS "countyCode",
  received_on::text AS "receivedOn", received_by AS "receivedBy", repeat_of AS "repeatOf", stage, handler,
  deadline_kind AS "deadlineKind", deadline::text AS deadline, deadline_provisional AS "deadlineProvisional",
  extended, at_risk AS "atRisk", overdue, finding, found_on::text AS "foundOn",
  data_check_case_id AS "dataCheckCaseId", spot_check_requested AS "spotCheckRequested",
  answered_on::text AS "answeredOn", answered_late AS "answeredLate", closed_on::text AS "closedOn"`;

/** The region's predicates: an equality on what leads its index (a city: its province's, then its counties). */
function scope(region: string): { where: string[]; values: string[] } {
  if (region.length === 12) return { where: ['village_code = $1'], values: [region] };
  if (region.length === 9) return { where: ['township_code = $1'], values: [region] };
  if (region.length === 6) return { where: ['county_code = $1'], values: [region] };
  const province = { where: ['left(county_code, 2) = $1'], values: [region.slice(0, 2)] };
  if (region.length === 2) return province;
  return { where: [...province.where, 'county_code LIKE $2'], values: [...province.values, `${region}%`] };
}

function filters(q: LedgerFilter): { where: string[]; values: unknown[] } {
  const s = scope(q.region);
  const where = [...s.where];
  const values: unknown[] = [...s.values];
  if (q.stage === 'open') where.push(`stage <> 'closed'`);
  else if (q.stage) {
    values.push(q.stage);
    where.push(`stage = $${values.length}`);
  }
  if (q.overdue !== undefined) {
    values.push(q.overdue);
    where.push(`overdue = $${values.length}`);
  }
  return { where, values };
}

/** A page: `limit` lines after the key (one more is read to know whether a next page exists). */
export function ledgerPageSql(q: LedgerQuery): { text: string; values: unknown[] } {
  const { where, values } = filters(q);
  if (q.after) {
    values.push(q.after.receivedOn, q.after.complaintId);
    where.push(`(received_on, complaint_id) < ($${values.length - 1}::date, $${values.length})`);
  }
  values.push(q.limit + 1);
  return {
    text: `SELECT ${LEDGER_COLUMNS} FROM complaints WHERE ${where.join(' AND ')}
      ORDER BY received_on DESC, complaint_id DESC LIMIT $${values.length}`,
    values,
  };
}

/** R-O4: the lines the filters match and, of them, the complaints that are not repeats. */
export function ledgerCountsSql(q: LedgerFilter): { text: string; values: unknown[] } {
  const { where, values } = filters(q);
  return {
    text: `SELECT count(*)::int AS total, count(*) FILTER (WHERE repeat_of IS NULL)::int AS distinct
      FROM complaints WHERE ${where.join(' AND ')}`,
    values,
  };
}
