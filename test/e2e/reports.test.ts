import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { add, sum, toMoney } from '../../domain/money';
import { type Figures, PROGRAMMES, type RegionFigures, type ReportRow } from '../../domain/statistics';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';

// R-O5 statistics through the HTTP API, over ledger rows seeded with SQL. The route never reaches
// Temporal, so no worker runs.

let env: ApiEnv;
let api: ApiEnv['api'];
let pool: ApiEnv['pool'];

type Seed = [
  caseId: string,
  month: string,
  kind: 'regular' | 'back_pay' | 'recovery_offset' | 'temporary_grant',
  payroll: string,
  category: string,
  residence: 'urban' | 'rural',
  persons: number,
  amount: string,
  status: 'scheduled' | 'sent' | 'paid' | 'failed' | 'returned',
];

// Two counties of 1408 and one of 1409; payroll months 2025-12 … 2026-03.
const SEED: Seed[] = [
  ['a1', '2026-01', 'regular', '140802:2026-01', 'dibao', 'urban', 3, '1234.56', 'paid'],
  ['a1', '2026-02', 'regular', '140802:2026-02', 'dibao', 'urban', 3, '1234.56', 'paid'],
  ['a1', '2026-02', 'back_pay', '140802:2026-02', 'dibao', 'urban', 3, '300.10', 'paid'],
  ['a1', '2026-03', 'regular', '140802:2026-03', 'dibao', 'urban', 3, '1234.56', 'sent'],
  ['a2', '2026-01', 'regular', '140802:2026-01', 'dibao', 'rural', 2, '800.05', 'paid'],
  ['a2', '2026-02', 'regular', '140802:2026-02', 'dibao', 'rural', 2, '800.05', 'failed'],
  ['a2', '2026-03', 'regular', '140802:2026-03', 'dibao', 'rural', 2, '800.05', 'sent'],
  ['a3', '2026-01', 'regular', '140802:2026-01', 'expenditure_type', 'urban', 1, '655.50', 'paid'],
  ['a3', '2026-02', 'regular', '140802:2026-02', 'expenditure_type', 'urban', 1, '655.50', 'paid'],
  ['a3', '2026-03', 'regular', '140802:2026-03', 'expenditure_type', 'urban', 1, '655.50', 'paid'],
  ['a3', '2026-03', 'recovery_offset', '140802:2026-03', 'expenditure_type', 'urban', 1, '-100.25', 'paid'],
  ['a4', '2026-01', 'regular', '140802:2026-01', 'extreme_poverty', 'urban', 1, '1100.00', 'paid'],
  ['a4', '2026-02', 'regular', '140802:2026-02', 'extreme_poverty', 'urban', 1, '1100.00', 'paid'],
  ['a4', '2026-03', 'regular', '140802:2026-03', 'extreme_poverty', 'urban', 1, '1100.00', 'paid'],
  // January's line failed and was retried in February's payroll: it counts in February.
  ['a5', '2026-01', 'regular', '140802:2026-02', 'dibao', 'urban', 4, '1999.99', 'paid'],
  ['a5', '2026-02', 'regular', '140802:2026-02', 'dibao', 'urban', 4, '1999.99', 'paid'],
  ['a6', '2026-01', 'temporary_grant', '140802:2026-02', 'dibao', 'rural', 2, '500.00', 'paid'],
  ['a7', '2026-03', 'regular', '140802:2026-03', 'marginal', 'rural', 2, '10.01', 'paid'],
  ['a8', '2025-12', 'regular', '140802:2025-12', 'dibao', 'urban', 2, '999.99', 'paid'],
  ['a9', '2026-03', 'regular', '140802:2026-03', 'dibao', 'rural', 1, '700.70', 'scheduled'],
  // R-E6 quarterly: the quarter's three months are paid in January's payroll.
  ['b1', '2026-01', 'regular', '140821:2026-01', 'extreme_poverty', 'rural', 1, '950.33', 'paid'],
  ['b1', '2026-02', 'regular', '140821:2026-01', 'extreme_poverty', 'rural', 1, '950.33', 'paid'],
  ['b1', '2026-03', 'regular', '140821:2026-01', 'extreme_poverty', 'rural', 1, '950.33', 'paid'],
  ['b2', '2026-01', 'regular', '140821:2026-01', 'dibao', 'rural', 5, '2000.01', 'paid'],
  ['b2', '2026-02', 'regular', '140821:2026-02', 'dibao', 'rural', 5, '2000.01', 'paid'],
  ['b2', '2026-03', 'regular', '140821:2026-03', 'dibao', 'rural', 5, '2000.01', 'paid'],
  ['b2', '2026-03', 'back_pay', '140821:2026-03', 'dibao', 'rural', 5, '412.37', 'paid'],
  ['b3', '2026-02', 'regular', '140821:2026-02', 'dibao', 'urban', 2, '1500.50', 'returned'],
  ['b3', '2026-03', 'regular', '140821:2026-03', 'dibao', 'urban', 2, '1500.50', 'paid'],
  ['b3', '2026-03', 'back_pay', '140821:2026-03', 'dibao', 'urban', 2, '1500.50', 'paid'],
  ['b4', '2026-03', 'regular', '140821:2026-03', 'expenditure_type', 'rural', 3, '333.33', 'sent'],
  ['b4', '2026-03', 'recovery_offset', '140821:2026-03', 'expenditure_type', 'rural', 3, '-33.33', 'sent'],
  ['c1', '2026-01', 'regular', '140902:2026-01', 'dibao', 'urban', 2, '1111.11', 'paid'],
  ['c1', '2026-01', 'back_pay', '140902:2026-01', 'dibao', 'urban', 2, '222.22', 'paid'],
  ['c1', '2026-02', 'regular', '140902:2026-02', 'dibao', 'urban', 2, '1111.11', 'paid'],
  ['c1', '2026-03', 'regular', '140902:2026-03', 'dibao', 'urban', 2, '1111.11', 'paid'],
  ['c2', '2026-03', 'regular', '140902:2026-03', 'extreme_poverty', 'urban', 1, '1040.00', 'paid'],
];

