-- Up Migration

-- A caseload upload sent with `Prefer: respond-async` (API.md "Documents and onboarding") is answered
-- at once; its validation runs in an import thread of the API meanwhile, and GET /v1/imports/{id}
-- reads its progress here until the batch is stored (`imports`) or refused. Written by the import
-- route only (db/repositories/import-validations.ts). No personal data: counts and the refusal,
-- whose row problems name rows, household keys and fields.
CREATE TABLE import_validations (
  import_id    text PRIMARY KEY,
  county_code  text NOT NULL,
  created_by   text NOT NULL,
  status       text NOT NULL CHECK (status IN ('validating', 'refused', 'accepted')),
  -- Member rows of the file, once it is read; rows checked so far.
  rows_total   integer,
  rows_checked integer NOT NULL DEFAULT 0,
  -- The refusal as the synchronous upload answers it (problem+json: 400, 422, 503).
  problem      jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- Moved by every progress write: a validation whose API stopped is seen as interrupted.
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE import_validations;
