// The overdue list's query before the cursor redesign (db/repositories/supervision.ts at commit
// f389a06), kept here only as the benchmark's baseline: every flagged row of the region is found
// by a sequential scan (no index serves `village_code LIKE '<region>%'`) and sorted before LIMIT.
export const BEFORE_SQL = `SELECT * FROM (
   SELECT 'application' AS kind, application_id AS subject_id, NULL AS task_id, stage, county_code,
          township_code, village_code, overall_deadline AS due_on, deadline_provisional AS provisional,
          at_risk, overdue
   FROM applications
   WHERE stage NOT IN ('approved', 'rejected', 'withdrawn') AND (at_risk OR overdue)
   UNION ALL
   SELECT kind, case_id, task_id, kind, county_code, township_code, village_code, due_on, due_provisional,
          at_risk, overdue
   FROM case_tasks WHERE closed_on IS NULL AND (at_risk OR overdue)
   UNION ALL
   SELECT 'payroll', payroll_id, NULL, status, county_code, NULL, NULL, payment_date, false, false, true
   FROM payrolls WHERE status = 'overdue'
 ) w
 WHERE (w.village_code LIKE $1 || '%' OR (w.village_code IS NULL AND w.county_code LIKE $1 || '%'))
   AND ($2::text IS NULL OR w.kind = $2)
   AND ($3::text IS NULL OR w.township_code = $3)
   AND ($4 = 'any' OR ($4 = 'overdue' AND w.overdue) OR ($4 = 'at_risk' AND w.at_risk AND NOT w.overdue))
 ORDER BY w.overdue DESC, w.due_on, w.subject_id
 LIMIT $5`;

export const beforeValues = (region: string, limit: number) => [region, null, null, 'any', limit];
