-- Up Migration

-- R-O1: the county's roster of its assistance staff and village cadres with their close relatives,
-- kept by county staff through the API (no workflow owns it). Each submission is one row of
-- `roster_uploads` (who, when, from which day, what it changed); each relation is one entry of
-- `close_relative_roster`, in force from its first day until the day a later submission ended it.
-- Nothing is deleted or rewritten (R-O6): an entry is only ever ended.
CREATE TABLE roster_uploads (
  upload_id    text PRIMARY KEY,
  county_code  text NOT NULL,
  effective_on date NOT NULL,
  complete     boolean NOT NULL,
  format       text NOT NULL CHECK (format IN ('json', 'csv', 'xlsx')),
  started      integer NOT NULL,
  ended        integer NOT NULL,
  unchanged    integer NOT NULL,
  recorded_by  text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX roster_uploads_county ON roster_uploads (county_code, recorded_at);
CREATE TRIGGER roster_uploads_append_only BEFORE UPDATE OR DELETE ON roster_uploads
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE close_relative_roster (
  entry_id           bigserial PRIMARY KEY,
  county_code        text NOT NULL,
  staff_ref          text NOT NULL,
  staff_name         text NOT NULL,
  position           text NOT NULL CHECK (position IN ('assistance_staff', 'village_cadre')),
  post               text,
  region_code        text NOT NULL,
  relative_id_number text NOT NULL,
  relative_name      text NOT NULL,
  relation           text NOT NULL,
  effective_from     date NOT NULL,
  ended_on           date,
  started_in         text NOT NULL REFERENCES roster_uploads,
  ended_in           text REFERENCES roster_uploads,
  CHECK (ended_on IS NULL OR ended_on >= effective_from),
  CHECK ((ended_on IS NULL) = (ended_in IS NULL))
);
-- The check of a household: its members' ID numbers in the county's roster.
CREATE INDEX close_relative_roster_relative ON close_relative_roster (relative_id_number, county_code);
-- A submission reads the county's open entries.
CREATE INDEX close_relative_roster_open ON close_relative_roster (county_code, staff_ref) WHERE ended_on IS NULL;
-- The list, by the region the staff member serves in, paged by entry id.
CREATE INDEX close_relative_roster_region ON close_relative_roster (region_code text_pattern_ops, entry_id);

CREATE FUNCTION roster_entry_only_ends() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.ended_on IS NOT NULL OR NEW.ended_on IS NULL
     OR (to_jsonb(NEW) - 'ended_on' - 'ended_in') IS DISTINCT FROM (to_jsonb(OLD) - 'ended_on' - 'ended_in') THEN
    RAISE EXCEPTION 'a roster entry is only ever ended, once (R-O6)';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER close_relative_roster_only_ends BEFORE UPDATE ON close_relative_roster
  FOR EACH ROW EXECUTE FUNCTION roster_entry_only_ends();
CREATE TRIGGER close_relative_roster_kept BEFORE DELETE ON close_relative_roster
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- R-O1: who filed: the clerk who ticked the box at receipt, the roster's match, or the case filing
-- itself again as a close-relative case (re-review, import). One filing per source and occasion.
ALTER TABLE close_relative_filings
  ADD COLUMN source text NOT NULL DEFAULT 'clerk' CHECK (source IN ('clerk', 'roster', 'case'));
UPDATE close_relative_filings SET source = 'case' WHERE subject_kind = 'case';
ALTER TABLE close_relative_filings DROP CONSTRAINT close_relative_filings_pkey;
ALTER TABLE close_relative_filings ADD PRIMARY KEY (subject_kind, subject_id, occasion, filed_on, source);

-- Down Migration
ALTER TABLE close_relative_filings DROP CONSTRAINT close_relative_filings_pkey;
DELETE FROM close_relative_filings WHERE source = 'roster';
ALTER TABLE close_relative_filings ADD PRIMARY KEY (subject_kind, subject_id, occasion, filed_on);
ALTER TABLE close_relative_filings DROP COLUMN source;
DROP TABLE close_relative_roster;
DROP FUNCTION roster_entry_only_ends();
DROP TABLE roster_uploads;
