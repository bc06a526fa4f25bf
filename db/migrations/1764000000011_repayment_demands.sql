-- Up Migration

-- R-M10: what a recovery cannot offset (the case is closed) becomes a repayment demand (责令退回)
-- with a written notice, tracked until repaid or written off by a recorded county decision. The case
-- workflow is the one writer of its demands, as of its adjustments; the demand takes over the open
-- recoveries (`case_adjustments.demand_id`), which the payroll then no longer offsets.
CREATE TABLE repayment_demands (
  demand_id          text PRIMARY KEY,
  case_id            text NOT NULL REFERENCES cases,
  county_code        text NOT NULL,
  township_code      text NOT NULL,
  village_code       text NOT NULL,
  category           text NOT NULL,
  residence          text NOT NULL,
  amount             numeric(14, 2) NOT NULL CHECK (amount > 0),
  months             text[] NOT NULL,
  adjustment_keys    text[] NOT NULL,
  reasons            text NOT NULL,
  issued_on          date NOT NULL,
  issued_by          text NOT NULL,
  notice_id          text,
  status             text NOT NULL CHECK (status IN ('open', 'repaid', 'written_off')),
  repaid_amount      numeric(14, 2) NOT NULL DEFAULT 0 CHECK (repaid_amount >= 0),
  written_off_amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (written_off_amount >= 0),
  -- Each repayment and the write-off decision, as recorded by the case (R-O6: who, when, why).
  steps              jsonb NOT NULL DEFAULT '[]',
  closed_on          date,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (repaid_amount + written_off_amount <= amount),
  CHECK ((status = 'open') = (repaid_amount + written_off_amount < amount))
);
CREATE INDEX repayment_demands_case ON repayment_demands (case_id);
CREATE INDEX repayment_demands_region ON repayment_demands (county_code, township_code, issued_on);

ALTER TABLE case_adjustments ADD COLUMN demand_id text REFERENCES repayment_demands;

-- R-A7, R-M9, R-M10: what a notice concerns in figures (amounts, months), for the printed notice.
ALTER TABLE notices ADD COLUMN details jsonb;

-- Down Migration
ALTER TABLE notices DROP COLUMN details;
ALTER TABLE case_adjustments DROP COLUMN demand_id;
DROP TABLE repayment_demands;
