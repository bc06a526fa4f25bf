-- Up Migration

-- R-O4: the complaints ledger (台账), the read model of the complaint workflows (`complaint:<id>`),
-- their one writer. A named complainant's name and phone are personal data (R-O7): kept here for
-- the handler who answers, masked in every list, never in a log or a workflow's clear history.
CREATE TABLE complaints (
  complaint_id         text PRIMARY KEY,
  source               text NOT NULL,
  anonymous            boolean NOT NULL,
  complainant_name     text,
  complainant_phone    text,
  subject_kind         text NOT NULL CHECK (subject_kind IN ('case', 'application', 'staff', 'village')),
  subject_id           text NOT NULL,
  village_code         text NOT NULL,
  township_code        text NOT NULL,
  county_code          text NOT NULL,
  summary              text NOT NULL,
  received_on          date NOT NULL,
  received_by          text NOT NULL,
  -- R-O4: a repeat on the same subject is linked to the first complaint, not counted as new.
  repeat_of            text REFERENCES complaints,
  stage                text NOT NULL,
  handler              text,
  deadline_kind        text NOT NULL,
  deadline             date NOT NULL,
  deadline_provisional boolean NOT NULL DEFAULT false,
  extended             boolean NOT NULL DEFAULT false,
  extension_reason     text,
  at_risk              boolean NOT NULL DEFAULT false,
  overdue              boolean NOT NULL DEFAULT false,
  finding              text,
  finding_summary      text,
  found_on             date,
  data_check_case_id   text,
  -- R-O4 → R-O2: the finding asks the county for a spot check; the spot-check draw takes these up.
  spot_check_requested boolean NOT NULL DEFAULT false,
  answered_on          date,
  answered_late        boolean,
  closed_on            date,
  view                 jsonb NOT NULL,
  view_version         integer NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaints_region ON complaints (county_code, township_code, stage);
CREATE INDEX complaints_subject ON complaints (subject_kind, subject_id, received_on);

-- R-O6: decisions by staff member and period (GET /v1/audit).
CREATE INDEX audit_events_actor ON audit_events (actor_sub, occurred_at, id);

-- Down Migration
DROP INDEX audit_events_actor;
DROP TABLE complaints;
