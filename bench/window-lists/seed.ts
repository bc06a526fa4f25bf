import type pg from 'pg';

// The window lists' bench data, set-based: `cases` cases and a third as many applications over a
// province's counties (1408 01…10, 12 townships × 25 villages each), with members named from common
// surnames at their real frequency (王 about 7 %), statuses and categories in realistic shares, and
// the persons' enrolments (R-A1) the look-up reads. The name triggers are off while seeding; the
// names are filled set-based the way migration 140 back-fills them. Then VACUUM ANALYZE.

export const COUNTIES = Array.from({ length: 10 }, (_, i) => `1408${String(i + 1).padStart(2, '0')}`);

/** Surnames by share (per mille), the commonest first; the rest share the remainder. */
const SURNAMES = [
  ['王', 72],
  ['李', 71],
  ['张', 68],
  ['刘', 53],
  ['陈', 45],
  ['杨', 31],
  ['赵', 23],
  ['黄', 22],
  ['周', 21],
  ['吴', 20],
  ['徐', 17],
  ['孙', 15],
  ['胡', 13],
  ['朱', 13],
  ['高', 12],
  ['林', 12],
  ['何', 12],
  ['郭', 12],
  ['马', 11],
  ['罗', 9],
  ['上官', 1],
] as const;
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强春花文';

/** An SQL expression naming the person numbered `n` (an integer expression). */
function nameExpr(n: string): string {
  const cuts: string[] = [];
  let acc = 0;
  for (const [s, share] of SURNAMES) {
    acc += share;
    cuts.push(`WHEN (${n} * 7919) % 1000 < ${acc} THEN '${s}'`);
  }
  const pick = (k: number) => `substr('${GIVEN}', (1 + (${n} * ${k}) % ${GIVEN.length})::int, 1)`;
  return `(CASE ${cuts.join(' ')} ELSE substr('郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡', (1 + ${n} % 20)::int, 1) END) || ${pick(31)} || ${pick(17)}`;
}

/** 18 characters shaped like an ID number (the look-up matches the text; no check digit needed). */
const idExpr = (n: string) => `'1408' || lpad((${n} % 1000000)::text, 6, '0') || lpad(${n}::text, 8, '0')`;

/** `g` numbered 1…n with its county, township and village (12 townships × 25 villages a county). */
const placed = (n: string) => `generate_series(1, ${n}::int) AS g,
  LATERAL (SELECT '1408' || lpad((1 + g % 10)::text, 2, '0') AS county) c,
  LATERAL (SELECT c.county || lpad((1 + (g / 10) % 12)::text, 3, '0') AS township) t,
  LATERAL (SELECT t.township || lpad((1 + (g / 120) % 25)::text, 3, '0') AS village) v`;

export async function seedWindow(
  pool: pg.Pool,
  cases: number,
): Promise<{ cases: number; applications: number; names: number }> {
  const apps = Math.round(cases / 3);
  await pool.query('ALTER TABLE cases DISABLE TRIGGER cases_named');
  await pool.query('ALTER TABLE application_members DISABLE TRIGGER application_members_named');
  await pool.query(
    `
    INSERT INTO cases (case_id, category, village_code, township_code, county_code, status, monthly_amount, start_month,
      approved_on, approved_by, members, persons, next_review_on, revision)
    SELECT 'I' || c.county || lpad(upper(to_hex(g)), 16, '0'),
      CASE WHEN g % 100 < 80 THEN 'dibao' WHEN g % 100 < 97 THEN 'extreme_poverty' ELSE 'expenditure_type' END,
      v.village, t.township, c.county,
      CASE WHEN (g / 7) % 100 < 85 THEN 'active' WHEN (g / 7) % 100 < 88 THEN 'tapering'
           WHEN (g / 7) % 100 < 90 THEN 'suspended' ELSE 'closed' END,
      (300 + g % 700)::numeric(14, 2), '2025-' || lpad((1 + g % 12)::text, 2, '0'), '2024-12-20', 'county-1',
      (SELECT jsonb_agg(jsonb_build_object('idNumber', ${idExpr('(g::bigint * 3 + k)')}, 'name', ${nameExpr('(g::bigint * 3 + k)')},
                 'relation', CASE WHEN k = 0 THEN 'applicant' ELSE 'child' END) ORDER BY k)
       FROM generate_series(0, g % 3) k),
      1 + g % 3, '2026-12-20', 1
    FROM ${placed('$1')}`,
    [cases],
  );
  await pool.query(`
    INSERT INTO person_enrolments (id_number, holder_kind, holder_id, released_at)
    SELECT m->>'idNumber', 'case', c.case_id, CASE WHEN c.status = 'closed' THEN now() END
    FROM cases c CROSS JOIN LATERAL jsonb_array_elements(c.members) m`);
  await pool.query(
    `
    INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on, delegated,
      close_relative, stage, overall_deadline, at_risk, overdue, received_by)
    SELECT 'A' || c.county || '2026' || lpad(upper(to_hex(g)), 12, '0'), 'dibao', v.village, t.township, c.county,
      '2026-10-01'::date + (g % 60), false, false,
      (ARRAY['received','verifying','initial_opinion','publicity','decision','approved','approved','approved','rejected','withdrawn'])[1 + g % 10],
      '2026-11-15'::date + (g % 60), g % 20 = 1, g % 20 = 0, 'clerk-1'
    FROM ${placed('$1')}`,
    [apps],
  );
  await pool.query(`
    INSERT INTO application_members (application_id, id_number, name, relation)
    SELECT a.application_id, ${idExpr('(10000000 + n)')}, ${nameExpr('(10000000 + n)')},
      CASE WHEN k = 0 THEN 'applicant' ELSE 'spouse' END
    FROM (SELECT application_id, row_number() OVER () AS rn FROM applications) a
    CROSS JOIN LATERAL generate_series(0, (a.rn % 2)::int) k
    CROSS JOIN LATERAL (SELECT (a.rn * 2 + k)::bigint AS n) x`);
  await pool.query(`
    INSERT INTO person_names (holder_kind, holder_id, name, county_code, township_code, village_code)
    SELECT DISTINCT 'case', c.case_id, m->>'name', c.county_code, c.township_code, c.village_code
    FROM cases c CROSS JOIN LATERAL jsonb_array_elements(c.members) m ON CONFLICT DO NOTHING`);
  await pool.query(`
    INSERT INTO person_names (holder_kind, holder_id, name, county_code, township_code, village_code)
    SELECT DISTINCT 'application', a.application_id, m.name, a.county_code, a.township_code, a.village_code
    FROM application_members m JOIN applications a USING (application_id) ON CONFLICT DO NOTHING`);
  await pool.query('ALTER TABLE cases ENABLE TRIGGER cases_named');
  await pool.query('ALTER TABLE application_members ENABLE TRIGGER application_members_named');
  for (const t of ['cases', 'applications', 'application_members', 'person_names', 'person_enrolments'])
    await pool.query(`VACUUM ANALYZE ${t}`);
  const names = (await pool.query('SELECT count(*)::int AS n FROM person_names')).rows[0].n as number;
  return { cases, applications: apps, names };
}
