import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, civilDateOf, monthOf } from '../../domain/dates';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { household, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// R-M2 R-M7 through the API (dev server): a death a village's visit report names for a person no
// case holds is not lost — kept for the pending application holding the person (answered `pending`),
// or kept for whichever case comes to hold them, as an integration's notice would be.
let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({ sub: 'visit-deaths' });
  await seedPolicy(env.pool, VILLAGE.slice(0, 6));
});
afterAll(async () => {
  await env?.stop();
});

const township = () => env.as('township_staff', TOWNSHIP);
const post = (url: string, payload: unknown) =>
  env.api.inject({ method: 'POST', url, headers: township(), payload: payload as never });
const kept = async (noticeId: string) =>
  (
    await env.pool.query(
      'SELECT source, application_id, reported_by FROM unmatched_death_notices WHERE notice_id = $1',
      [noticeId],
    )
  ).rows[0];

describe('deaths in a visit report that no case holds (dev server)', () => {
  it('R-M2 R-M7: a pending application member’s death is kept for the application (pending), a stranger’s for a later case (unknown)', async () => {
    const today = civilDateOf(new Date());
    const hh = household();
    const received = await post('/v1/applications', {
      category: 'dibao',
      villageCode: VILLAGE,
      acceptedOn: today,
      delegated: false,
      closeRelative: false,
      household: hh,
    });
    expect(received.statusCode, received.body).toBe(201);
    const applicationId = received.json().applicationId as string;
    const month = monthOf(today);
    const stranger = idNumber();
    const body = {
      villageCode: VILLAGE,
      month,
      zeroReport: false,
      entries: [
        { idNumber: hh.members[1]!.idNumber, kind: 'death', occurredOn: today, summary: 'died at home' },
        { idNumber: stranger, kind: 'death', occurredOn: addDays(today, -1), summary: 'died in hospital' },
      ],
    };
    const report = await post('/v1/visit-reports', body);
    expect(report.statusCode, report.body).toBe(201);
    expect(report.json().results).toEqual([
      { index: 0, kind: 'death', outcome: 'pending', applicationId },
      { index: 1, kind: 'death', outcome: 'unknown' },
    ]);
    expect(await kept(`visit:${VILLAGE}:${month}:0`)).toEqual({
      source: 'visit_report',
      application_id: applicationId,
      reported_by: 'township_staff-visit-deaths',
    });
    expect(await kept(`visit:${VILLAGE}:${month}:1`)).toMatchObject({
      source: 'visit_report',
      application_id: null,
    });
    // The same report again: the same answer, nothing kept twice.
    const rows = async () =>
      (await env.pool.query('SELECT count(*)::int AS n FROM unmatched_death_notices')).rows[0].n as number;
    const before = await rows();
    const again = await post('/v1/visit-reports', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().results).toEqual(report.json().results);
    expect(await rows()).toBe(before);
  });
});
