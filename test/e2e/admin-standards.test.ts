import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateOf } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { defaultPolicy } from '../../domain/policy';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { COUNTY, TOWNSHIP } from '../helpers/fixtures';

// County standards through the HTTP API: PUT writes an effective-dated version, GET lists them.
// PUT starts the R-M8 fan-out workflow; no worker runs here, so it only waits on the dev server.

let env: ApiEnv;
let api: ApiEnv['api'];
let pool: ApiEnv['pool'];

beforeAll(async () => {
  env = await startApiEnv({ worker: false });
  ({ api, pool } = env);
});

afterAll(async () => {
  await env?.stop();
});

const as = (role: string, region: string) => env.as(role, region);
const admin = () => as('admin', '14');
const put = (payload: Record<string, unknown>, headers: Record<string, string> = admin()) =>
  api.inject({ method: 'PUT', url: '/v1/admin/standards', headers, payload });
const get = (county: string, headers: Record<string, string> = admin()) =>
  api.inject({ method: 'GET', url: `/v1/admin/standards/${county}`, headers });
const rows = async (county: string) =>
  (await pool.query('SELECT count(*)::int AS n FROM policy_versions WHERE county_code = $1', [county]))
    .rows[0].n as number;
const standards = (countyCode: string, effectiveFrom = '2020-01-01') => ({
  countyCode,
  effectiveFrom,
  standardUrban: '800.00',
  standardRural: '650.00',
});
const paths = (res: { json(): { errors?: { path: string }[] } }) =>
  (res.json().errors ?? []).map((e) => e.path);

