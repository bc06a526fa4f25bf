-- Up Migration

-- R-M1 at province scale: "nothing in the ledger changes without a history row" stays, but the
-- history is written once per statement from its transition tables instead of one PL/pgSQL call
-- per row (a payroll inserts ~1.07 rows per case and moves every row to 'sent' in one statement).
-- Postgres allows transition tables only on a trigger of one event, hence two triggers. Rows keep
-- the order in which the statement wrote them (ledger_history.id), and an UPDATE that changes none
-- of status, payroll, amount or attempts still leaves no history row.
DROP TRIGGER ledger_history_on_write ON ledger;

-- The statement-level functions also check the payroll reference once per statement (the row-level
-- foreign keys cost one lookup per row); payrolls are never deleted (below), so a reference that
-- exists when written stays valid. work_mem lets the old/new pairing hash in memory.
CREATE FUNCTION ledger_payrolls_exist(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT i INTO missing FROM unnest(ids) i WHERE NOT EXISTS (SELECT 1 FROM payrolls p WHERE p.payroll_id = i) LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'payroll % does not exist', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
END $$;

CREATE FUNCTION ledger_history_inserted() RETURNS trigger LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  PERFORM ledger_payrolls_exist(ARRAY(SELECT DISTINCT payroll_id FROM inserted_rows));
  INSERT INTO ledger_history (case_id, month, kind, payroll_id, from_status, to_status, amount, attempts)
  SELECT n.case_id, n.month, n.kind, n.payroll_id, NULL, n.status, n.amount, n.attempts FROM inserted_rows n;
  RETURN NULL;
END $$;

-- The key (case, month, kind) is never updated, so it pairs each old row with its new one.
CREATE FUNCTION ledger_history_updated() RETURNS trigger LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  PERFORM ledger_payrolls_exist(ARRAY(
    SELECT DISTINCT n.payroll_id FROM updated_new n JOIN updated_old o USING (case_id, month, kind)
    WHERE n.payroll_id <> o.payroll_id));
  INSERT INTO ledger_history (case_id, month, kind, payroll_id, from_status, to_status, amount, attempts)
  SELECT n.case_id, n.month, n.kind, n.payroll_id, o.status, n.status, n.amount, n.attempts
  FROM updated_new n JOIN updated_old o USING (case_id, month, kind)
  WHERE n.status <> o.status OR n.payroll_id <> o.payroll_id OR n.amount <> o.amount OR n.attempts <> o.attempts;
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_history_on_insert AFTER INSERT ON ledger
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_inserted();
CREATE TRIGGER ledger_history_on_update AFTER UPDATE ON ledger
  REFERENCING OLD TABLE AS updated_old NEW TABLE AS updated_new
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_history_updated();

ALTER TABLE ledger DROP CONSTRAINT ledger_payroll_id_fkey;

CREATE FUNCTION payment_lines_payrolls_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_payrolls_exist(ARRAY(SELECT DISTINCT payroll_id FROM inserted_lines));
  RETURN NULL;
END $$;
ALTER TABLE payment_lines DROP CONSTRAINT payment_lines_payroll_id_fkey;
CREATE TRIGGER payment_lines_payroll_exists AFTER INSERT ON payment_lines
  REFERENCING NEW TABLE AS inserted_lines FOR EACH STATEMENT EXECUTE FUNCTION payment_lines_payrolls_exist();
CREATE TRIGGER payment_lines_payroll_fixed BEFORE UPDATE OF payroll_id ON payment_lines
  FOR EACH ROW WHEN (NEW.payroll_id <> OLD.payroll_id) EXECUTE FUNCTION refuse_change();
CREATE TRIGGER payrolls_no_delete BEFORE DELETE ON payrolls FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Moving a payroll's rows to 'sent' is then a HOT update (no index entry to add) when the page has
-- room for the new version: nothing indexes payment_line_id (a line's rows are found by payroll
-- and case, `ledger_payroll`), and pages are filled to 45% (a row is written about three times:
-- scheduled, sent, paid; pruning reclaims the dead versions).
DROP INDEX ledger_line;
ALTER TABLE ledger SET (fillfactor = 45);

-- The key is the row's identity for the history: refuse a change of it.
CREATE FUNCTION ledger_key_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger key (case, month, kind) cannot change' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER ledger_key_fixed BEFORE UPDATE OF case_id, month, kind ON ledger
  FOR EACH ROW WHEN (NEW.case_id <> OLD.case_id OR NEW.month <> OLD.month OR NEW.kind <> OLD.kind)
  EXECUTE FUNCTION ledger_key_fixed();

-- The roster settles the open adjustments of a page of cases (R-M2, R-M8): found by case, and
-- only the open ones, however long the settled history grows.
CREATE INDEX case_adjustments_open ON case_adjustments (case_id) WHERE settled_amount < amount;

-- Down Migration
ALTER TABLE ledger RESET (fillfactor);
CREATE INDEX ledger_line ON ledger (payment_line_id);
DROP TRIGGER payrolls_no_delete ON payrolls;
DROP TRIGGER payment_lines_payroll_fixed ON payment_lines;
DROP TRIGGER payment_lines_payroll_exists ON payment_lines;
DROP FUNCTION payment_lines_payrolls_exist();
ALTER TABLE payment_lines ADD CONSTRAINT payment_lines_payroll_id_fkey FOREIGN KEY (payroll_id) REFERENCES payrolls;
ALTER TABLE ledger ADD CONSTRAINT ledger_payroll_id_fkey FOREIGN KEY (payroll_id) REFERENCES payrolls;
DROP INDEX case_adjustments_open;
DROP TRIGGER ledger_key_fixed ON ledger;
DROP FUNCTION ledger_key_fixed();
DROP TRIGGER ledger_history_on_update ON ledger;
DROP TRIGGER ledger_history_on_insert ON ledger;
DROP FUNCTION ledger_history_updated();
DROP FUNCTION ledger_history_inserted();
DROP FUNCTION ledger_payrolls_exist(text[]);
CREATE TRIGGER ledger_history_on_write AFTER INSERT OR UPDATE ON ledger
  FOR EACH ROW EXECUTE FUNCTION ledger_keep_history();
