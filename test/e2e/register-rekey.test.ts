import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEntryFor } from '../../clients/register-entry';
import { rekeyRegister } from '../../clients/register-rekey';
import { addDays, civilDateOf } from '../../domain/dates';
import { householdKey, legacyHouseholdKey } from '../../domain/register-key';
import { type RegisterFinding, registerFindingSignal, registerWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { uniqueIdNumber } from '../helpers/caseload';
import { testIdKeys } from '../helpers/env';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// R-O7: register entries made before keyed ids are named by a plain hash of an ID number
// (reversible, domain/register-key.ts). The re-keying (clients/register-rekey.ts, run by
// scripts/rekey-register.ts after a deployment) moves each to a keyed id: every row follows, no
// household is lost or doubled, the old id leads nowhere, and what was still on its way to the old
// entry reaches the new one.

let env: ApiEnv;
const admin = { sub: 'adm-rekey', role: 'admin' as const, region: '14' };
const today = () => civilDateOf(new Date());
const countRows = async (sql: string, args: unknown[]) =>
  (await env.pool.query(`SELECT count(*)::int AS n FROM ${sql}`, args)).rows[0].n as number;

beforeAll(async () => {
  env = await startApiEnv({ sub: 'rekey', env: { TEMPORAL_CALL_TIMEOUT: '30s' } });
  const standard = await env.api.inject({
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
  expect(standard.statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

/** An entry as it was made before keyed ids: `register:<county>:H<24 hex of sha256>`. */
async function legacyEntry() {
  // Persons of its own: entries are named by the head's id, and the dev server is shared by the
  // test files running at once.
  const hh = household({ size: 3 });
  for (const m of hh.members) m.idNumber = uniqueIdNumber();
  const members = hh.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation }));
  const oldKey = legacyHouseholdKey(COUNTY, members[0]!.idNumber);
  const { input } = await registerEntryFor(env.api.repos, testIdKeys(), VILLAGE, members);
  const finding: RegisterFinding = {
    findingId: `visit-${members[0]!.name}-${Date.now()}`,
    source: 'visit',
    villageCode: VILLAGE,
    members,
    add: ['marginal'],
    on: today(),
    by: { sub: 'clerk-rekey', role: 'township_staff', region: TOWNSHIP },
  };
  await env.client.workflow.signalWithStart('registerWorkflow', {
    taskQueue: env.taskQueue,
    workflowId: registerWorkflowId(COUNTY, oldKey),
    args: [{ ...input, householdKey: oldKey }],
    signal: registerFindingSignal,
    signalArgs: [finding],
  });
  await until(() => env.api.repos.register.find(oldKey), 'the legacy entry’s row');
  return { oldKey, members, newKey: householdKey(testIdKeys(), COUNTY, members[0]!.idNumber) };
}

describe('re-keying the register (R-O7)', () => {
  it('R-O7: an entry of before keyed ids moves to a keyed id — rows follow, nothing doubled, the old id leads nowhere', async () => {
    const { oldKey, members, newKey } = await legacyEntry();
    const staff = env.as('township_staff', TOWNSHIP);
    // A warning reaches it before the move (the intake finds the entry by its members).
    const hit = {
      hitId: `hit-${Date.now()}`,
      kind: 'job_loss',
      idNumber: members[1]!.idNumber,
      detectedOn: addDays(today(), -1),
      source: 'human resources bureau',
    };
    const sent = await env.api.inject({
      method: 'POST',
      url: '/v1/integrations/monitoring-hits',
      headers: env.as('integration', COUNTY),
      payload: { hits: [hit] },
    });
    expect(sent.json().results).toMatchObject([{ outcome: 'matched', householdId: oldKey }]);
    await until(
      async () => (await env.api.repos.register.find(oldKey))?.view.tasks.length === 1,
      'the warning’s visit task',
    );
    const before = (await env.api.repos.register.find(oldKey))!.view;

    const report = await rekeyRegister(env.client, env.api.repos, testIdKeys(), {
      taskQueue: env.taskQueue,
      by: admin,
    });
    expect(report).toEqual({ moved: 1, pending: [] });

    // Every row under the new key, none under the old; one household, not two.
    expect(await env.api.repos.register.find(oldKey)).toBeUndefined();
    const after = (await env.api.repos.register.find(newKey))!.view;
    expect(after.householdKey).toBe(newKey);
    expect(after).toMatchObject({ groups: before.groups, members: before.members, tasks: before.tasks });
    expect(await countRows('register_households WHERE county_code = $1', [COUNTY])).toBe(1);
    expect(await countRows('register_members WHERE household_key = $1', [newKey])).toBe(3);
    expect(await countRows('register_members WHERE household_key = $1', [oldKey])).toBe(0);
    expect(await countRows('monitoring_hits WHERE household_key = $1', [newKey])).toBe(1);
    // R-O6: the move is recorded on the new entry, by the administrator who ran it.
    expect(
      await countRows(
        `audit_events WHERE subject_kind = 'register' AND subject_id = $1 AND action = 'relocated' AND actor_sub = $2`,
        [newKey, admin.sub],
      ),
    ).toBe(1);

    // The old id leads nowhere: the API does not know it; the new one answers.
    expect(
      (await env.api.inject({ url: `/v1/register/households/${oldKey}`, headers: staff })).statusCode,
    ).toBe(404);
    const shown = await env.api.inject({ url: `/v1/register/households/${newKey}`, headers: staff });
    expect(shown.statusCode).toBe(200);
    expect(shown.json().householdId).toBe(newKey);
    expect(JSON.stringify(shown.json())).not.toContain(oldKey);

    // A signal still addressed to the old entry is forwarded to the new one.
    await env.client.workflow.getHandle(registerWorkflowId(COUNTY, oldKey)).signal(registerFindingSignal, {
      findingId: `late-${Date.now()}`,
      source: 'village_report',
      villageCode: VILLAGE,
      members: [members[0]!],
      add: ['county_named'],
      countyGroup: 'elderly alone',
      on: today(),
      by: { sub: 'clerk-rekey', role: 'township_staff', region: TOWNSHIP },
    });
    await until(
      async () => (await env.api.repos.register.find(newKey))?.view.groups.includes('county_named'),
      'the forwarded finding on the new entry',
    );
    // A staff finding for a member reaches the new entry (the read model names it).
    const found = await env.api.inject({
      method: 'POST',
      url: '/v1/register/households',
      headers: { ...staff, 'idempotency-key': `found-${Date.now()}` },
      payload: {
        source: 'visit',
        villageCode: VILLAGE,
        members: [members[2]],
        groups: ['expenditure_type'],
        foundOn: today(),
      },
    });
    expect(found.statusCode, found.body).toBeLessThan(300);
    expect(found.json().householdId).toBe(newKey);
    expect(await countRows('register_households WHERE county_code = $1', [COUNTY])).toBe(1);

    // Run again: nothing left to move.
    expect(
      await rekeyRegister(env.client, env.api.repos, testIdKeys(), { taskQueue: env.taskQueue, by: admin }),
    ).toEqual({ moved: 0, pending: [] });
  });
});
