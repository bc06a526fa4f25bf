import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateOf } from '../../domain/dates';
import { ensureRetentionSchedule } from '../../worker/schedules';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { uniqueIdNumber } from '../helpers/caseload';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// R-O7: copies kept for technical reasons — replayed API answers, imported households — hold
// personal data: the answers are kept sealed, and both are purged after RETENTION_DAYS by the
// worker's daily Schedule, each purge audited.

let env: ApiEnv;
const scheduleId = `retention-test-${randomUUID()}`;

beforeAll(async () => {
  env = await startApiEnv({ sub: 'retention', env: { TEMPORAL_CALL_TIMEOUT: '30s' } });
  await seedPolicy(env.pool, COUNTY);
}, 60_000);
afterAll(async () => {
  await env?.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await env?.stop();
});

const count = async (sql: string, args: unknown[] = []) =>
  (await env.pool.query(`SELECT count(*)::int AS n FROM ${sql}`, args)).rows[0].n as number;

describe('copies kept for technical reasons (R-O7)', () => {
  it('R-O7: a replayed answer is kept sealed — no ID number or name in idempotency_keys — and replays the same', async () => {
    // A household registered by a visit: its answer (201) is the entry with every member.
    // Persons of its own: register entries are named by the head's keyed id, and the dev server is
    // shared by the test files running at once.
    const hh = household();
    for (const m of hh.members) m.idNumber = uniqueIdNumber();
    const send = () =>
      env.api.inject({
        method: 'POST',
        url: '/v1/register/households',
        headers: { ...env.as('township_staff', TOWNSHIP, 'clerk-ret'), 'idempotency-key': 'visit-ret-1' },
        payload: {
          source: 'visit',
          villageCode: VILLAGE,
          foundOn: civilDateOf(new Date()),
          members: hh.members.map(({ idNumber, name, relation }) => ({ idNumber, name, relation })),
        },
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    expect(first.body).toContain(hh.members[0]!.idNumber);
    const { rows } = await env.pool.query(
      `SELECT response::text AS r FROM idempotency_keys WHERE caller = 'clerk-ret' AND key = 'visit-ret-1'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].r).not.toContain(hh.members[0]!.idNumber);
    expect(rows[0].r).not.toContain(hh.members[0]!.name);
    const again = await send();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
  });

  it('R-O7: the daily Schedule purges answers and finished imports’ households older than the retention, audited', async () => {
    // An answer of 40 days ago and one of today.
    await env.pool.query(
      `INSERT INTO idempotency_keys (caller, key, method, path, request_hash, status_code, response, created_at)
       VALUES ('old-caller', 'k-old', 'POST', '/v1/x', 'h', 201, '{}', now() - interval '40 days'),
              ('old-caller', 'k-new', 'POST', '/v1/x', 'h', 201, '{}', now())`,
    );
    // Three imports: finished 40 days ago, unfinished 40 days ago, finished today.
    for (const [id, age, done] of [
      ['IMP-OLD-DONE', '40 days', true],
      ['IMP-OLD-OPEN', '40 days', false],
      ['IMP-NEW-DONE', '0 days', true],
    ] as const) {
      await env.pool.query(
        `INSERT INTO imports (import_id, county_code, format, valid_only, rows_total, rows_invalid, households_total,
           report, context, created_by, created_at)
         VALUES ($1, $2, 'csv', false, 1, 0, 1, '[]', '{}', 'adm', now() - $3::interval)`,
        [id, COUNTY, age],
      );
      await env.pool.query(
        `INSERT INTO import_households (import_id, seq, case_id, village_code, household)
         VALUES ($1, 1, $1, $2, '{"members":[{"name":"张三","idNumber":"140802199001011234"}]}')`,
        [id, VILLAGE],
      );
      if (done)
        await env.pool.query(
          `INSERT INTO import_outcomes (import_id, seq, case_id, outcome) VALUES ($1, 1, $1, 'created')`,
          [id],
        );
    }

    expect(await ensureRetentionSchedule(env.client, env.taskQueue, 30, scheduleId)).toBe('created');
    const described = await env.client.schedule.getHandle(scheduleId).describe();
    expect(described.action).toMatchObject({
      workflowType: 'retentionPurgeWorkflow',
      args: [{ retentionDays: 30 }],
    });
    // A worker started with another RETENTION_DAYS sets it on the existing Schedule.
    expect(await ensureRetentionSchedule(env.client, env.taskQueue, 30, scheduleId)).toBe('exists');
    await env.client.schedule.getHandle(scheduleId).trigger();

    await until(
      async () =>
        (await count(`audit_events WHERE action = 'purged' AND event_key LIKE $1`, [`%${scheduleId}%`])) ===
        2,
      'both purges audited',
    );
    expect(await count(`idempotency_keys WHERE caller = 'old-caller'`)).toBe(1);
    expect(await count(`idempotency_keys WHERE key = 'k-new'`)).toBe(1);
    expect(await count(`import_households WHERE import_id = 'IMP-OLD-DONE'`)).toBe(0);
    expect(await count(`import_households WHERE import_id IN ('IMP-OLD-OPEN', 'IMP-NEW-DONE')`)).toBe(2);
    // The import and its outcomes stay: GET /v1/imports/{id} still counts them.
    expect(await count(`import_outcomes WHERE import_id = 'IMP-OLD-DONE'`)).toBe(1);
    const { rows } = await env.pool.query(
      `SELECT subject_id, actor_sub, actor_role, payload FROM audit_events WHERE action = 'purged' AND event_key LIKE $1
       ORDER BY subject_id`,
      [`%${scheduleId}%`],
    );
    expect(rows).toEqual([
      {
        subject_id: 'idempotency_keys',
        actor_sub: 'retention-schedule',
        actor_role: 'system',
        payload: { table: 'idempotency_keys', rows: expect.any(Number), olderThanDays: 30 },
      },
      {
        subject_id: 'import_households',
        actor_sub: 'retention-schedule',
        actor_role: 'system',
        payload: { table: 'import_households', rows: 1, olderThanDays: 30 },
      },
    ]);
    expect(rows[0].payload.rows).toBeGreaterThanOrEqual(1);
  });
});
