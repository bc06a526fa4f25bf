-- Up Migration

-- R-O4 → R-O2: a complaint's finding may ask the county to spot-check a township decision. The
-- next round of the county records those decisions beside its random draw — each with the
-- complaints that asked — and opens a check for each, so the draw stays recomputable from its
-- seed and the requested checks are told apart from the drawn ones.
ALTER TABLE spot_check_rounds ADD COLUMN requested jsonb NOT NULL DEFAULT '[]';

-- Down Migration
ALTER TABLE spot_check_rounds DROP COLUMN requested;
