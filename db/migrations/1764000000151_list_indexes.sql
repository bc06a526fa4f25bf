-- Up Migration

-- Three lists read one index range each instead of the table, at a province's size
-- (bench/lists.ts; the repositories' statements match these predicates word for word, so the
-- planner can prove a partial index applies).

-- R-A4, R-A9: the village notice board (db/repositories/publicity.ts): the village's applications
-- in publicity and its cases in benefit (marginal households get no cash), by id.
CREATE INDEX applications_publicity ON applications (village_code, application_id)
  WHERE stage = 'publicity';
CREATE INDEX cases_published ON cases (village_code, case_id)
  WHERE status <> 'closed' AND category <> 'marginal';

-- R-O2: a spot-check round's population — the township's decisions and the close-relative
-- admissions of a county and month (db/repositories/spot-checks.ts) — by the decision's own date
-- column (`decided_on`, written with the view by the application workflow's save), and the counties
-- with such decisions in a month (the monthly schedule).
CREATE INDEX applications_spot_check_county
  ON applications (county_code, decided_on, application_id)
  WHERE stage IN ('approved', 'rejected') AND (delegated OR (close_relative AND stage = 'approved'));
CREATE INDEX applications_spot_check_month
  ON applications (decided_on, county_code)
  WHERE stage IN ('approved', 'rejected') AND (delegated OR (close_relative AND stage = 'approved'));

-- R-O4: the complaints ledger (db/repositories/complaint-ledger.ts), newest first, a page at a time
-- after a cursor (received_on, complaint_id), read backwards: one index per scope the caller asks
-- for, led by its code — a village, a township, a county, a province (its two digits; a city reads
-- its province's range and keeps its counties). None of them gives the ledger's order without its
-- scope's equality, so a narrower scope never reads a wider range and filters it.
CREATE INDEX complaints_ledger_village ON complaints (village_code, received_on, complaint_id);
CREATE INDEX complaints_ledger_township ON complaints (township_code, received_on, complaint_id);
CREATE INDEX complaints_ledger_county ON complaints (county_code, received_on, complaint_id);
CREATE INDEX complaints_ledger_province ON complaints (left(county_code, 2), received_on, complaint_id);

-- Down Migration
DROP INDEX complaints_ledger_province;
DROP INDEX complaints_ledger_county;
DROP INDEX complaints_ledger_township;
DROP INDEX complaints_ledger_village;
DROP INDEX applications_spot_check_month;
DROP INDEX applications_spot_check_county;
DROP INDEX cases_published;
DROP INDEX applications_publicity;
