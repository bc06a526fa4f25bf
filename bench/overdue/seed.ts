import type pg from 'pg';

// R-O3 at a province's size: N open items of province 14 written straight into the read models
// (as the application and case workflows would have left them), set-based with generate_series.
// 10 counties (140802…140811) × 12 townships × 25 villages. 70% of the items are open
// applications, 30% open case tasks (three per case, four kinds in turn) on approved cases; of
// every ten items one is overdue (due 1–40 days ago) and one more at risk (due within 5 days),
// the rest open and on time (due in 5–45 days). Two county payrolls are overdue. Then VACUUM
// ANALYZE, as autovacuum would have left the tables (index-only scans need the visibility map).

export const COUNTIES = Array.from({ length: 10 }, (_, c) => `1408${String(2 + c).padStart(2, '0')}`);

/** Township and village of item (or case) number `i`: counties in turn, then townships, then villages. */
const geo = (
  i: string,
) => `'1408' || lpad((2 + ${i} % 10)::text, 2, '0') || lpad((101 + (${i} / 10) % 12)::text, 3, '0')
  AS township, lpad((201 + (${i} / 120) % 25)::text, 3, '0') AS village_tail`;
const GEO = geo('i');
// Flags by a hash of the item number, so that they do not follow the geography (counties in turn).
const FLAGS = `h = 0 AS overdue, h < 2 AS at_risk,
  CASE WHEN h = 0 THEN current_date - 1 - i % 40 WHEN h = 1 THEN current_date + i % 5
       ELSE current_date + 5 + i % 40 END AS due`;
const HASH = 'LATERAL (SELECT abs(hashint4(i) % 10) AS h) f';

export async function seedOpenItems(
  pool: pg.Pool,
  n: number,
): Promise<{ applications: number; tasks: number }> {
  const applications = Math.round(n * 0.7);
  const tasks = n - applications;
  const cases = Math.ceil(tasks / 3);
  const db = await pool.connect();
  try {
    await db.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by, overall_deadline, at_risk, overdue)
       SELECT 'A' || lpad(i::text, 8, '0'), 'dibao', township || village_tail, township, left(township, 6),
         due - 42, false, false, (ARRAY['verifying', 'initial_opinion', 'publicity', 'decision'])[1 + i % 4],
         'bench', due, at_risk, overdue
       FROM generate_series(1, $1::int) i, ${HASH}, LATERAL (SELECT ${GEO}, ${FLAGS}) g`,
      [applications],
    );
    // The approved applications behind the cases (decided: not in the list).
    await db.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by, overall_deadline, decided_on)
       SELECT 'K' || lpad(i::text, 8, '0'), 'dibao', township || village_tail, township, left(township, 6),
         current_date - 400, false, false, 'approved', 'bench', current_date - 360, current_date - 365 + i % 30
       FROM generate_series(1, $1::int) i, LATERAL (SELECT ${GEO}) g`,
      [cases],
    );
    await db.query(
      `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
         monthly_amount, start_month, approved_on, approved_by, members, persons)
       SELECT application_id, application_id, 'dibao', village_code, township_code, county_code, 'active', 500.00,
         '2025-01', current_date - 365, 'bench', '[]', 1
       FROM applications WHERE application_id LIKE 'K%'`,
    );
    await db.query(
      `INSERT INTO case_tasks (case_id, task_id, kind, county_code, township_code, village_code, opened_on, due_on,
         at_risk_on, at_risk, overdue)
       SELECT 'K' || lpad((1 + (i - 1) / 3)::text, 8, '0'), 't' || i,
         (ARRAY['death_review', 're_review', 'data_check', 'change_review'])[1 + i % 4],
         left(township, 6), township, township || village_tail, due - 30, due, due - 5, at_risk, overdue
       FROM generate_series(1, $1::int) i, ${HASH},
         LATERAL (SELECT ${geo('(1 + (i - 1) / 3)')}, ${FLAGS}) g`,
      [tasks],
    );
    await db.query(
      `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
       VALUES ('140802:2026-10', '140802', '2026-10', '2026-09-30', '2026-10-10', 'overdue'),
              ('140805:2026-10', '140805', '2026-10', '2026-09-30', '2026-10-10', 'overdue')`,
    );
  } finally {
    db.release();
  }
  await pool.query('VACUUM ANALYZE applications');
  await pool.query('VACUUM ANALYZE cases');
  await pool.query('VACUUM ANALYZE case_tasks');
  await pool.query('VACUUM ANALYZE payrolls');
  return { applications, tasks };
}
