import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { COUNTY, TOWNSHIP } from '../helpers/fixtures';
import { BAD_TOKENS } from '../helpers/tokens';

// API.md "Identity and reach": the guard runs before the body is parsed or validated, the body
// limit before the guard; reach answers 404 for records out of region (R-O7: nothing confirms that
// another region's record exists) and the national calendar belongs to a province-level admin.

let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({ worker: false });
});
afterAll(async () => {
  await env?.stop();
});

describe('guard order', () => {
  it('API.md: a bad token is 401 whatever the body — no field of the body is listed', async () => {
    for (const [what, headers] of Object.entries(BAD_TOKENS)) {
      const res = await env.api.inject({
        method: 'PUT',
        url: '/v1/admin/standards',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: '{"spotCheck":{"decisionRatio":""}}',
      });
      expect(res.statusCode, what).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors, what).toBeUndefined();
    }
  });

  it('API.md: a wrong role is 403 before the body is validated', async () => {
    const res = await env.api.inject({
      method: 'POST',
      url: '/v1/payrolls',
      headers: env.as('township_staff', TOWNSHIP),
      payload: { month: 'nonsense' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('hardening: a 7.9 MB body is 413 problem+json before the token is looked at', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(7.9 * 1024 * 1024) });
    for (const headers of [{}, env.as('township_staff', TOWNSHIP)]) {
      const res = await env.api.inject({
        method: 'POST',
        url: '/v1/applications',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: big,
      });
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});

describe('idempotency keys', () => {
  it('API.md: a request refused by the guard claims no Idempotency-Key; one refused by reach keeps no answer', async () => {
    const rows = async (where = 'true') =>
      (await env.pool.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE ${where}`)).rows[0].n;
    const before = await rows();
    const body = {
      countyCode: '140803',
      effectiveFrom: '2026-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    };
    const put = async (headers: Record<string, string>, key: string) =>
      (
        await env.api.inject({
          method: 'PUT',
          url: '/v1/admin/standards',
          headers: { ...headers, 'idempotency-key': key },
          payload: body,
        })
      ).statusCode;
    expect(await put({}, 'refused-1')).toBe(401);
    expect(await put(env.as('county_staff', COUNTY), 'refused-2')).toBe(403);
    expect(await rows()).toBe(before);
    // Reach is decided in the handler, after the claim: the claim is released, no answer is kept.
    expect(await put(env.as('admin', COUNTY), 'refused-3')).toBe(403);
    expect(await rows('status_code IS NOT NULL')).toBe(0);
  });
});

describe('reach', () => {
  const calendar = (region: string) =>
    env.api.inject({
      method: 'PUT',
      url: '/v1/admin/calendar/2032',
      headers: env.as('admin', region),
      payload: { holidays: ['2032-01-01'], makeUpWorkdays: [] },
    });

  it('R-T2: the national calendar is set only by a province-level admin; county and township admins get 403', async () => {
    for (const region of [COUNTY, TOWNSHIP, '1408'])
      expect((await calendar(region)).statusCode, region).toBe(403);
    expect((await calendar('14')).statusCode).toBe(200);
  });

  it('R-O7: an out-of-region record and an unknown one answer the same 404, naming no code of the caller', async () => {
    await env.pool.query(
      `INSERT INTO notices (notice_id, kind, subject_kind, subject_id, village_code, addressee, reasons, decided_on, decided_by)
       VALUES ('N-guard-1', 'rejection', 'application', 'A-x', '140802101201', '张三', 'r', '2026-01-05', 'c')`,
    );
    const known = await env.api.inject({
      url: '/v1/notices/N-guard-1',
      headers: env.as('township_staff', '140802102'),
    });
    const unknown = await env.api.inject({
      url: '/v1/notices/N-guard-2',
      headers: env.as('township_staff', '140802102'),
    });
    expect(unknown.statusCode).toBe(404);
    expect(known.statusCode).toBe(404);
    expect(known.body).not.toContain('140802102');
    expect(known.body).not.toContain('140802101201');
  });
});
