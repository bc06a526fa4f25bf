import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateOf } from '../../domain/dates';
import type { RegisterView } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { createCase } from '../helpers/e2e-cases';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// R-O7: every read of a person's record by staff is itself audited (who, which record, when) and
// can be found in GET /v1/audit: a case (its workflow answers), its payments, a register household
// (a read-model row); an application's read is the same route declaration.

let env: ApiEnv;
let CASE: string;
let APPLICATION: string;
const KEY = `H-dev1-${'ab'.repeat(16)}`;
const CLERK = 'clerk-reader';
const clerk = () => env.as('township_staff', TOWNSHIP, CLERK);

beforeAll(async () => {
  env = await startApiEnv({ sub: 'reads' });
  await seedPolicy(env.pool, COUNTY);
  CASE = (await createCase(env, VILLAGE, 2)).caseId;
  const received = await env.api.inject({
    method: 'POST',
    url: '/v1/applications',
    headers: env.as('township_staff', TOWNSHIP, 'clerk-receiving'),
    payload: {
      category: 'dibao',
      villageCode: VILLAGE,
      acceptedOn: civilDateOf(new Date()),
      delegated: false,
      closeRelative: false,
      household: household(),
    },
  });
  if (received.statusCode !== 201) throw new Error(`receipt: ${received.statusCode}`);
  APPLICATION = received.json().applicationId;
  const members = household().members.map(({ idNumber, name, relation }) => ({ idNumber, name, relation }));
  const view: RegisterView = {
    householdKey: KEY,
    countyCode: COUNTY,
    villageCode: VILLAGE,
    registeredOn: '2026-01-05',
    groups: ['marginal'],
    countyGroups: [],
    sources: [],
    members,
    tasks: [],
    visits: [],
    referrals: [],
    seen: [],
    revision: 1,
    historySeq: 0,
  };
  await env.api.repos.register.save(view, []);
}, 60_000);
afterAll(async () => {
  await env?.stop();
});

const reads = async () =>
  (
    await env.pool.query(
      `SELECT subject_kind, subject_id, actor_sub, actor_role, payload->>'what' AS what FROM audit_events
       WHERE action = 'read' AND actor_sub = $1 ORDER BY id`,
      [CLERK],
    )
  ).rows;

describe('reads of a person’s record are audited (R-O7)', () => {
  it('R-O7: reading an application, a case, its payments and a register household each leaves one audit row', async () => {
    for (const url of [
      `/v1/applications/${APPLICATION}`,
      `/v1/cases/${CASE}`,
      `/v1/cases/${CASE}/payments`,
      `/v1/register/households/${KEY}`,
    ]) {
      const res = await env.api.inject({ url, headers: clerk() });
      expect(res.statusCode, url).toBe(200);
    }
    expect(await reads()).toEqual([
      {
        subject_kind: 'application',
        subject_id: APPLICATION,
        actor_sub: CLERK,
        actor_role: 'township_staff',
        what: 'application',
      },
      {
        subject_kind: 'case',
        subject_id: CASE,
        actor_sub: CLERK,
        actor_role: 'township_staff',
        what: 'case',
      },
      {
        subject_kind: 'case',
        subject_id: CASE,
        actor_sub: CLERK,
        actor_role: 'township_staff',
        what: 'payments',
      },
      {
        subject_kind: 'register',
        subject_id: KEY,
        actor_sub: CLERK,
        actor_role: 'township_staff',
        what: 'household',
      },
    ]);
  });

  it('R-O7: a read refused (out of reach, unknown) shows nothing and records nothing', async () => {
    const before = (await reads()).length;
    const other = env.as('township_staff', '140802102', CLERK);
    expect((await env.api.inject({ url: `/v1/cases/${CASE}/payments`, headers: other })).statusCode).toBe(
      404,
    );
    expect((await env.api.inject({ url: `/v1/register/households/${KEY}`, headers: other })).statusCode).toBe(
      404,
    );
    expect((await reads()).length).toBe(before);
  });

  it('R-O7: the reads are in GET /v1/audit for the county’s supervisor — who, which record, when', async () => {
    const res = await env.api.inject({
      url: `/v1/audit?actor=${CLERK}`,
      headers: env.as('supervisor', COUNTY),
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      action: string;
      subjectKind: string;
      subjectId: string;
      occurredAt: string;
    }[];
    const read = items.filter((i) => i.action === 'read');
    expect(read.map((i) => `${i.subjectKind}:${i.subjectId}`)).toEqual([
      `application:${APPLICATION}`,
      `case:${CASE}`,
      `case:${CASE}`,
      `register:${KEY}`,
    ]);
    for (const i of read) expect(Date.now() - Date.parse(i.occurredAt)).toBeLessThan(10 * 60_000);
  });
});
