-- Up Migration

-- API.md "Applications" and "Cases in benefit": the window's lists — the caller's applications and
-- cases, filtered and paged by keyset, index-backed at a province's size — and the look-up of one
-- person (R-O7: an audited read).

-- The lists page in (village, id) order within the caller's region (a range of village codes).
-- A filter is an equality column ahead of that order; a list without one reads one range per
-- value (db/repositories/case-list.ts merges them), so one index serves every combination.
CREATE INDEX cases_listed ON cases (status, category, village_code, case_id);
CREATE INDEX applications_listed ON applications (stage, overdue, village_code, application_id);

-- Name-prefix search (`q`): every name an application or a case has held, with the holder's
-- region, so that a prefix range is read in name order within a county (or, for a province or
-- city, across counties). Names only: no ID number is in this table or its indexes (R-O7).
-- Derived, never written by code: the row triggers below keep it as the members' writers write
-- (application_members at receipt; cases at approval or import and whenever its members change).
-- A member who leaves stays findable under the case that held them.
CREATE TABLE person_names (
  holder_kind   text NOT NULL CHECK (holder_kind IN ('application', 'case')),
  holder_id     text NOT NULL,
  name          text COLLATE "C" NOT NULL,
  county_code   text NOT NULL,
  township_code text NOT NULL,
  village_code  text NOT NULL,
  PRIMARY KEY (holder_kind, holder_id, name)
);
CREATE INDEX person_names_county ON person_names (holder_kind, county_code, name, holder_id)
  INCLUDE (village_code);
CREATE INDEX person_names_all ON person_names (holder_kind, name, holder_id) INCLUDE (village_code);

CREATE FUNCTION application_member_named() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_names (holder_kind, holder_id, name, county_code, township_code, village_code)
  SELECT 'application', a.application_id, NEW.name, a.county_code, a.township_code, a.village_code
  FROM applications a WHERE a.application_id = NEW.application_id AND NEW.name <> ''
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER application_members_named AFTER INSERT ON application_members
  FOR EACH ROW EXECUTE FUNCTION application_member_named();

CREATE FUNCTION case_members_named() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_names (holder_kind, holder_id, name, county_code, township_code, village_code)
  SELECT DISTINCT 'case', NEW.case_id, m->>'name', NEW.county_code, NEW.township_code, NEW.village_code
  FROM jsonb_array_elements(coalesce(NEW.members, '[]'::jsonb)) m
  WHERE coalesce(m->>'name', '') <> ''
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_named AFTER INSERT ON cases
  FOR EACH ROW EXECUTE FUNCTION case_members_named();
CREATE TRIGGER cases_renamed AFTER UPDATE OF members ON cases
  FOR EACH ROW WHEN (OLD.members IS DISTINCT FROM NEW.members) EXECUTE FUNCTION case_members_named();

-- The look-up of one person (POST /v1/people/lookup): every holder that ever held them (released
-- enrolments too: a closed case), their register entries, their applications' temporary grants.
CREATE INDEX person_enrolments_person ON person_enrolments (id_number, holder_kind);
CREATE INDEX register_members_person ON register_members (id_number);
CREATE INDEX temporary_grants_application ON temporary_grants (application_id);

-- The back-fill of what exists (the triggers take every later write).
INSERT INTO person_names (holder_kind, holder_id, name, county_code, township_code, village_code)
SELECT DISTINCT 'application', a.application_id, m.name, a.county_code, a.township_code, a.village_code
FROM application_members m JOIN applications a USING (application_id) WHERE m.name <> ''
ON CONFLICT DO NOTHING;
INSERT INTO person_names (holder_kind, holder_id, name, county_code, township_code, village_code)
SELECT DISTINCT 'case', c.case_id, m->>'name', c.county_code, c.township_code, c.village_code
FROM cases c CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.view->'members', c.members, '[]'::jsonb)) m
WHERE coalesce(m->>'name', '') <> ''
ON CONFLICT DO NOTHING;

-- Down Migration
DROP INDEX temporary_grants_application;
DROP INDEX register_members_person;
DROP INDEX person_enrolments_person;
DROP TRIGGER cases_renamed ON cases;
DROP TRIGGER cases_named ON cases;
DROP FUNCTION case_members_named();
DROP TRIGGER application_members_named ON application_members;
DROP FUNCTION application_member_named();
DROP TABLE person_names;
DROP INDEX applications_listed;
DROP INDEX cases_listed;
