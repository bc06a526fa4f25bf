import type pg from 'pg';

// The read models behind three lists — the village notice board (R-A4, R-A9), the spot-check
// population (R-O2) and the complaints ledger (R-O4) — written straight into their tables, set-based,
// as the workflows would have left them: N applications, N cases and N complaints of province 14,
// 10 counties (140802…140811) × 12 townships × 25 villages, item i in county i % 10, then township,
// then village (30,000 rows: 10 of each table per village). Applications: one in ten in publicity, six in ten decided over 24 months (half by
// the township, one in twenty a close-relative case), the rest on the way. Cases: 15 % closed, 5 %
// marginal. Complaints: received over 3 years, 70 % closed, one in ten overdue, one in ten a repeat.
// Used by test/db/list-plans.test.ts and bench/lists.ts; then VACUUM ANALYZE.

export const LIST_COUNTIES = Array.from({ length: 10 }, (_, c) => `1408${String(2 + c).padStart(2, '0')}`);

const geo = (
  i: string,
) => `'1408' || lpad((2 + ${i} % 10)::text, 2, '0') || lpad((101 + (${i} / 10) % 12)::text, 3, '0')
  AS township, lpad((201 + (${i} / 120) % 25)::text, 3, '0') AS village_tail`;

// Stages and flags by a hash of the item number, so that they do not follow the geography.
const HASH = 'LATERAL (SELECT abs(hashint4(i)) AS h) f';

/** The 24 months before `lastMonth` (YYYY-MM) over which the decisions are spread, newest last. */
export const DECISION_MONTHS = 24;

export async function seedLists(pool: pg.Pool, n: number, lastMonth = '2026-11'): Promise<void> {
  const monthsStart = `(date '${lastMonth}-01' - interval '${DECISION_MONTHS - 1} months')::date`;
  await pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by, overall_deadline, decided_on, view)
     SELECT 'A' || lpad(i::text, 9, '0'), 'dibao', township || village_tail, township, left(township, 6),
       decided - 30, (h / 10) % 2 = 0, (h / 20) % 20 = 0, stage, 'seed', decided + 10,
       CASE WHEN stage IN ('approved', 'rejected') THEN decided END,
       CASE stage
         WHEN 'publicity' THEN jsonb_build_object(
           'publicity', jsonb_build_object('round', 1, 'postedOn', decided - 3, 'lastDay', decided + 4),
           'opinion', jsonb_build_object('category', 'dibao', 'proposedMonthlyAmount', '650.00'),
           'investigation', jsonb_build_object('household', jsonb_build_object('members', jsonb_build_array(
             jsonb_build_object('name', '张三', 'relation', 'applicant'),
             jsonb_build_object('name', '李四', 'relation', 'spouse')))))
         WHEN 'approved' THEN jsonb_build_object('decision',
           jsonb_build_object('approve', true, 'on', decided, 'by', 'township-clerk'))
         WHEN 'rejected' THEN jsonb_build_object('decision',
           jsonb_build_object('approve', false, 'on', decided, 'by', 'township-clerk'))
         ELSE '{}'::jsonb END
     FROM generate_series(1, $1::int) i, ${HASH},
       LATERAL (SELECT ${geo('i')}) g,
       LATERAL (SELECT (${monthsStart} + h % (${DECISION_MONTHS} * 30))::date AS decided,
         CASE WHEN h % 10 = 3 THEN 'publicity' WHEN h % 10 < 3 THEN 'verifying'
              WHEN h % 10 < 7 THEN 'approved' ELSE 'rejected' END AS stage) s`,
    [n],
  );
  await pool.query(
    `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
       monthly_amount, start_month, approved_on, approved_by, members, persons)
     SELECT 'K' || lpad(i::text, 9, '0'), NULL, CASE WHEN h % 20 = 7 THEN 'marginal' ELSE 'dibao' END,
       township || village_tail, township, left(township, 6), CASE WHEN h % 20 < 3 THEN 'closed' ELSE 'active' END,
       (300 + i % 500)::numeric(14, 2), '2025-01', '2025-01-05', 'seed',
       jsonb_build_array(jsonb_build_object('name', '王五', 'relation', 'applicant'),
         jsonb_build_object('name', '赵六', 'relation', 'child')), 2
     FROM generate_series(1, $1::int) i, ${HASH}, LATERAL (SELECT ${geo('i')}) g`,
    [n],
  );
  await pool.query(
    `INSERT INTO complaints (complaint_id, source, anonymous, complainant_name, complainant_phone, subject_kind,
       subject_id, village_code, township_code, county_code, summary, received_on, received_by, repeat_of, stage,
       deadline_kind, deadline, overdue, view, view_version, closed_on)
     SELECT 'C' || lpad(i::text, 9, '0'), 'hotline_12345', i % 3 = 0, CASE WHEN i % 3 <> 0 THEN '王小明' END,
       CASE WHEN i % 3 <> 0 THEN '13912345678' END, 'village', township || village_tail,
       township || village_tail, township, left(township, 6), 'seed', received, 'seed',
       CASE WHEN i % 10 = 5 AND i > 10 THEN 'C' || lpad((i - 10)::text, 9, '0') END,
       CASE WHEN h % 10 < 7 THEN 'closed' WHEN h % 10 = 7 THEN 'received' ELSE 'assigned' END,
       'answer', received + 21, h % 10 = 9, '{}'::jsonb, 1, CASE WHEN h % 10 < 7 THEN received + 14 END
     FROM generate_series(1, $1::int) i, ${HASH}, LATERAL (SELECT ${geo('i')}) g,
       LATERAL (SELECT (date '${lastMonth}-28' - (($1::int - i) * 1096 / $1::int))::date AS received) r`,
    [n],
  );
  for (const t of ['applications', 'cases', 'complaints']) await pool.query(`VACUUM ANALYZE ${t}`);
}
