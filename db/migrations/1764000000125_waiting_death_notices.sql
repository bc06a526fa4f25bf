-- Up Migration

-- R-M2: a kept death notice waits for the case that will hold its person — the application pending
-- when it arrived (approved: the new case applies it), or any later approval or import. The case
-- applies it with its reporter (R-O6), so the role and region are kept beside the subject; the
-- pending application it was kept for is recorded as what the intake answered.
ALTER TABLE unmatched_death_notices
  ADD COLUMN reported_role   text,
  ADD COLUMN reported_region text,
  ADD COLUMN application_id  text;

-- R-M10: a death reported after the case closed goes to the closed case that last held the person
-- (released enrolments, looked up by ID number).
CREATE INDEX person_enrolments_released ON person_enrolments (id_number) WHERE released_at IS NOT NULL;

-- Down Migration
DROP INDEX person_enrolments_released;
ALTER TABLE unmatched_death_notices
  DROP COLUMN application_id,
  DROP COLUMN reported_region,
  DROP COLUMN reported_role;
