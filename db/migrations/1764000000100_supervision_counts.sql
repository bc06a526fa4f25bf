-- Up Migration

-- R-O3: the supervisor's counts of overdue and at-risk work by township and kind, kept by the
-- writers in their own transactions so that the page's summary reads a few thousand counters for a
-- province instead of counting a million flagged items. Every source table (applications,
-- case_tasks, spot_checks, complaints, register_households) keeps its one writer; the counters are
-- derived from those writes by statement-level triggers over the statement's transition tables, the
-- way ledger_history is (migration 080), so a bulk statement costs one aggregate, not one call per
-- row. Each trigger adds what the statement's new rows count and subtracts what its old rows
-- counted, grouped by township and kind, touching counters in key order (no deadlock between two
-- writers) and only where the difference is not zero (an update that moves no flag locks nothing).

CREATE TABLE supervision_counts (
  township_code text NOT NULL,
  kind          text NOT NULL,
  -- No CHECK (>= 0): Postgres checks an upsert's proposed row, a negative difference, before it
  -- finds the conflict that turns it into an addition.
  overdue       bigint NOT NULL DEFAULT 0,
  at_risk       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (township_code, kind)
);

-- TG_ARGV[0]: the kind (an SQL expression over the row); TG_ARGV[1]: the open-work predicate, the
-- same as the overdue list's (db/repositories/overdue.ts). A row counts once: overdue, or at risk
-- and not overdue.
CREATE FUNCTION supervision_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  part text := format(
    'SELECT township_code, (%s)::text AS kind, %%s * overdue::int AS o, %%s * (at_risk AND NOT overdue)::int AS r
     FROM %%I WHERE (%s) AND (at_risk OR overdue)', TG_ARGV[0], TG_ARGV[1]);
  source text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    source := format(part, 1, 1, 'new_rows');
  ELSIF TG_OP = 'DELETE' THEN
    source := format(part, -1, -1, 'old_rows');
  ELSE
    source := format(part, 1, 1, 'new_rows') || ' UNION ALL ' || format(part, -1, -1, 'old_rows');
  END IF;
  EXECUTE format(
    'INSERT INTO supervision_counts AS c (township_code, kind, overdue, at_risk)
     SELECT township_code, kind, sum(o), sum(r) FROM (%s) d
     GROUP BY township_code, kind HAVING sum(o) <> 0 OR sum(r) <> 0
     ORDER BY township_code, kind
     ON CONFLICT (township_code, kind) DO UPDATE
       SET overdue = c.overdue + EXCLUDED.overdue, at_risk = c.at_risk + EXCLUDED.at_risk', source);
  RETURN NULL;
END $$;

-- The counted tables, with the kind and the open-work predicate of each (as the overdue list's).
CREATE FUNCTION supervision_sources(OUT tab text, OUT kind text, OUT open text) RETURNS SETOF record
LANGUAGE sql IMMUTABLE AS $$
  VALUES ('applications', '''application''', 'stage NOT IN (''approved'', ''rejected'', ''withdrawn'')'),
         ('case_tasks', 'kind', 'closed_on IS NULL'),
         ('spot_checks', '''spot_check''', 'outcome IS NULL'),
         ('complaints', '''complaint''', 'closed_on IS NULL'),
         ('register_households', '''household_visit''', 'open_warnings > 0')
$$;

-- Every counter again from its sources: the back-fill below, and after a TRUNCATE of a source
-- (which fires no DELETE trigger).
CREATE FUNCTION supervision_recount() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s record;
BEGIN
  DELETE FROM supervision_counts;
  FOR s IN SELECT * FROM supervision_sources() LOOP
    EXECUTE format(
      'INSERT INTO supervision_counts AS c (township_code, kind, overdue, at_risk)
       SELECT township_code, (%s)::text, count(*) FILTER (WHERE overdue), count(*) FILTER (WHERE NOT overdue)
       FROM %I WHERE (%s) AND (at_risk OR overdue) GROUP BY 1, 2
       ON CONFLICT (township_code, kind) DO UPDATE
         SET overdue = c.overdue + EXCLUDED.overdue, at_risk = c.at_risk + EXCLUDED.at_risk', s.kind, s.tab, s.open);
  END LOOP;
  RETURN NULL;
END $$;

-- One trigger per event and table: Postgres gives transition tables only to single-event triggers.
-- The tables are locked for the back-fill so that no write falls between the count and a trigger.
LOCK TABLE applications, case_tasks, spot_checks, complaints, register_households IN SHARE ROW EXCLUSIVE MODE;
DO $$
DECLARE
  s record;
BEGIN
  FOR s IN SELECT * FROM supervision_sources() LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION supervision_counted(%L, %L)', s.tab || '_counted_insert', s.tab, s.kind, s.open);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION supervision_counted(%L, %L)', s.tab || '_counted_update', s.tab, s.kind, s.open);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION supervision_counted(%L, %L)', s.tab || '_counted_delete', s.tab, s.kind, s.open);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION supervision_recount()', s.tab || '_counted_truncate', s.tab);
  END LOOP;
END $$;

-- The back-fill: the recount once, fired through a throw-away table (a trigger function is called
-- only by a trigger).
CREATE TABLE supervision_counts_backfill ();
CREATE TRIGGER backfill AFTER TRUNCATE ON supervision_counts_backfill
  FOR EACH STATEMENT EXECUTE FUNCTION supervision_recount();
TRUNCATE supervision_counts_backfill;
DROP TABLE supervision_counts_backfill;

-- The overdue list's branches for complaints (R-O4) and the register's visit warnings (R-L2): the
-- same partial-index shape as migration 040 (scope, overdue, due date, id).
CREATE INDEX complaints_flagged_county
  ON complaints (county_code, overdue, deadline, complaint_id) INCLUDE (township_code)
  WHERE closed_on IS NULL AND (at_risk OR overdue);
CREATE INDEX complaints_flagged_township
  ON complaints (township_code, overdue, deadline, complaint_id) INCLUDE (village_code)
  WHERE closed_on IS NULL AND (at_risk OR overdue);
CREATE INDEX complaints_flagged_all
  ON complaints (overdue, deadline, complaint_id) INCLUDE (county_code, township_code)
  WHERE closed_on IS NULL AND (at_risk OR overdue);
CREATE INDEX register_flagged_county
  ON register_households (county_code, overdue, next_due_on, household_key) INCLUDE (township_code)
  WHERE open_warnings > 0 AND (at_risk OR overdue);
CREATE INDEX register_flagged_township
  ON register_households (township_code, overdue, next_due_on, household_key) INCLUDE (village_code)
  WHERE open_warnings > 0 AND (at_risk OR overdue);
CREATE INDEX register_flagged_all
  ON register_households (overdue, next_due_on, household_key) INCLUDE (county_code, township_code)
  WHERE open_warnings > 0 AND (at_risk OR overdue);

-- Down Migration
DROP INDEX register_flagged_all;
DROP INDEX register_flagged_township;
DROP INDEX register_flagged_county;
DROP INDEX complaints_flagged_all;
DROP INDEX complaints_flagged_township;
DROP INDEX complaints_flagged_county;
DO $$
DECLARE
  s record;
  ev text;
BEGIN
  FOR s IN SELECT * FROM supervision_sources() LOOP
    FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete', 'truncate'] LOOP
      EXECUTE format('DROP TRIGGER %I ON %I', s.tab || '_counted_' || ev, s.tab);
    END LOOP;
  END LOOP;
END $$;
DROP FUNCTION supervision_recount();
DROP FUNCTION supervision_sources();
DROP FUNCTION supervision_counted();
DROP TABLE supervision_counts;
