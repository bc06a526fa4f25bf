import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, civilDateOf } from '../../domain/dates';
import { installRuntimeLogger } from '../../worker/logging';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// R-O7: a whole run through the API and the worker, logged at debug level (request lines
// included), leaves no ID number and no name of its households in the logs.

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let env: ApiEnv;
beforeAll(async () => {
  installRuntimeLogger('debug', capture);
  env = await startApiEnv({ env: { LOG_LEVEL: 'debug' }, logStream: capture });
});
afterAll(async () => {
  await env?.stop();
});

const today = () => civilDateOf(new Date());

describe('logs without personal data', () => {
  it('R-O7: receipt → investigation → check → opinion → approval → case → death notice, and refused requests: no ID number or name in any log line', async () => {
    const { api } = env;
    const township = env.as('township_staff', TOWNSHIP);
    const put = await api.inject({
      method: 'PUT',
      url: '/v1/admin/standards',
      headers: env.as('admin', '14'),
      payload: {
        countyCode: COUNTY,
        effectiveFrom: '2020-01-01',
        standardUrban: '800.00',
        standardRural: '650.00',
      },
    });
    expect(put.statusCode).toBe(200);
    const hh = household({ monthlyIncome: '100.00' });
    const accepted = addDays(today(), -12);
    const body = {
      category: 'dibao',
      villageCode: VILLAGE,
      acceptedOn: accepted,
      delegated: false,
      closeRelative: false,
      household: hh,
    };
    const created = await api.inject({
      method: 'POST',
      url: '/v1/applications',
      headers: { ...township, 'idempotency-key': 'log-1' },
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().applicationId as string;
    const step = (path: string, headers: Record<string, string>, payload: object) =>
      api.inject({ method: 'POST', url: `/v1/applications/${id}/${path}`, headers, payload });
    expect(
      (
        await step('investigation', township, {
          household: hh,
          findings: 'visited',
          visitedOn: addDays(accepted, 1),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await step('economic-check', env.as('integration', COUNTY), {
          checkId: `chk-${id}`,
          verified: [],
          findings: 'none',
        })
      ).statusCode,
    ).toBe(200);
    const opinion = {
      eligible: true,
      category: 'dibao',
      proposedMonthlyAmount: '1000.00',
      reasons: 'low income',
      publicityPostedOn: addDays(today(), -9),
    };
    expect((await step('initial-opinion', township, opinion)).statusCode).toBe(200);
    const decided = await step('decision', env.as('county_staff', COUNTY), {
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'income below the standard',
    });
    expect(decided.statusCode).toBe(200);
    const caseId = await until(
      async () => (await env.pool.query('SELECT case_id FROM cases')).rows[0]?.case_id as string | undefined,
      'the case',
    );

    // A death notice for the applicant, the same household received again (409 naming the holder,
    // an ID number in the workflow's failure), and a body refused with the ID number in it.
    const notice = {
      noticeId: 'log-death-1',
      idNumber: hh.members[0]!.idNumber,
      diedOn: today(),
      source: 'civil_affairs',
    };
    const deaths = await api.inject({
      method: 'POST',
      url: '/v1/integrations/death-notices',
      headers: env.as('integration', '14'),
      payload: { notices: [notice] },
    });
    expect(deaths.statusCode).toBe(202);
    const again = await api.inject({
      method: 'POST',
      url: '/v1/applications',
      headers: { ...township, 'idempotency-key': 'log-2' },
      payload: { ...body, acceptedOn: today() },
    });
    expect(again.statusCode).toBe(409);
    const bad = await api.inject({
      method: 'POST',
      url: '/v1/applications',
      headers: township,
      payload: { ...body, acceptedOn: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    await api.inject({ url: `/v1/cases/${caseId}`, headers: township });
    await new Promise((r) => setTimeout(r, 1500)); // the worker's last lines

    expect(
      lines.some((l) => l.includes('"url":"/v1/applications"')),
      'request lines are logged',
    ).toBe(true);
    expect(lines.length).toBeGreaterThan(20);
    const secrets = hh.members.flatMap((m) => [m.idNumber, m.name]);
    const leaks = lines.filter((l) => secrets.some((s) => l.includes(s)));
    expect(leaks.map((l) => l.slice(0, 300))).toEqual([]);
  }, 120_000);
});
