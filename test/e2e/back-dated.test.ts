import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, civilDateOf } from '../../domain/dates';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// A paper intake entered long after it was accepted: the receipt's answer comes from the workflow
// after it has applied the passage of time, so it says what any later read says (R-A6, R-O3).

let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({});
  await seedPolicy(env.pool, COUNTY);
});
afterAll(async () => {
  await env?.stop();
});

type Deadline = { kind: string; superseded?: boolean; atRisk: boolean; overdue: boolean; date: string };
const overall = (deadlines: Deadline[]) =>
  deadlines.filter((d) => d.kind === 'overall' && !d.superseded).at(-1)!;

describe('a receipt accepted ten months ago', () => {
  it('R-A6 R-O3: the 201 shows the overall deadline overdue, as the GET right after does, and supervisors are told', async () => {
    const acceptedOn = addDays(civilDateOf(new Date()), -300);
    const res = await env.api.inject({
      method: 'POST',
      url: '/v1/applications',
      headers: { ...env.as('township_staff', TOWNSHIP), 'idempotency-key': `late-${Math.random()}` },
      payload: {
        category: 'dibao',
        villageCode: VILLAGE,
        acceptedOn,
        delegated: false,
        closeRelative: false,
        household: household(),
      },
    });
    expect(res.statusCode).toBe(201);
    const received = overall(res.json().deadlines);
    expect(received).toMatchObject({ atRisk: true, overdue: true });
    expect(res.json().deadline.date).toBe(received.date);
    const view = await env.api.inject({
      url: `/v1/applications/${res.json().applicationId}`,
      headers: env.as('supervisor', TOWNSHIP),
    });
    expect(overall(view.json().deadlines)).toEqual(received);
    const flags = await until(async () => {
      const { rows } = await env.pool.query(
        `SELECT flag FROM supervision_alerts WHERE subject_id = $1 AND deadline_kind = 'overall' ORDER BY flag`,
        [res.json().applicationId],
      );
      return rows.length === 2 && rows.map((r) => r.flag);
    }, 'both flags raised');
    expect(flags).toEqual(['at_risk', 'overdue']);
  });
});
