-- Up Migration

-- A county's caseload brought in from the provincial system (API.md "Documents and onboarding").
-- `imports` and `import_households` are the parsed, validated batch, written once by the import
-- route (no workflow owns them); the import workflow reads them by id, so the file's personal data
-- stays out of workflow history. `import_outcomes` is the import workflow's progress (its writer).
CREATE TABLE imports (
  import_id        text PRIMARY KEY,
  county_code      text NOT NULL,
  format           text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  valid_only       boolean NOT NULL,
  rows_total       integer NOT NULL,
  rows_invalid     integer NOT NULL,
  households_total integer NOT NULL,
  -- The rows refused by validation (row number, household key, field, reason; never a name or ID number).
  report           jsonb NOT NULL,
  -- The county's parameters and runtime calendar in force at the upload (R-O6), for every case.
  context          jsonb NOT NULL,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_households (
  import_id     text NOT NULL REFERENCES imports,
  seq           integer NOT NULL,
  case_id       text NOT NULL,
  village_code  text NOT NULL,
  household     jsonb NOT NULL,
  PRIMARY KEY (import_id, seq)
);

CREATE TABLE import_outcomes (
  import_id   text NOT NULL REFERENCES imports,
  seq         integer NOT NULL,
  case_id     text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('created', 'already_present', 'failed')),
  reason      text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (import_id, seq)
);

-- An imported case has no application: it names the import that created it instead.
ALTER TABLE cases ALTER COLUMN application_id DROP NOT NULL;
ALTER TABLE cases ADD COLUMN import_id text;

-- Down Migration
ALTER TABLE cases DROP COLUMN import_id;
DROP TABLE import_outcomes;
DROP TABLE import_households;
DROP TABLE imports;
