-- Up Migration

-- R-E*, R-M8: a county's policy parameters, effective-dated; every decision names the version used.
CREATE TABLE policy_versions (
  county_code    text NOT NULL,
  version        text NOT NULL,
  effective_from date NOT NULL,
  parameters     jsonb NOT NULL,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, version)
);
CREATE INDEX policy_versions_effective ON policy_versions (county_code, effective_from);

-- R-T2: years published at run time (PUT /v1/admin/calendar/{year}); builtin years ship in code.
CREATE TABLE calendar_years (
  year              integer PRIMARY KEY,
  holidays          date[] NOT NULL,
  make_up_workdays  date[] NOT NULL,
  updated_by        text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Read model of the application workflow (the workflow is the source of truth).
CREATE TABLE applications (
  application_id      text PRIMARY KEY,
  category            text NOT NULL,
  village_code        text NOT NULL,
  township_code       text NOT NULL,
  county_code         text NOT NULL,
  accepted_on         date NOT NULL,
  delegated           boolean NOT NULL,
  extended            boolean NOT NULL DEFAULT false,
  close_relative      boolean NOT NULL,
  stage               text NOT NULL,
  policy_version      text,
  overall_deadline    date,
  deadline_provisional boolean NOT NULL DEFAULT false,
  at_risk             boolean NOT NULL DEFAULT false,
  overdue             boolean NOT NULL DEFAULT false,
  deadlines           jsonb NOT NULL DEFAULT '[]'::jsonb,
  view                jsonb,
  view_version        integer NOT NULL DEFAULT 0,
  received_by         text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applications_open ON applications (county_code, township_code, stage);

CREATE TABLE application_members (
  application_id text NOT NULL REFERENCES applications,
  id_number      text NOT NULL,
  name           text NOT NULL,
  relation       text NOT NULL,
  PRIMARY KEY (application_id, id_number)
);
CREATE INDEX application_members_person ON application_members (id_number);

-- R-A1: no double enrolment. A person is held by at most one open application or active case;
-- releasing sets released_at (rows are kept).
CREATE TABLE person_enrolments (
  id            bigserial PRIMARY KEY,
  id_number     text NOT NULL,
  holder_kind   text NOT NULL CHECK (holder_kind IN ('application', 'case')),
  holder_id     text NOT NULL,
  held_at       timestamptz NOT NULL DEFAULT now(),
  released_at   timestamptz,
  UNIQUE (holder_kind, holder_id, id_number)
);
CREATE UNIQUE INDEX person_enrolments_one_active ON person_enrolments (id_number) WHERE released_at IS NULL;

-- R-O1: close-relative cases are filed at receipt and at each re-review.
CREATE TABLE close_relative_filings (
  subject_kind text NOT NULL,
  subject_id   text NOT NULL,
  occasion     text NOT NULL,
  filed_on     date NOT NULL,
  filed_by     text NOT NULL,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (subject_kind, subject_id, occasion, filed_on)
);

-- R-A7, R-M9: written notices with reasons.
CREATE TABLE notices (
  notice_id         text PRIMARY KEY,
  kind              text NOT NULL,
  subject_kind      text NOT NULL,
  subject_id        text NOT NULL,
  village_code      text NOT NULL,
  addressee         text NOT NULL,
  reasons           text NOT NULL,
  decided_on        date NOT NULL,
  decided_by        text NOT NULL,
  due_on            date,
  parameter_version text,
  issued_at         timestamptz NOT NULL DEFAULT now()
);

-- R-A8: a case in benefit and its effective-dated entitlement (the payroll reads entitlements).
CREATE TABLE cases (
  case_id         text PRIMARY KEY,
  application_id  text NOT NULL UNIQUE REFERENCES applications,
  category        text NOT NULL,
  village_code    text NOT NULL,
  township_code   text NOT NULL,
  county_code     text NOT NULL,
  status          text NOT NULL,
  monthly_amount  numeric(14, 2) NOT NULL,
  start_month     text NOT NULL,
  approved_on     date NOT NULL,
  approved_by     text NOT NULL,
  members         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE entitlements (
  entry_key         text PRIMARY KEY,
  case_id           text NOT NULL REFERENCES cases,
  effective_month   text NOT NULL,
  monthly_amount    numeric(14, 2) NOT NULL,
  reason            text NOT NULL,
  parameter_version text,
  recorded_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entitlements_case ON entitlements (case_id, effective_month);

-- R-A10: one-off temporary grants paid while an application is pending.
CREATE TABLE temporary_grants (
  grant_id       text PRIMARY KEY,
  application_id text NOT NULL REFERENCES applications,
  village_code   text NOT NULL,
  amount         numeric(14, 2) NOT NULL CHECK (amount > 0),
  reason         text NOT NULL,
  granted_on     date NOT NULL,
  granted_by     text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- R-A6, R-O3: at-risk and overdue work raised to supervisors.
CREATE TABLE supervision_alerts (
  alert_key      text PRIMARY KEY,
  subject_kind   text NOT NULL,
  subject_id     text NOT NULL,
  county_code    text NOT NULL,
  township_code  text NOT NULL,
  village_code   text NOT NULL,
  flag           text NOT NULL CHECK (flag IN ('at_risk', 'overdue')),
  deadline_kind  text NOT NULL,
  due_on         date NOT NULL,
  raised_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervision_alerts_region ON supervision_alerts (county_code, township_code);

-- Down Migration
DROP TABLE supervision_alerts;
DROP TABLE temporary_grants;
DROP TABLE entitlements;
DROP TABLE cases;
DROP TABLE notices;
DROP TABLE close_relative_filings;
DROP TABLE person_enrolments;
DROP TABLE application_members;
DROP TABLE applications;
DROP TABLE calendar_years;
DROP TABLE policy_versions;
