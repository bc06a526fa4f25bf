-- Up Migration

-- An in-progress key is claimed at a time; past the API's timeout, or once released after a
-- failure, the next request with the key runs again (its workflow and Update ids are the same).
ALTER TABLE idempotency_keys ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now();

-- Down Migration
ALTER TABLE idempotency_keys DROP COLUMN claimed_at;