describe('county standards through the HTTP API', () => {
  it('R-E1 R-E4 R-E5: PUT /v1/admin/standards stores asset limits, exemptions and deductions and GET returns them', async () => {
    const county = '140821';
    const full = {
      ...standards(county),
      marginalFactor: '1.8',
      assetLimits: {
        financialPerCapita: { basis: 'absolute', amount: '30000.00' },
        maxVehicles: 1,
        extraHousingAllowed: true,
      },
      rounding: { scale: 0, mode: 'down' },
      incomeExemptions: { always: ['transfer'], disabledAdultWithoutWork: ['support_from_sibling'] },
      expenseDeductions: { illness: '1500.00', disability: '600.00', schooling: '700.00' },
      employmentCostDeduction: { mode: 'fixed', amountPerEarner: '200.00', kinds: ['wage', 'business'] },
      extremePoverty: {
        paymentFrequency: 'quarterly',
        basicSupportUrban: '1100.00',
        basicSupportRural: '900.00',
      },
      review: { intervalMonths: 6, unstableIncomeIntervalMonths: 3, durationMonths: 2 },
      taperPayments: 3,
      paymentStartOffsetMonths: 0,
      spotCheck: { decisionRatio: '0.5', closeRelativeRatio: '1' },
      payment: { maxAttempts: 4, recoveryOffsetFloor: '0.4' },
      deadlines: { applicationWorkingDays: 25 },
    };
    const res = await put(full);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      countyCode: county,
      version: `${county}-2020-01-01-v1`,
      effectiveFrom: '2020-01-01',
      unchanged: false,
      adjustmentWorkflowId: `standard:${county}-2020-01-01-v1`,
    });
    // R-M8: the same parameters again are no new version (and the same fan-out workflow).
    const again = await put(full);
    expect(again.json()).toMatchObject({ version: `${county}-2020-01-01-v1`, unchanged: true });

    const listed = await get(county);
    expect(listed.statusCode).toBe(200);
    const body = listed.json();
    expect(body.countyCode).toBe(county);
    expect(body.versions).toHaveLength(1);
    const [v] = body.versions;
    expect(v).toMatchObject({
      version: `${county}-2020-01-01-v1`,
      effectiveFrom: '2020-01-01',
      inForce: true,
      createdBy: 'admin-e2e',
    });
    expect(Number.isNaN(Date.parse(v.createdAt))).toBe(false);
    const { deadlines, ...sent } = full;
    expect(v.parameters).toEqual({
      ...sent,
      version: `${county}-2020-01-01-v1`,
      deadlines: { ...DEFAULT_DEADLINE_PARAMETERS, ...deadlines },
    });
  });

  it('R-E1 R-E2 R-E5: omitted parameters get the defaults, and a partial group keeps the rest of its defaults', async () => {
    const county = '140822';
    expect((await put(standards(county, '2025-01-01'))).statusCode).toBe(200);
    const [v] = (await get(county)).json().versions;
    expect(v.parameters).toEqual({
      ...defaultPolicy(standards(county, '2025-01-01')),
      version: `${county}-2025-01-01-v1`,
      deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
    });
    expect(v.parameters).toMatchObject({
      marginalFactor: '1.5',
      rounding: { scale: 2, mode: 'half_up' },
      extremePoverty: { paymentFrequency: 'monthly', basicSupportUrban: '1040.00' },
    });

    const partial = await put({
      ...standards(county, '2025-07-01'),
      expenseDeductions: { illness: '2000.00' },
      spotCheck: { decisionRatio: '0.4' },
    });
    expect(partial.statusCode).toBe(200);
    const newest = (await get(county)).json().versions[0];
    expect(newest.parameters.expenseDeductions).toEqual({
      illness: '2000.00',
      disability: '500.00',
      schooling: '500.00',
    });
    expect(newest.parameters.spotCheck).toEqual({ decisionRatio: '0.4', closeRelativeRatio: '0.6' });
  });

  it('R-E1 R-E2 R-E5 R-O2: invalid parameters are 400 problem+json naming the field; nothing is written', async () => {
    const county = '140823';
    const cases: [Record<string, unknown>, string][] = [
      [{ marginalFactor: '0.5' }, 'body.marginalFactor'],
      [{ marginalFactor: 0.5 }, 'body.marginalFactor'],
      [{ standardUrban: '0' }, 'body.standardUrban'],
      [{ standardRural: '-650.00' }, 'body.standardRural'],
      [{ expenseDeductions: { illness: '-1.00' } }, 'body.expenseDeductions.illness'],
      [{ spotCheck: { decisionRatio: '1.5' } }, 'body.spotCheck.decisionRatio'],
      [
        { employmentCostDeduction: { mode: 'fraction', fraction: '1.2', kinds: ['wage'] } },
        'body.employmentCostDeduction.fraction',
      ],
      [{ incomeExemptions: { always: ['lottery'] } }, 'body.incomeExemptions.always.0'],
      [
        { assetLimits: { financialPerCapita: { basis: 'absolute', amount: '-5' } } },
        'body.assetLimits.financialPerCapita.amount',
      ],
      [{ review: { intervalMonths: 0 } }, 'body.review.intervalMonths'],
      [
        {
          extremePoverty: {
            paymentFrequency: 'yearly',
            basicSupportUrban: '1.00',
            basicSupportRural: '1.00',
          },
        },
        'body.extremePoverty.paymentFrequency',
      ],
      [{ rounding: { scale: 3, mode: 'half_up' } }, 'body.rounding.scale'],
    ];
    for (const [override, path] of cases) {
      const res = await put({ ...standards(county), ...override });
      expect(res.statusCode, JSON.stringify(override)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(paths(res), JSON.stringify(override)).toContain(path);
    }
    expect(await rows(county)).toBe(0);
    expect((await get(county)).statusCode).toBe(404);
  });

  it('R-M8: a later version is listed first; the one in force today is marked, a same-day correction wins', async () => {
    const county = '140824';
    const today = civilDateOf(new Date());
    for (const [effectiveFrom, urban] of [
      ['2020-01-01', '700.00'],
      ['2024-07-01', '800.00'],
      ['2024-07-01', '810.00'], // a correction of the same date supersedes the first
      ['2099-01-01', '900.00'],
    ] as const) {
      const res = await put({ ...standards(county, effectiveFrom), standardUrban: urban });
      expect(res.statusCode).toBe(200);
    }
    const res = await get(county);
    expect(res.statusCode).toBe(200);
    const versions = res.json().versions as {
      version: string;
      effectiveFrom: string;
      inForce: boolean;
      parameters: { standardUrban: string };
    }[];
    expect(versions.map((v) => [v.version, v.inForce, v.parameters.standardUrban])).toEqual([
      [`${county}-2099-01-01-v1`, false, '900.00'],
      [`${county}-2024-07-01-v2`, true, '810.00'],
      [`${county}-2024-07-01-v1`, false, '800.00'],
      [`${county}-2020-01-01-v1`, false, '700.00'],
    ]);
    expect(today >= '2024-07-01' && today < '2099-01-01').toBe(true);
  });

  it('R-M8: concurrent writes for one county and date each take their own version, none lost', async () => {
    const county = '140825';
    const urban = ['801.00', '802.00', '803.00', '804.00', '805.00'];
    const res = await Promise.all(urban.map((u) => put({ ...standards(county), standardUrban: u })));
    expect(res.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const versions = res.map((r) => r.json().version).sort();
    expect(versions).toEqual([1, 2, 3, 4, 5].map((n) => `${county}-2020-01-01-v${n}`));
    expect(await rows(county)).toBe(5);
    const listed = (await get(county)).json().versions as {
      version: string;
      parameters: { standardUrban: string };
    }[];
    expect(listed.map((v) => v.parameters.standardUrban).sort()).toEqual(urban);
  });

  it('R-M8: 401 without a token, 403 for the wrong role or a region that does not reach the county; nothing written', async () => {
    expect((await put(standards(COUNTY))).statusCode).toBe(200);
    const before = await rows(COUNTY);

    const anonymousPut = await api.inject({
      method: 'PUT',
      url: '/v1/admin/standards',
      payload: standards(COUNTY),
    });
    expect(anonymousPut.statusCode).toBe(401);
    expect(anonymousPut.headers['content-type']).toContain('application/problem+json');
    const anonymousGet = await api.inject({ method: 'GET', url: `/v1/admin/standards/${COUNTY}` });
    expect(anonymousGet.statusCode).toBe(401);

    for (const role of ['county_staff', 'supervisor', 'township_staff', 'integration']) {
      expect((await put(standards(COUNTY), as(role, COUNTY))).statusCode, role).toBe(403);
    }
    expect((await get(COUNTY, as('township_staff', TOWNSHIP))).statusCode).toBe(403);
    expect((await get(COUNTY, as('integration', '14'))).statusCode).toBe(403);

    // Another city, another county, or a township below the county: none covers the whole county.
    for (const region of ['1409', '140821', TOWNSHIP]) {
      const res = await put(standards(COUNTY), as('admin', region));
      expect(res.statusCode, region).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((await get(COUNTY, as('county_staff', region))).statusCode, region).toBe(403);
    }
    expect(await rows(COUNTY)).toBe(before);

    for (const [role, region] of [
      ['admin', '14'],
      ['supervisor', '1408'],
      ['county_staff', COUNTY],
    ]) {
      expect((await get(COUNTY, as(role!, region!))).statusCode, role).toBe(200);
    }
  });

  it('R-E1: 404 problem+json for a county without standards, 400 for a code that is not a county', async () => {
    const missing = await get('140899');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ status: 404, detail: expect.stringContaining('140899') });
    const bad = await get('140000');
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toContain('params.countyCode');
  });

  it('R-E1: the OpenAPI document lists both routes with every parameter group described', async () => {
    const doc = (await api.inject({ url: '/docs/json' })).json();
    expect(doc.paths['/v1/admin/standards'].put).toBeDefined();
    const getOp = doc.paths['/v1/admin/standards/{countyCode}'].get;
    expect(Object.keys(getOp.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
    const body = doc.components.schemas.CountyStandard;
    for (const field of [
      'assetLimits',
      'rounding',
      'incomeExemptions',
      'expenseDeductions',
      'employmentCostDeduction',
      'review',
      'spotCheck',
      'payment',
    ]) {
      expect(body.properties[field]?.description, field).toEqual(expect.any(String));
    }
    expect(body.required).toEqual(
      expect.arrayContaining(['countyCode', 'effectiveFrom', 'standardUrban', 'standardRural']),
    );
    expect(body.required).not.toContain('assetLimits');
  });
});
