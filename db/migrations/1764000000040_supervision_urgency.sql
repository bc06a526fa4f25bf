-- Up Migration

-- R-O3: the overdue view pages by urgency (overdue first, then by due date) through indexes, at a
-- province's size. Each index holds only the open work that is flagged (the same predicate as the
-- queries in db/repositories/overdue.ts), keyed by the scope the caller asks for (county,
-- township, or none for a province or city) and then by the keyset of the page: overdue, due
-- date, id. `overdue` is an equality column of each page branch (the overdue part, then the
-- at-risk part), so one index range serves each branch of a cursor page and the summary's counts
-- are index-only. Case tasks add their kind: one branch per kind keeps each branch one range.

CREATE INDEX applications_flagged_county
  ON applications (county_code, overdue, overall_deadline, application_id) INCLUDE (township_code)
  WHERE stage NOT IN ('approved', 'rejected', 'withdrawn') AND (at_risk OR overdue);
CREATE INDEX applications_flagged_township
  ON applications (township_code, overdue, overall_deadline, application_id) INCLUDE (village_code)
  WHERE stage NOT IN ('approved', 'rejected', 'withdrawn') AND (at_risk OR overdue);
CREATE INDEX applications_flagged_all
  ON applications (overdue, overall_deadline, application_id) INCLUDE (county_code, township_code)
  WHERE stage NOT IN ('approved', 'rejected', 'withdrawn') AND (at_risk OR overdue);

CREATE INDEX case_tasks_flagged_county
  ON case_tasks (county_code, kind, overdue, due_on, case_id, task_id) INCLUDE (township_code)
  WHERE closed_on IS NULL AND (at_risk OR overdue);
CREATE INDEX case_tasks_flagged_township
  ON case_tasks (township_code, kind, overdue, due_on, case_id, task_id) INCLUDE (village_code)
  WHERE closed_on IS NULL AND (at_risk OR overdue);
CREATE INDEX case_tasks_flagged_all
  ON case_tasks (kind, overdue, due_on, case_id, task_id) INCLUDE (county_code, township_code)
  WHERE closed_on IS NULL AND (at_risk OR overdue);

-- R-A6: SLA compliance by month (decided within the legal deadline). The decision's date is
-- written by the application workflow's save (db/repositories/applications.ts), the table's one
-- writer; applications decided before this migration take it from their stored view.
ALTER TABLE applications ADD COLUMN decided_on date;
UPDATE applications SET decided_on = (view->'decision'->>'on')::date
  WHERE stage IN ('approved', 'rejected') AND view->'decision'->>'on' IS NOT NULL;
CREATE INDEX applications_decided_county
  ON applications (county_code, decided_on) INCLUDE (township_code, village_code, overall_deadline)
  WHERE decided_on IS NOT NULL;
CREATE INDEX applications_decided_all
  ON applications (decided_on) INCLUDE (county_code, township_code, village_code, overall_deadline)
  WHERE decided_on IS NOT NULL;

-- Down Migration
DROP INDEX applications_decided_all;
DROP INDEX applications_decided_county;
ALTER TABLE applications DROP COLUMN decided_on;
DROP INDEX case_tasks_flagged_all;
DROP INDEX case_tasks_flagged_township;
DROP INDEX case_tasks_flagged_county;
DROP INDEX applications_flagged_all;
DROP INDEX applications_flagged_township;
DROP INDEX applications_flagged_county;
