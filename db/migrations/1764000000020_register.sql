-- Up Migration

-- R-L1: the county's low-income register. One row per household and county; the register
-- workflow `register:<county>:<household key>` is its one writer (activity saveRegister). The key
-- is opaque (a hash), never an ID number. `view` is the workflow's snapshot: members, groups, how
-- it was found, warnings (visit tasks), visits, referrals and their answers (R-L2, R-L3).
CREATE TABLE register_households (
  household_key text PRIMARY KEY,
  county_code   text NOT NULL,
  township_code text NOT NULL,
  village_code  text NOT NULL,
  groups        text[] NOT NULL DEFAULT '{}',
  sources       text[] NOT NULL DEFAULT '{}',
  open_warnings int NOT NULL DEFAULT 0,
  at_risk       boolean NOT NULL DEFAULT false,
  overdue       boolean NOT NULL DEFAULT false,
  next_due_on   date,
  registered_on date NOT NULL,
  view          jsonb NOT NULL,
  revision      int NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX register_households_village ON register_households (village_code, household_key);
CREATE INDEX register_households_groups ON register_households USING gin (groups);

-- R-L1: a household appears once: every member's ID number points at its one entry per county.
-- Written with the household row (same writer); read by whoever finds a household to route it.
CREATE TABLE register_members (
  county_code   text NOT NULL,
  id_number     text NOT NULL,
  household_key text NOT NULL REFERENCES register_households (household_key),
  PRIMARY KEY (county_code, id_number)
);
CREATE INDEX register_members_household ON register_members (household_key);

-- R-L2: quarterly screening hits and warning indicators as they arrived (the integration intake
-- writes them, like comparison_hits); the register workflow acts on the signal, deduplicated by id.
CREATE TABLE monitoring_hits (
  hit_id        text PRIMARY KEY,
  kind          text NOT NULL,
  id_number     text NOT NULL,
  detected_on   date NOT NULL,
  household_key text,
  outcome       text NOT NULL CHECK (outcome IN ('matched', 'registered', 'unknown')),
  reported_by   text,
  received_at   timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE monitoring_hits;
DROP TABLE register_members;
DROP TABLE register_households;
