-- Up Migration

-- R-M2: death notices for a person no case holds (answered `unknown`). `death_notices` is the case
-- workflow's own record of the notices it received (its one writer), so these are kept apart, written
-- by the integration intake: a resent id is then answered as a duplicate, and staff can follow up the
-- persons (R-L1: households found by data comparison).
CREATE TABLE unmatched_death_notices (
  notice_id   text PRIMARY KEY,
  id_number   text NOT NULL,
  died_on     date NOT NULL,
  source      text NOT NULL,
  reported_by text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unmatched_death_notices_person ON unmatched_death_notices (id_number, died_on);

-- Notices the API recorded as unknown before move here; `death_notices` keeps what cases received.
INSERT INTO unmatched_death_notices (notice_id, id_number, died_on, source, reported_by, received_at)
  SELECT notice_id, id_number, died_on, source, reported_by, received_at FROM death_notices WHERE outcome = 'unknown';
DELETE FROM death_notices WHERE outcome = 'unknown';

-- Down Migration
INSERT INTO death_notices (notice_id, id_number, died_on, source, outcome, reported_by, received_at)
  SELECT notice_id, id_number, died_on, source, 'unknown', reported_by, received_at FROM unmatched_death_notices
  ON CONFLICT (notice_id) DO NOTHING;
DROP TABLE unmatched_death_notices;