async function seed(): Promise<void> {
  const payrolls = [...new Set(SEED.map((s) => s.at(3) as string))];
  for (const id of payrolls) {
    const [county, month] = id.split(':') as [string, string];
    await pool.query(
      `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
       VALUES ($1, $2, $3, $4, $5, 'completed')`,
      [id, county, month, `${month}-05`, `${month}-10`],
    );
  }
  for (const [caseId, month, kind, payroll, category, residence, persons, amount, status] of SEED) {
    const county = payroll.slice(0, 6);
    await pool.query(
      `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code,
         category, residence, persons, amount, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        `${county}-${caseId}`,
        month,
        kind,
        payroll,
        county,
        `${county}101`,
        `${county}101201`,
        category,
        residence,
        persons,
        amount,
        status,
      ],
    );
  }
}

beforeAll(async () => {
  env = await startApiEnv({ worker: false });
  ({ api, pool } = env);
  await seed();
});

afterAll(async () => {
  await env?.stop();
});

const as = (role: string, region: string) => env.as(role, region);
const supervisor = (region = '14') => as('supervisor', region);
const report = (query: string, headers: Record<string, string> = supervisor()) =>
  api.inject({ method: 'GET', url: `/v1/reports/payments?${query}`, headers });

type Report = {
  region: string;
  month: string;
  rows: ReportRow[];
  total: RegionFigures;
  excluded: Record<'failedOrReturned' | 'scheduled' | 'outsideTables', { count: number; amount: string }>;
};
const json = async (region: string, month: string): Promise<Report> => {
  const res = await report(`region=${region}&month=${month}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const row = (r: Report, code: string) => r.rows.find((x) => x.regionCode === code);
const zero: Figures = {
  backPayPersons: 0,
  backPayAmount: '0.00',
  monthPersons: 0,
  monthAmount: '0.00',
  cumulativePersons: 0,
  cumulativeAmount: '0.00',
};

/** SELECT sum(amount) over the same rows: the payroll month's money sent or paid, in the region. */
async function ledgerSum(region: string, month: string, where = 'true'): Promise<string> {
  const { rows } = await pool.query(
    `SELECT coalesce(sum(l.amount), 0) AS total FROM ledger l JOIN payrolls p USING (payroll_id)
     WHERE l.county_code LIKE $1 || '%' AND p.month = $2 AND l.status IN ('sent', 'paid') AND ${where}`,
    [region, month],
  );
  return toMoney(rows[0].total);
}

describe('R-O5 monthly payment statistics', () => {
  it('R-O5: a county’s figures follow the payroll month: back-pay, month and cumulative 人次 and amounts', async () => {
    const r = await json('140821', '2026-03');
    expect(r.rows.map((x) => [x.regionCode, x.level])).toEqual([['140821', 'county']]);
    const [county] = r.rows;
    expect(county!.ruralDibao).toEqual({
      backPayPersons: 5,
      backPayAmount: '412.37',
      monthPersons: 13, // b2 regular 5 + back-pay 5 + b4 3; the recovery offset adds none
      monthAmount: '2712.38',
      cumulativePersons: 23,
      cumulativeAmount: '6712.40',
    });
    // February's returned line is not counted; March's line and back-pay are.
    expect(county!.urbanDibao).toEqual({
      backPayPersons: 2,
      backPayAmount: '1500.50',
      monthPersons: 4,
      monthAmount: '3001.00',
      cumulativePersons: 4,
      cumulativeAmount: '3001.00',
    });
    // R-E6 quarterly: the whole quarter was paid in January's payroll.
    expect(county!.extremePoverty).toEqual({ ...zero, cumulativePersons: 3, cumulativeAmount: '2850.99' });
    expect(r.total).toEqual({
      urbanDibao: county!.urbanDibao,
      ruralDibao: county!.ruralDibao,
      extremePoverty: county!.extremePoverty,
      temporaryAssistance: zero,
    });
  });

  it('R-O5 R-M1: a retried line counts in the payroll that paid it; last year’s payroll is not cumulative', async () => {
    const jan = row(await json('140802', '2026-01'), '140802')!;
    const feb = row(await json('140802', '2026-02'), '140802')!;
    expect(jan.urbanDibao).toMatchObject({
      monthPersons: 4,
      monthAmount: '1890.06',
      cumulativeAmount: '1890.06',
    });
    expect(feb.urbanDibao).toMatchObject({
      backPayPersons: 3,
      backPayAmount: '300.10',
      monthPersons: 3 + 3 + 1 + 4 + 4,
      monthAmount: toMoney(sum(['1234.56', '300.10', '655.50', '1999.99', '1999.99'])),
      cumulativeAmount: toMoney(sum(['1890.06', '1234.56', '300.10', '655.50', '1999.99', '1999.99'])),
    });
    // a2's February line failed: rural dibao has January only.
    expect(feb.ruralDibao).toMatchObject({
      monthPersons: 0,
      monthAmount: '0.00',
      cumulativeAmount: '800.05',
    });
  });

  it('R-O5: totals reconcile to the fen with SELECT sum(amount); failed, returned, scheduled and other rows are reported apart', async () => {
    for (const month of ['2026-01', '2026-02', '2026-03']) {
      for (const region of ['14', '1408', '140802', '140821', '1409']) {
        const r = await json(region, month);
        const tables = sum(PROGRAMMES.map((p) => r.total[p].monthAmount));
        expect(toMoney(add(tables, r.excluded.outsideTables.amount)), `${region} ${month}`).toBe(
          await ledgerSum(region, month),
        );
        expect(r.total.extremePoverty.monthAmount).toBe(
          await ledgerSum(region, month, `l.category = 'extreme_poverty' AND l.kind <> 'temporary_grant'`),
        );
        expect(r.total.urbanDibao.backPayAmount).toBe(
          await ledgerSum(
            region,
            month,
            `l.kind = 'back_pay' AND l.residence = 'urban' AND l.category <> 'marginal'`,
          ),
        );
      }
    }
    const feb = await json('14', '2026-02');
    expect(feb.excluded).toEqual({
      failedOrReturned: { count: 2, amount: '2300.55' },
      scheduled: { count: 0, amount: '0.00' },
      outsideTables: { count: 0, amount: '0.00' },
    });
    // R-A10: the grant paid while an application was pending counts in temporary assistance's line,
    // in the payroll that rostered it.
    expect(feb.total.temporaryAssistance).toMatchObject({ monthPersons: 2, monthAmount: '500.00' });
    const mar = await json('14', '2026-03');
    expect(mar.excluded).toEqual({
      failedOrReturned: { count: 0, amount: '0.00' },
      scheduled: { count: 1, amount: '700.70' },
      outsideTables: { count: 1, amount: '10.01' }, // the marginal household's row
    });
    // Out of the region, nothing of it shows.
    expect((await json('1409', '2026-02')).excluded.failedOrReturned).toEqual({ count: 0, amount: '0.00' });
  });

  it('R-O5: city and province rows are exactly the sums of their counties; the total is the province', async () => {
    const r = await json('14', '2026-03');
    expect(r.rows.map((x) => [x.regionCode, x.level])).toEqual([
      ['14', 'province'],
      ['1408', 'city'],
      ['140802', 'county'],
      ['140821', 'county'],
      ['1409', 'city'],
      ['140902', 'county'],
    ]);
    const keys = Object.keys(zero) as (keyof Figures)[];
    const sumOf = (rows: ReportRow[], p: (typeof PROGRAMMES)[number], k: keyof Figures) =>
      typeof zero[k] === 'number'
        ? rows.reduce((n, x) => n + (x[p][k] as number), 0)
        : toMoney(sum(['0', ...rows.map((x) => x[p][k] as string)]));
    for (const parent of r.rows.filter((x) => x.level !== 'county')) {
      const counties = r.rows.filter(
        (x) => x.level === 'county' && x.regionCode.startsWith(parent.regionCode),
      );
      for (const p of PROGRAMMES)
        for (const k of keys)
          expect(parent[p][k], `${parent.regionCode} ${p} ${k}`).toBe(sumOf(counties, p, k));
    }
    const {
      regionCode: _c,
      level: _l,
      regionName: _n,
      ...province
    } = row(r, '14') as ReportRow & {
      regionName: string;
    };
    expect(r.total).toEqual(province);
    // A city's report has the same figures for its rows as the province's.
    const city = await json('1408', '2026-03');
    expect(city.rows.map((x) => x.regionCode)).toEqual(['1408', '140802', '140821']);
    expect(row(city, '1408')).toEqual(row(r, '1408'));
  });

  it('R-O5: cumulative figures are the sums of the months January … month', async () => {
    const months = await Promise.all(['2026-01', '2026-02', '2026-03'].map((m) => json('14', m)));
    const march = months[2]!;
    for (const r of march.rows) {
      for (const p of PROGRAMMES) {
        const monthly = months.map((m) => row(m, r.regionCode)?.[p] ?? zero);
        expect(r[p].cumulativeAmount, `${r.regionCode} ${p}`).toBe(
          toMoney(sum(monthly.map((f) => f.monthAmount))),
        );
        expect(r[p].cumulativePersons).toBe(monthly.reduce((n, f) => n + f.monthPersons, 0));
      }
    }
    expect(march.total.urbanDibao.cumulativeAmount).toBe(
      toMoney(
        sum(
          await Promise.all(
            ['2026-01', '2026-02', '2026-03'].map((m) =>
              ledgerSum(
                '14',
                m,
                `l.residence = 'urban' AND l.category IN ('dibao', 'expenditure_type') AND l.kind <> 'temporary_grant'`,
              ),
            ),
          ),
        ),
      ),
    );
  });

  it('R-O5: the CSV has one line per region row and the total, with the same figures', async () => {
    const r = await json('14', '2026-03');
    for (const res of [
      await report('region=14&month=2026-03&format=csv'),
      await report('region=14&month=2026-03', { ...supervisor(), accept: 'text/csv' }),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const [header, ...lines] = res.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
      expect(header!.slice(0, 4)).toEqual([
        '地区代码/region_code',
        '层级/level',
        '城市低保补发人次/urban_backpay_persons',
        '城市低保补发金额(元)/urban_backpay_amount',
      ]);
      // R-A10: temporary assistance has no back-pay columns.
      expect(header).toHaveLength(2 + 3 * 6 + 4);
      expect(header!.slice(-4)).toEqual([
        '临时救助本月发放人次/temporary_month_persons',
        '临时救助本月发放金额(元)/temporary_month_amount',
        '临时救助累计发放人次/temporary_cumulative_persons',
        '临时救助累计发放金额(元)/temporary_cumulative_amount',
      ]);
      const keys = (p: string) =>
        (Object.keys(zero) as (keyof Figures)[]).filter(
          (k) => p !== 'temporaryAssistance' || !k.startsWith('backPay'),
        );
      const expected = [...r.rows, { regionCode: '14', level: 'total', ...r.total }].map((x) => [
        x.regionCode,
        x.level,
        ...PROGRAMMES.flatMap((p) => keys(p).map((k) => String(x[p][k]))),
      ]);
      expect(lines).toEqual(expected);
      expect(header!.indexOf('农村低保累计发放金额(元)/rural_cumulative_amount')).toBeGreaterThan(0);
    }
  });

  it('R-O5: 401 without a token, 403 for another role or a caller outside the region, 400 for a bad month or region', async () => {
    const anonymous = await api.inject({
      method: 'GET',
      url: '/v1/reports/payments?region=14&month=2026-03',
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');

    for (const [headers, query] of [
      [supervisor('1409'), 'region=1408&month=2026-03'],
      [supervisor('140802'), 'region=1408&month=2026-03'],
      [supervisor('1408'), 'region=14&month=2026-03'],
      [as('county_staff', '14'), 'region=1408&month=2026-03'],
      [as('township_staff', '140802101'), 'region=140802&month=2026-03'],
    ] as const) {
      const res = await report(query, headers);
      expect(res.statusCode, query).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    for (const query of [
      'region=14&month=2026-13',
      'region=140000&month=2026-03',
      'region=140802101&month=2026-03',
      'region=1408',
    ]) {
      const res = await report(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await report('region=140802&month=2026-03', supervisor('140802'))).statusCode).toBe(200);
    expect((await report('region=1408&month=2026-03', as('admin', '14'))).statusCode).toBe(200);
  });

  it('R-O5: the OpenAPI document lists the report as JSON, CSV and XLSX', async () => {
    const doc = (await api.inject({ url: '/docs/json' })).json();
    const op = doc.paths['/v1/reports/payments'].get;
    expect(Object.keys(op.responses[200].content).sort()).toEqual([
      'application/json',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv',
    ]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
  });
});
