import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';

// R-M1 / R-O3: a payroll's view with no worker polling its task queue. The workflow cannot answer
// a Query then (the server waits for a worker), so the API answers from the read model the payroll
// writes (`payrolls`, `payment_lines`) within its own short deadline, as for applications and cases.

// A county and months no other e2e file uses: the dev server (and its workflow ids) is shared.
const COUNTY = '140821';
let env: ApiEnv;
let api: ApiEnv['api'];
let pool: ApiEnv['pool'];

beforeAll(async () => {
  env = await startApiEnv({ worker: false, sub: 'pay-rm' });
  ({ api, pool } = env);
});

afterAll(async () => {
  await env?.stop();
});

const county = () => env.as('county_staff', COUNTY);

/** The rows the payroll had written before its worker went away. */
async function seedPayroll(month: string, status: string, lines: string[]) {
  const id = `${COUNTY}:${month}`;
  await pool.query(
    `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status, lines_done,
       lines_total, file_name, file_sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, 'abc')`,
    [id, COUNTY, month, `${month}-04`, `${month}-10`, status, lines.length, `${COUNTY}/${month}.csv`],
  );
  for (const [i, s] of lines.entries())
    await pool.query(
      `INSERT INTO payment_lines (line_id, payroll_id, case_id, card_number, payee_name, amount, months, status)
       VALUES ($1, $2, $3, '140821199001011234', '张三', '100.00', $4, $5)`,
      [`${id}:C${i}`, id, `C${i}`, month, s],
    );
}

describe('payroll views with no worker (read-model fallback)', () => {
  it('R-M1: a running payroll whose worker is away answers from Postgres within the API deadline', async () => {
    const start = await api.inject({
      method: 'POST',
      url: '/v1/payrolls',
      headers: county(),
      payload: { countyCode: COUNTY, month: '2026-05' },
    });
    expect(start.statusCode).toBe(202); // the workflow runs, but no worker serves its queue
    await seedPayroll('2026-05', 'sent', ['paid', 'sent', 'sent']);
    const t0 = Date.now();
    const res = await api.inject({ url: `/v1/payrolls/${COUNTY}/2026-05`, headers: county() });
    const took = Date.now() - t0;
    expect(res.statusCode, res.body).toBe(200);
    expect(took).toBeLessThan(10_000);
    expect(res.json()).toMatchObject({
      payrollId: `${COUNTY}:2026-05`,
      stage: 'sent',
      rosterDate: '2026-05-04',
      paymentDate: '2026-05-10',
      lines: { paid: 1, sent: 2 },
      overdue: false,
      source: 'read_model',
    });
  }, 30_000);

  it('R-M1: a payroll known only to the read model (its workflow gone) answers from Postgres; none at all is 404', async () => {
    await seedPayroll('2026-04', 'completed', ['paid']);
    const res = await api.inject({ url: `/v1/payrolls/${COUNTY}/2026-04`, headers: county() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stage: 'completed', lines: { paid: 1 }, source: 'read_model' });
    const none = await api.inject({ url: `/v1/payrolls/${COUNTY}/2026-01`, headers: county() });
    expect(none.statusCode).toBe(404);
    expect(none.headers['content-type']).toContain('application/problem+json');
  });

  it('R-M1: bank results for a payroll whose worker is away answer 503 with Retry-After and change nothing', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/v1/integrations/payment-results',
      headers: env.as('integration', COUNTY),
      payload: {
        results: [
          {
            resultId: 'w1',
            lineId: `${COUNTY}:2026-05:C1`,
            outcome: 'paid',
            reportedAt: '2026-05-10T03:00:00Z',
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['retry-after']).toBeDefined();
    const seen = await pool.query('SELECT count(*)::int AS n FROM payment_results');
    expect(seen.rows[0].n).toBe(0);
    const line = await pool.query(`SELECT status FROM payment_lines WHERE line_id = $1`, [
      `${COUNTY}:2026-05:C1`,
    ]);
    expect(line.rows[0].status).toBe('sent');
  }, 30_000);
});
