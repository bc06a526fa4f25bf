import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';

// Hardening: arbitrary JSON at every write route never makes a 500 and never writes a row. Bad
// input is a 4xx problem+json (400 validation, 404/409/422 refused), batch routes answer per line.

let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({ worker: false });
});
afterAll(async () => {
  await env?.stop();
});

const ROUTES: { method: 'POST' | 'PUT'; url: string; role: string; region: string; ok: number[] }[] = [
  { method: 'POST', url: '/v1/applications', role: 'township_staff', region: '140802101', ok: [] },
  { method: 'POST', url: '/v1/applications/A1/decision', role: 'county_staff', region: '140802', ok: [] },
  { method: 'PUT', url: '/v1/admin/standards', role: 'admin', region: '14', ok: [] },
  { method: 'PUT', url: '/v1/admin/calendar/2031', role: 'admin', region: '14', ok: [] },
  { method: 'POST', url: '/v1/cases/C1/changes', role: 'township_staff', region: '140802101', ok: [] },
  { method: 'POST', url: '/v1/cases/C1/reviews/r1', role: 'county_staff', region: '140802', ok: [] },
  { method: 'POST', url: '/v1/cases/C1/deaths', role: 'township_staff', region: '140802101', ok: [] },
  { method: 'POST', url: '/v1/integrations/death-notices', role: 'integration', region: '14', ok: [202] },
  { method: 'POST', url: '/v1/integrations/comparison-hits', role: 'integration', region: '14', ok: [202] },
  { method: 'POST', url: '/v1/integrations/payment-results', role: 'integration', region: '14', ok: [200] },
  { method: 'POST', url: '/v1/visit-reports', role: 'township_staff', region: '140802101', ok: [] },
  { method: 'POST', url: '/v1/payrolls', role: 'county_staff', region: '140802', ok: [] },
];

const TABLES = [
  'applications',
  'policy_versions',
  'calendar_years',
  'death_notices',
  'comparison_hits',
  'visit_reports',
];
const counts = async () =>
  Object.fromEntries(
    await Promise.all(
      TABLES.map(async (t) => [t, (await env.pool.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n]),
    ),
  );

// Bodies shaped a little like the real ones, so the fuzz gets past the first check now and then.
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(
      'category',
      'villageCode',
      'acceptedOn',
      'household',
      'notices',
      'hits',
      'results',
      'month',
      'countyCode',
      'holidays',
      'outcome',
      'approve',
      'entries',
      'kind',
    ),
    fc.jsonValue(),
  ),
  fc.record({ notices: fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }) }),
  fc.record({ results: fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }) }),
);

describe('fuzzing the write routes', () => {
  it('hardening: arbitrary bodies give a 4xx problem+json (or a per-line batch answer), never a 500, and write nothing', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async (r, payload) => {
        const res = await env.api.inject({
          method: r.method,
          url: r.url,
          headers: { ...env.as(r.role, r.region), 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(payload).slice(0, 200)}`).toBeLessThan(
          500,
        );
        if (!r.ok.includes(res.statusCode)) {
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
          expect(res.headers['content-type']).toContain('application/problem+json');
        }
      }),
      { numRuns: 300 },
    );
    // Per-line batch answers may record unknown notices (reported back, R-M2); nothing else is written.
    const after = await counts();
    for (const t of TABLES.filter((x) => !['death_notices', 'comparison_hits'].includes(x)))
      expect(after[t], t).toBe(before[t]);
  });

  it('hardening: malformed JSON, a wrong content type and an empty body are 4xx problem+json at every write route', async () => {
    for (const r of ROUTES) {
      for (const [type, payload] of [
        ['application/json', '{"category": '],
        ['text/plain', 'hello'],
        ['application/json', ''],
      ] as const) {
        const res = await env.api.inject({
          method: r.method,
          url: r.url,
          headers: { ...env.as(r.role, r.region), 'content-type': type },
          payload,
        });
        expect(res.statusCode, `${r.method} ${r.url} ${type} ${payload}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
  });
});
