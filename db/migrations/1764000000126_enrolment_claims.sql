-- Up Migration

-- R-A1: a person is held by one open application or active case at a time (the partial unique
-- index person_enrolments_one_active). Rows are the history of who held whom: a holder that releases
-- a person and claims them again (a member removed and added back, a re-investigation after an
-- objection) writes a new row, so a holder may have several rows for one person, one active at most.
ALTER TABLE person_enrolments DROP CONSTRAINT person_enrolments_holder_kind_holder_id_id_number_key;
CREATE INDEX person_enrolments_holder ON person_enrolments (holder_kind, holder_id) WHERE released_at IS NULL;

-- Down Migration
DROP INDEX person_enrolments_holder;
ALTER TABLE person_enrolments ADD CONSTRAINT person_enrolments_holder_kind_holder_id_id_number_key
  UNIQUE (holder_kind, holder_id, id_number);
