-- Up Migration

-- Read model of the case workflow (the workflow is the source of truth). `revision` is the view's
-- save counter: an older snapshot never overwrites a newer one (saveCase).
ALTER TABLE cases
  ADD COLUMN persons           integer,
  ADD COLUMN closed_reason     text,
  ADD COLUMN closed_from_month text,
  ADD COLUMN next_review_on    date,
  ADD COLUMN view              jsonb,
  ADD COLUMN revision          integer NOT NULL DEFAULT 0,
  ADD COLUMN updated_at        timestamptz;
-- R-M8 fan-out pages through a county's open cases by id.
CREATE INDEX cases_county_open ON cases (county_code, case_id) WHERE status <> 'closed';
CREATE INDEX cases_village ON cases (village_code);

-- R-M1: the month handed to the payroll at its roster cut-off, with the amount then due; recorded
-- exactly once per case and month. The payroll reads it.
CREATE TABLE case_months (
  case_id           text NOT NULL REFERENCES cases,
  month             text NOT NULL,
  county_code       text NOT NULL,
  township_code     text NOT NULL,
  village_code      text NOT NULL,
  category          text NOT NULL,
  residence         text NOT NULL,
  amount            numeric(14, 2) NOT NULL CHECK (amount >= 0),
  persons           integer NOT NULL,
  status            text NOT NULL CHECK (status IN ('regular', 'taper', 'suspended')),
  rostered_on       date NOT NULL,
  parameter_version text,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, month)
);
CREATE INDEX case_months_county ON case_months (county_code, month);

-- R-M2, R-M5, R-M8: back-pay or a recovery for months already rostered; the payroll settles it.
CREATE TABLE case_adjustments (
  adjustment_key    text PRIMARY KEY,
  case_id           text NOT NULL REFERENCES cases,
  county_code       text NOT NULL,
  township_code     text NOT NULL,
  village_code      text NOT NULL,
  category          text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('back_pay', 'recovery')),
  amount            numeric(14, 2) NOT NULL CHECK (amount > 0),
  months            text[] NOT NULL,
  reason            text NOT NULL,
  decided_on        date NOT NULL,
  parameter_version text,
  settled_amount    numeric(14, 2) NOT NULL DEFAULT 0,
  recorded_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_adjustments_county ON case_adjustments (county_code, kind);

-- R-O3: a case's reviews and checks with their deadlines, for supervisors. Task ids are unique per case.
CREATE TABLE case_tasks (
  case_id         text NOT NULL REFERENCES cases,
  task_id         text NOT NULL,
  kind            text NOT NULL,
  county_code     text NOT NULL,
  township_code   text NOT NULL,
  village_code    text NOT NULL,
  opened_on       date NOT NULL,
  due_on          date NOT NULL,
  due_provisional boolean NOT NULL DEFAULT false,
  at_risk_on      date NOT NULL,
  at_risk         boolean NOT NULL DEFAULT false,
  overdue         boolean NOT NULL DEFAULT false,
  simplified      boolean NOT NULL DEFAULT false,
  outcome         text,
  closed_on       date,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, task_id)
);
CREATE INDEX case_tasks_open ON case_tasks (county_code, overdue, at_risk) WHERE closed_on IS NULL;

-- R-M2: death notices as received (staff, visit reports, data comparison) and what became of them;
-- the same death reported twice is one event, so look-ups go by (person, date of death).
CREATE TABLE death_notices (
  notice_id   text PRIMARY KEY,
  id_number   text NOT NULL,
  died_on     date NOT NULL,
  source      text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  case_id     text,
  outcome     text NOT NULL CHECK (outcome IN ('matched', 'duplicate', 'unknown', 'applied', 'not_member')),
  reported_by text
);
CREATE INDEX death_notices_person ON death_notices (id_number, died_on);

-- R-M6: data-comparison hits; each opens a check and never removes anyone by itself (R-A11).
CREATE TABLE comparison_hits (
  hit_id      text PRIMARY KEY,
  kind        text NOT NULL,
  id_number   text NOT NULL,
  detected_on date NOT NULL,
  source      text NOT NULL,
  details     text NOT NULL,
  case_id     text,
  outcome     text,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- R-M7: a village's monthly visit report (a zero report when nothing happened) and the township's
-- forwarding to the county.
CREATE TABLE visit_reports (
  village_code  text NOT NULL,
  month         text NOT NULL,
  township_code text NOT NULL,
  county_code   text NOT NULL,
  zero_report   boolean NOT NULL,
  entries       jsonb NOT NULL DEFAULT '[]'::jsonb,
  submitted_by  text NOT NULL,
  submitted_on  date NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (village_code, month)
);
CREATE TABLE township_forwards (
  township_code text NOT NULL,
  month         text NOT NULL,
  county_code   text NOT NULL,
  forwarded_by  text NOT NULL,
  forwarded_on  date NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (township_code, month)
);

-- Down Migration
DROP TABLE township_forwards;
DROP TABLE visit_reports;
DROP TABLE comparison_hits;
DROP TABLE death_notices;
DROP TABLE case_tasks;
DROP TABLE case_adjustments;
DROP TABLE case_months;
DROP INDEX cases_village;
DROP INDEX cases_county_open;
ALTER TABLE cases
  DROP COLUMN updated_at,
  DROP COLUMN revision,
  DROP COLUMN view,
  DROP COLUMN next_review_on,
  DROP COLUMN closed_from_month,
  DROP COLUMN closed_reason,
  DROP COLUMN persons;
