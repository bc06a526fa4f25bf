-- Up Migration

-- R-M8: a rate entry's head count (a standard change moves an amount by the difference × persons),
-- and the day the case workflow decided it. Approval's first entry (recordCase) leaves them empty.
ALTER TABLE entitlements
  ADD COLUMN persons    integer,
  ADD COLUMN decided_on date;

-- Down Migration
ALTER TABLE entitlements DROP COLUMN decided_on, DROP COLUMN persons;
