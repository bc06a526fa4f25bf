-- Up Migration

-- R-O5, R-A10: urban or rural, as investigated (else as declared), so that what is paid for an
-- application (a temporary grant) is counted in its column of the statistics.
ALTER TABLE applications ADD COLUMN residence text CHECK (residence IN ('urban', 'rural'));
UPDATE applications SET residence = view->'investigation'->'household'->>'residence'
  WHERE view->'investigation'->'household'->>'residence' IS NOT NULL;

-- Down Migration
ALTER TABLE applications DROP COLUMN residence;
