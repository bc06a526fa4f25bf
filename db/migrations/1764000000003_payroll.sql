-- Up Migration

-- R-M1: one payroll per county and month (roster by the 5th, payment by the 10th, earlier when
-- those are not working days). The workflow is the process; this row is its read model.
CREATE TABLE payrolls (
  payroll_id    text PRIMARY KEY,                 -- '<county>:<YYYY-MM>'
  county_code   text NOT NULL,
  month         text NOT NULL,
  roster_date   date NOT NULL,
  payment_date  date NOT NULL,
  status        text NOT NULL CHECK (status IN ('rostering', 'sent', 'completed', 'overdue')),
  lines_total   integer NOT NULL DEFAULT 0,
  lines_done    integer NOT NULL DEFAULT 0,
  file_name     text,
  file_sha256   text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_code, month)
);

-- The exactly-once ledger: one row per (case, month, kind). The unique key makes every write of a
-- retried activity or a repeated payroll a no-op. Amounts: positive money out, negative for a
-- recovery offset. `payment_line_id` groups a case's rows of one payroll into one bank line.
CREATE TABLE ledger (
  case_id         text NOT NULL,
  month           text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('regular', 'back_pay', 'recovery_offset', 'temporary_grant')),
  payroll_id      text NOT NULL REFERENCES payrolls,
  county_code     text NOT NULL,
  township_code   text NOT NULL,
  village_code    text NOT NULL,
  category        text NOT NULL,
  residence       text NOT NULL,
  persons         integer NOT NULL,
  amount          numeric(14, 2) NOT NULL CHECK (amount <> 0),
  status          text NOT NULL CHECK (status IN ('scheduled', 'sent', 'paid', 'failed', 'returned')),
  attempts        integer NOT NULL DEFAULT 1,
  payment_line_id text,
  source_keys     text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, month, kind)
);
CREATE INDEX ledger_payroll ON ledger (payroll_id, case_id);
CREATE INDEX ledger_line ON ledger (payment_line_id);
CREATE INDEX ledger_stats ON ledger (county_code, month, category, residence);

-- Nothing in the ledger changes without a history row (and nothing is deleted).
CREATE TABLE ledger_history (
  id          bigserial PRIMARY KEY,
  case_id     text NOT NULL,
  month       text NOT NULL,
  kind        text NOT NULL,
  payroll_id  text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  amount      numeric(14, 2) NOT NULL,
  attempts    integer NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_history_row ON ledger_history (case_id, month, kind, id);

CREATE FUNCTION ledger_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.payroll_id = OLD.payroll_id
     AND NEW.amount = OLD.amount AND NEW.attempts = OLD.attempts THEN
    RETURN NEW;
  END IF;
  INSERT INTO ledger_history (case_id, month, kind, payroll_id, from_status, to_status, amount, attempts)
  VALUES (NEW.case_id, NEW.month, NEW.kind, NEW.payroll_id,
          CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status, NEW.amount, NEW.attempts);
  RETURN NEW;
END $$;
CREATE TRIGGER ledger_history_on_write AFTER INSERT OR UPDATE ON ledger
  FOR EACH ROW EXECUTE FUNCTION ledger_keep_history();
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ledger_history_append_only BEFORE UPDATE OR DELETE ON ledger_history
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The bank file's lines: one per case and payroll (net of the case's ledger rows), with the
-- bank's result. A failed line is retried in a later payroll as a new line (attempt n+1).
CREATE TABLE payment_lines (
  line_id       text PRIMARY KEY,                 -- '<payroll id>:<case id>'
  payroll_id    text NOT NULL REFERENCES payrolls,
  case_id       text NOT NULL,
  card_number   text NOT NULL,
  payee_name    text NOT NULL,
  amount        numeric(14, 2) NOT NULL CHECK (amount > 0),
  months        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('sent', 'paid', 'failed', 'returned', 'retried', 'escalated')),
  attempt       integer NOT NULL DEFAULT 1,
  retry_of      text REFERENCES payment_lines,
  result_at     timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_lines_payroll ON payment_lines (payroll_id, status);
CREATE INDEX payment_lines_case ON payment_lines (case_id);

-- The bank's results as received, deduplicated by the bank's result id (R-M1: exactly once).
CREATE TABLE payment_results (
  result_id   text PRIMARY KEY,
  line_id     text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('paid', 'failed', 'returned')),
  reason      text,
  reported_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  applied     boolean NOT NULL
);
CREATE INDEX payment_results_line ON payment_results (line_id);

-- Down Migration
DROP TABLE payment_results;
DROP TABLE payment_lines;
DROP TRIGGER ledger_history_append_only ON ledger_history;
DROP TRIGGER ledger_no_delete ON ledger;
DROP TRIGGER ledger_history_on_write ON ledger;
DROP FUNCTION ledger_keep_history();
DROP TABLE ledger_history;
DROP TABLE ledger;
DROP TABLE payrolls;
