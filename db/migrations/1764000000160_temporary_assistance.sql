-- Up Migration

-- R-A10: temporary assistance (临时救助) as its own procedure, one workflow
-- `temporary-assistance:<id>` per request, the one writer of its rows here.

-- A county's limits of the township's reserve fund (备用金) and the documentation deadline,
-- effective-dated like every county parameter; never edited, a change is a new version.
CREATE TABLE temporary_assistance_limits (
  version                            text PRIMARY KEY,
  county_code                        text NOT NULL,
  effective_from                     date NOT NULL,
  per_grant                          numeric(14, 2) NOT NULL CHECK (per_grant >= 0),
  per_household_year                 numeric(14, 2) NOT NULL CHECK (per_household_year >= per_grant),
  documentation_working_days         integer NOT NULL CHECK (documentation_working_days > 0),
  documentation_at_risk_working_days integer NOT NULL CHECK (documentation_at_risk_working_days >= 0),
  created_by                         text NOT NULL,
  created_at                         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX temporary_assistance_limits_county ON temporary_assistance_limits (county_code, effective_from, created_at);

-- The read model of each request: where the hardship happened (the township acts, whatever the
-- registration), the decision, the payment, and the documentation of a grant paid first.
CREATE TABLE temporary_assistance (
  assistance_id             text PRIMARY KEY,
  county_code               text NOT NULL,
  township_code             text NOT NULL,
  village_code              text NOT NULL,
  residence                 text NOT NULL CHECK (residence IN ('urban', 'rural')),
  persons                   integer NOT NULL CHECK (persons > 0),
  hardship_kind             text NOT NULL,
  amount_asked              numeric(14, 2) NOT NULL,
  received_on               date NOT NULL,
  received_by               text NOT NULL,
  source_kind               text NOT NULL,
  source_ref                text,
  stage                     text NOT NULL,
  -- The decision, written first by the yearly-limit check (under the household's lock), then kept
  -- by the saves: what the household had before counts the next grant of the year.
  decided_level             text CHECK (decided_level IN ('township', 'county')),
  decided_on                date,
  granted_amount            numeric(14, 2) CHECK (granted_amount > 0),
  granted_before            numeric(14, 2),
  payment_status            text,
  documentation_due         date,
  documentation_provisional boolean NOT NULL DEFAULT false,
  documented_on             date,
  at_risk                   boolean NOT NULL DEFAULT false,
  overdue                   boolean NOT NULL DEFAULT false,
  view                      jsonb NOT NULL,
  view_version              integer NOT NULL,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX temporary_assistance_region ON temporary_assistance (county_code, township_code, received_on);

-- The household as received: the yearly limit adds the grants of every request naming one of them.
CREATE TABLE temporary_assistance_members (
  assistance_id text NOT NULL REFERENCES temporary_assistance,
  id_number     text NOT NULL,
  name          text NOT NULL,
  relation      text NOT NULL,
  PRIMARY KEY (assistance_id, id_number)
);
CREATE INDEX temporary_assistance_members_person ON temporary_assistance_members (id_number);

-- R-A10, R-M1: a grant is paid through the ledger and a bank line of its own; its payment batch is
-- the request itself, so a ledger row or line may name a temporary-assistance request where it
-- names a payroll (the check of migration 080, once per statement).
CREATE OR REPLACE FUNCTION ledger_payrolls_exist(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT i INTO missing FROM unnest(ids) i
  WHERE NOT EXISTS (SELECT 1 FROM payrolls p WHERE p.payroll_id = i)
    AND NOT EXISTS (SELECT 1 FROM temporary_assistance t WHERE t.assistance_id = i)
  LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'payroll % does not exist', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
END $$;
-- R-O5: the statistics line of temporary assistance, by the month the grant was paid.
CREATE INDEX ledger_temporary_grants ON ledger (county_code, month) WHERE kind = 'temporary_grant';

-- R-O3: the documentation of a grant paid first is supervised like every other task: a source of
-- the supervisor's counters (migration 100) and a branch of the overdue list.
CREATE OR REPLACE FUNCTION supervision_sources(OUT tab text, OUT kind text, OUT open text) RETURNS SETOF record
LANGUAGE sql IMMUTABLE AS $$
  VALUES ('applications', '''application''', 'stage NOT IN (''approved'', ''rejected'', ''withdrawn'')'),
         ('case_tasks', 'kind', 'closed_on IS NULL'),
         ('spot_checks', '''spot_check''', 'outcome IS NULL'),
         ('complaints', '''complaint''', 'closed_on IS NULL'),
         ('register_households', '''household_visit''', 'open_warnings > 0'),
         ('temporary_assistance', '''temporary_documentation''', 'documentation_due IS NOT NULL AND documented_on IS NULL')
$$;
CREATE TRIGGER temporary_assistance_counted_insert AFTER INSERT ON temporary_assistance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION supervision_counted('''temporary_documentation''', 'documentation_due IS NOT NULL AND documented_on IS NULL');
CREATE TRIGGER temporary_assistance_counted_update AFTER UPDATE ON temporary_assistance
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION supervision_counted('''temporary_documentation''', 'documentation_due IS NOT NULL AND documented_on IS NULL');
CREATE TRIGGER temporary_assistance_counted_delete AFTER DELETE ON temporary_assistance
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION supervision_counted('''temporary_documentation''', 'documentation_due IS NOT NULL AND documented_on IS NULL');
CREATE TRIGGER temporary_assistance_counted_truncate AFTER TRUNCATE ON temporary_assistance
  FOR EACH STATEMENT EXECUTE FUNCTION supervision_recount();

CREATE INDEX temporary_assistance_flagged_county
  ON temporary_assistance (county_code, overdue, documentation_due, assistance_id) INCLUDE (township_code)
  WHERE documentation_due IS NOT NULL AND documented_on IS NULL AND (at_risk OR overdue);
CREATE INDEX temporary_assistance_flagged_township
  ON temporary_assistance (township_code, overdue, documentation_due, assistance_id) INCLUDE (village_code)
  WHERE documentation_due IS NOT NULL AND documented_on IS NULL AND (at_risk OR overdue);
CREATE INDEX temporary_assistance_flagged_all
  ON temporary_assistance (overdue, documentation_due, assistance_id) INCLUDE (county_code, township_code)
  WHERE documentation_due IS NOT NULL AND documented_on IS NULL AND (at_risk OR overdue);

-- Down Migration
DROP INDEX temporary_assistance_flagged_all;
DROP INDEX temporary_assistance_flagged_township;
DROP INDEX temporary_assistance_flagged_county;
DROP TRIGGER temporary_assistance_counted_truncate ON temporary_assistance;
DROP TRIGGER temporary_assistance_counted_delete ON temporary_assistance;
DROP TRIGGER temporary_assistance_counted_update ON temporary_assistance;
DROP TRIGGER temporary_assistance_counted_insert ON temporary_assistance;
CREATE OR REPLACE FUNCTION supervision_sources(OUT tab text, OUT kind text, OUT open text) RETURNS SETOF record
LANGUAGE sql IMMUTABLE AS $$
  VALUES ('applications', '''application''', 'stage NOT IN (''approved'', ''rejected'', ''withdrawn'')'),
         ('case_tasks', 'kind', 'closed_on IS NULL'),
         ('spot_checks', '''spot_check''', 'outcome IS NULL'),
         ('complaints', '''complaint''', 'closed_on IS NULL'),
         ('register_households', '''household_visit''', 'open_warnings > 0')
$$;
DELETE FROM supervision_counts WHERE kind = 'temporary_documentation';
DROP INDEX ledger_temporary_grants;
CREATE OR REPLACE FUNCTION ledger_payrolls_exist(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT i INTO missing FROM unnest(ids) i WHERE NOT EXISTS (SELECT 1 FROM payrolls p WHERE p.payroll_id = i) LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'payroll % does not exist', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
END $$;
DROP TABLE temporary_assistance_members;
DROP TABLE temporary_assistance;
DROP TABLE temporary_assistance_limits;
