import type pg from 'pg';
import { defaultPolicy, type PolicyParametersInput } from '../../domain/policy';
import { countyOf, townshipOf } from '../../domain/region';
import { household } from './fixtures';

// Direct inserts for payroll tests: a county's policy, and cases with the months they handed to
// the payroll (what the case workflow writes at each roster cut-off).

export async function seedPolicy(
  pool: pg.Pool,
  countyCode: string,
  overrides: Partial<PolicyParametersInput> = {},
  effectiveFrom = '2020-01-01',
) {
  const policy = defaultPolicy({
    countyCode,
    effectiveFrom,
    standardUrban: '800.00',
    standardRural: '650.00',
    ...overrides,
  } as never);
  await pool.query(
    `INSERT INTO policy_versions (county_code, version, effective_from, parameters, created_by)
     VALUES ($1, $2, $3, $4, 'seed')`,
    [countyCode, policy.version, effectiveFrom, JSON.stringify({ ...policy, deadlines: {} })],
  );
  return policy;
}

export interface SeedCase {
  caseId: string;
  villageCode: string;
  category?: string;
  residence?: 'urban' | 'rural';
  amount?: string;
  persons?: number;
  months?: string[];
  status?: string;
}

export async function seedCase(pool: pg.Pool, c: SeedCase) {
  const hh = household({ size: c.persons ?? 2 });
  const members = hh.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation }));
  const county = countyOf(c.villageCode);
  const township = townshipOf(c.villageCode);
  await pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by)
     VALUES ($1, $2, $3, $4, $5, '2026-01-05', false, false, 'approved', 'seed')`,
    [c.caseId, c.category ?? 'dibao', c.villageCode, township, county],
  );
  await pool.query(
    `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
       monthly_amount, start_month, approved_on, approved_by, members, persons)
     VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, '2026-01-05', 'seed', $9, $10)`,
    [
      c.caseId,
      c.category ?? 'dibao',
      c.villageCode,
      township,
      county,
      c.status ?? 'active',
      c.amount ?? '1000.00',
      c.months?.[0] ?? '2026-02',
      JSON.stringify(members),
      c.persons ?? 2,
    ],
  );
  for (const month of c.months ?? []) await seedMonth(pool, c, month);
  return { members };
}

export async function seedMonth(pool: pg.Pool, c: SeedCase, month: string, amount = c.amount ?? '1000.00') {
  await pool.query(
    `INSERT INTO case_months (case_id, month, county_code, township_code, village_code, category, residence, amount,
       persons, status, rostered_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'regular', $10)`,
    [
      c.caseId,
      month,
      countyOf(c.villageCode),
      townshipOf(c.villageCode),
      c.villageCode,
      c.category ?? 'dibao',
      c.residence ?? 'rural',
      amount,
      c.persons ?? 2,
      `${month}-05`,
    ],
  );
}

export async function seedAdjustment(
  pool: pg.Pool,
  c: SeedCase,
  key: string,
  kind: 'back_pay' | 'recovery',
  amount: string,
) {
  await pool.query(
    `INSERT INTO case_adjustments (adjustment_key, case_id, county_code, township_code, village_code, category, kind,
       amount, months, reason, decided_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', 'seed', '2026-01-05')`,
    [
      key,
      c.caseId,
      countyOf(c.villageCode),
      townshipOf(c.villageCode),
      c.villageCode,
      c.category ?? 'dibao',
      kind,
      amount,
    ],
  );
}
