import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { TOWNSHIP } from '../helpers/fixtures';

// API.md: "errors are RFC 9457 application/problem+json" — in the answers and in the OpenAPI
// document; the limits of the edge (path length, request budget) answer in the same shape.

let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({ worker: false, env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '60s' } });
});
afterAll(async () => {
  await env?.stop();
});

type Op = { responses: Record<string, { content?: Record<string, unknown> }> };

describe('contract and limits', () => {
  it('API.md: every error response of every route is declared application/problem+json, including 413, 414 and 429', async () => {
    const doc = (await env.api.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, Op>>;
    };
    let errors = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        for (const code of ['400', '401', '403', '404', '413', '414', '429', '500', '503'])
          expect(Object.keys(op.responses), `${method} ${path}`).toContain(code);
        for (const [code, r] of Object.entries(op.responses)) {
          if (Number(code) < 400) continue;
          expect(Object.keys(r.content ?? {}), `${method} ${path} ${code}`).toEqual([
            'application/problem+json',
          ]);
          errors++;
        }
      }
    }
    expect(errors).toBeGreaterThan(300);
  });

  it('API.md: a path parameter over 200 characters is 414 problem+json that does not echo the path', async () => {
    const long = `A${'9'.repeat(250)}`;
    const res = await env.api.inject({
      url: `/v1/applications/${long}`,
      headers: env.as('township_staff', TOWNSHIP),
    });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).not.toContain('9999999999');
    expect(res.json()).toMatchObject({ status: 414 });
  });

  it('API.md: an unknown route is a 404 problem+json that does not echo the path', async () => {
    const res = await env.api.inject({ url: '/v1/nowhere/110101199003077777' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).not.toContain('110101199003077777');
  });

  it('hardening: security headers on every answer', async () => {
    for (const url of ['/health', '/v1/publicity?village=140802101201']) {
      const res = await env.api.inject({ url, headers: env.as('township_staff', TOWNSHIP) });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBeDefined();
      expect(res.headers['strict-transport-security'], url).toBeDefined();
      expect(res.headers['content-security-policy'], url).toBeDefined();
    }
  });

  it('hardening: a token past its request budget gets 429 problem+json with Retry-After; another token and the probes do not', async () => {
    const get = (sub: string) =>
      env.api.inject({
        url: '/v1/publicity?village=140802101201',
        headers: env.as('township_staff', TOWNSHIP, sub),
      });
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await get('busy'));
    expect(answers.slice(0, 5).map((r) => r.statusCode)).not.toContain(429);
    const limited = answers[6]!;
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get('calm')).statusCode).not.toBe(429);
    for (let i = 0; i < 10; i++) expect((await env.api.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
