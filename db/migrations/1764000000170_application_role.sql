-- Up Migration
-- R-O7 least privilege. The role that runs the migrations owns the schema; the API and the worker
-- connect as a login role in `dibao_app` (scripts/lib/postgres.ts `appLogin`, docker-compose's
-- migrate job), which reads and writes rows and owns nothing: no DDL (PostgreSQL 15 gives PUBLIC no
-- CREATE on the schema), no TRUNCATE of any table, and the audit append-only for it (INSERT and
-- SELECT, R-O6: no UPDATE, DELETE or TRUNCATE, whatever the triggers). Roles belong to the
-- Postgres cluster: created once, shared by every database of it (a concurrent creation by
-- another database's migration is not an error).
DO $$
BEGIN
  CREATE ROLE dibao_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO dibao_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dibao_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO dibao_app;
REVOKE UPDATE, DELETE ON audit_events FROM dibao_app;
REVOKE ALL ON pgmigrations FROM dibao_app;
-- Tables and sequences later migrations create (as the role running this one) are the app's too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dibao_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO dibao_app;

-- Down Migration
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM dibao_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM dibao_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM dibao_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM dibao_app;
REVOKE USAGE ON SCHEMA public FROM dibao_app;
