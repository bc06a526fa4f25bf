import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { COUNTY, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// Hostile and careless input at the edge (API.md "Identity and reach", R-O7): every value is
// validated once and agreed with the domain, nothing answers 5xx, no workflow starts with input its
// first step refuses.

let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({ worker: false });
});
afterAll(async () => {
  await env?.stop();
});

const problem = (res: { statusCode: number; headers: Record<string, unknown> }, status: number) => {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
};
const fields = (res: { json(): unknown }) =>
  ((res.json() as { errors?: { path: string }[] }).errors ?? []).map((e) => e.path);
const standards = (extra: object) => ({
  countyCode: COUNTY,
  effectiveFrom: '2026-01-01',
  standardUrban: '800.00',
  standardRural: '650.00',
  ...extra,
});
const runningPayrolls = async () => {
  let n = 0;
  for await (const _ of env.client.workflow.list({
    query: `TaskQueue = "${env.taskQueue}" AND WorkflowType = "payrollWorkflow"`,
  }))
    n++;
  return n;
};

describe('one validation at the edge', () => {
  it('R-O2: a ratio that is empty or above 1 is a 400 naming the field, never a 500', async () => {
    for (const decisionRatio of ['', '1.5', 'x']) {
      const res = await env.api.inject({
        method: 'PUT',
        url: '/v1/admin/standards',
        headers: env.as('admin', '14'),
        payload: standards({ spotCheck: { decisionRatio } }),
      });
      problem(res, 400);
      expect(fields(res), decisionRatio).toContain('body.spotCheck.decisionRatio');
    }
  });

  it('R-E1: an empty money string is a 400 naming the field', async () => {
    const res = await env.api.inject({
      method: 'PUT',
      url: '/v1/admin/standards',
      headers: env.as('admin', '14'),
      payload: standards({ standardUrban: '' }),
    });
    problem(res, 400);
    expect(fields(res)).toContain('body.standardUrban');
  });

  it('R-M1: a payroll month outside 2000…2100 is a 400 and starts no workflow', async () => {
    for (const month of ['0000-01', '9999-12', '1999-12', '2101-01']) {
      const post = await env.api.inject({
        method: 'POST',
        url: '/v1/payrolls',
        headers: env.as('county_staff', COUNTY),
        payload: { countyCode: COUNTY, month },
      });
      problem(post, 400);
      expect(fields(post), month).toContain('body.month');
      const get = await env.api.inject({
        url: `/v1/payrolls/${COUNTY}/${month}`,
        headers: env.as('county_staff', COUNTY),
      });
      problem(get, 400);
    }
    expect(await runningPayrolls()).toBe(0);
  });

  it('R-M7: a visit-report month outside 2000…2100 is a 400, not a 500', async () => {
    const res = await env.api.inject({
      method: 'POST',
      url: '/v1/visit-reports',
      headers: env.as('township_staff', TOWNSHIP),
      payload: { villageCode: VILLAGE, month: '0024-08', zeroReport: true, entries: [] },
    });
    problem(res, 400);
    expect(fields(res)).toContain('body.month');
  });

  it('R-A1: an accepted-on date outside 2000…2100 is a 400 naming the field', async () => {
    const res = await env.api.inject({
      method: 'POST',
      url: '/v1/applications',
      headers: env.as('township_staff', TOWNSHIP),
      payload: { acceptedOn: '0999-01-01' },
    });
    problem(res, 400);
    expect(fields(res)).toContain('body.acceptedOn');
  });

  it('hardening: a body nested 20,000 deep with an Idempotency-Key is a 4xx problem, never a 500', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    // A batch's lines are checked one by one after the Idempotency-Key is claimed: the body as a
    // whole passes the route's schema, so only a bound on the JSON itself stops the hash overflowing.
    const cases = [
      { method: 'PUT', url: '/v1/admin/standards', role: 'admin', payload: `{"countyCode":${deep}}` },
      {
        method: 'POST',
        url: '/v1/integrations/death-notices',
        role: 'integration',
        payload: `{"notices":[${deep}]}`,
      },
      {
        method: 'POST',
        url: '/v1/integrations/payment-results',
        role: 'integration',
        payload: `{"results":[${deep}]}`,
      },
    ] as const;
    for (const [i, c] of cases.entries()) {
      const res = await env.api.inject({
        method: c.method,
        url: c.url,
        headers: {
          ...env.as(c.role, '14'),
          'content-type': 'application/json',
          'idempotency-key': `deep-${i}`,
        },
        payload: c.payload,
      });
      expect([400, 413]).toContain(res.statusCode);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
    }
  });

  it('hardening: a household of 1,000 members is a 400 naming the field', async () => {
    const member = {
      name: 'x',
      idNumber: '140802196503120012',
      relation: 'child',
      seriousIllness: false,
      ableToWork: true,
      incomes: [],
      assets: { financial: '0', vehicles: 0, extraHousing: false },
      rigidExpenses: [],
      hasSupporter: true,
    };
    const res = await env.api.inject({
      method: 'POST',
      url: '/v1/applications',
      headers: env.as('township_staff', TOWNSHIP),
      payload: { household: { residence: 'rural', members: Array.from({ length: 1000 }, () => member) } },
    });
    problem(res, 400);
    expect(fields(res)).toContain('body.household.members');
  });

  it('hardening: a calendar array past its bound is a 400', async () => {
    const res = await env.api.inject({
      method: 'PUT',
      url: '/v1/admin/calendar/2031',
      headers: env.as('admin', '14'),
      payload: { holidays: Array.from({ length: 5000 }, () => '2031-01-01'), makeUpWorkdays: [] },
    });
    problem(res, 400);
  });

  it('a misspelt list filter is a 400 naming it, never the unfiltered list', async () => {
    const res = await env.api.inject({
      url: `/v1/cases?vilage=${VILLAGE}`,
      headers: env.as('county_staff', COUNTY),
    });
    problem(res, 400);
    expect(fields(res)).toEqual(['querystring.vilage']);
    const ok = await env.api.inject({
      url: `/v1/cases?village=${VILLAGE}`,
      headers: env.as('county_staff', COUNTY),
    });
    expect(ok.statusCode).toBe(200);
  });

  it('a query parameter on a step that takes none is a 400 and starts nothing', async () => {
    const post = await env.api.inject({
      method: 'POST',
      url: '/v1/payrolls?dryRun=true',
      headers: env.as('county_staff', COUNTY),
      payload: { countyCode: COUNTY, month: '2026-01' },
    });
    problem(post, 400);
    expect(fields(post)).toEqual(['querystring.dryRun']);
    expect(await runningPayrolls()).toBe(0);
  });
});
