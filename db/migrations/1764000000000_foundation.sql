-- Up Migration

-- R-O6: every decision records who, when, why; nothing is deleted. event_key makes a retried
-- activity write one row (INSERT ... ON CONFLICT (event_key) DO NOTHING).
CREATE TABLE audit_events (
  id           bigserial PRIMARY KEY,
  event_key    text NOT NULL UNIQUE,
  subject_kind text NOT NULL,
  subject_id   text NOT NULL,
  action       text NOT NULL,
  actor_sub    text,
  actor_role   text,
  occurred_at  timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  reason       text,
  parameter_version text,
  payload      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_subject ON audit_events (subject_kind, subject_id, id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: rows are kept for audit (R-O6)', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- API.md: every write accepts an Idempotency-Key; the first answer is stored and replayed.
CREATE TABLE idempotency_keys (
  caller       text NOT NULL,
  key          text NOT NULL,
  method       text NOT NULL,
  path         text NOT NULL,
  request_hash text NOT NULL,
  status_code  integer,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (caller, key)
);

-- Down Migration
DROP TABLE idempotency_keys;
DROP TRIGGER audit_events_append_only ON audit_events;
DROP TABLE audit_events;
DROP FUNCTION refuse_change();
