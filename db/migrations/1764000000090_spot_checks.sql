-- Up Migration

-- R-O2: a county's spot-check round for one month of township decisions. The round workflow
-- (`spotcheck:<county>:<month>`) writes it once: the nonce it generated, the seed derived from it,
-- the population in its stable order and the draw, so anyone can recompute the draw from the row.
CREATE TABLE spot_check_rounds (
  round_id             text PRIMARY KEY,
  county_code          text NOT NULL,
  month                text NOT NULL,
  nonce                text NOT NULL,
  seed                 text NOT NULL,
  decision_ratio       text NOT NULL,
  close_relative_ratio text NOT NULL,
  parameter_version    text,
  population           jsonb NOT NULL,
  population_size      integer NOT NULL,
  drawn                jsonb NOT NULL,
  strata               jsonb NOT NULL,
  drawn_on             date NOT NULL,
  started_by           text NOT NULL,
  recorded_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_code, month)
);

-- R-O2, R-O3: one county check task per sampled decision, owned by `spotcheck-item:<check id>`:
-- its deadline and flags, then the finding (R-O6: who, when, why) and what became of it.
CREATE TABLE spot_checks (
  check_id        text PRIMARY KEY,
  round_id        text NOT NULL REFERENCES spot_check_rounds,
  application_id  text NOT NULL UNIQUE,
  case_id         text,
  county_code     text NOT NULL,
  township_code   text NOT NULL,
  village_code    text NOT NULL,
  decision        text NOT NULL CHECK (decision IN ('approved', 'rejected')),
  decided_on      date NOT NULL,
  decided_by      text NOT NULL,
  close_relative  boolean NOT NULL,
  opened_on       date NOT NULL,
  due_on          date NOT NULL,
  due_provisional boolean NOT NULL DEFAULT false,
  at_risk_on      date NOT NULL,
  at_risk         boolean NOT NULL DEFAULT false,
  overdue         boolean NOT NULL DEFAULT false,
  outcome         text CHECK (outcome IN ('confirmed', 'corrected', 'reversed')),
  reasons         text,
  monthly_amount  numeric(14, 2),
  found_by        text,
  found_on        date,
  follow_up       text,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX spot_checks_round ON spot_checks (round_id, check_id);
CREATE INDEX spot_checks_open ON spot_checks (county_code, overdue, at_risk) WHERE outcome IS NULL;

-- Down Migration
DROP TABLE spot_checks;
DROP TABLE spot_check_rounds;
