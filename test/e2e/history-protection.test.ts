import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadCodec } from '../../codec/payload-codec';
import { parseConfig } from '../../config/env';
import { addDays, civilDateOf } from '../../domain/dates';
import { applicationWorkflowId, caseStateQuery, caseWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { testEnv } from '../helpers/env';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { bytesIn, type HistoryLike, payloadsIn, rawJson } from '../helpers/history-scan';

// R-O7: what the Temporal server stores (and shows to anyone with the UI or CLI) is ciphertext.
// An application is driven to approval and its case through a staff death via the API, then every
// history event is read with a client that has no codec.

let env: ApiEnv;
let raw: Client;
let rawConnection: Connection;
const today = () => civilDateOf(new Date());
const codec = payloadCodec(parseConfig({ NODE_ENV: 'test' }));

beforeAll(async () => {
  env = await startApiEnv({ sub: 'history' });
  rawConnection = await Connection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') });
  raw = new Client({ connection: rawConnection }); // deliberately without the codec
});
afterAll(async () => {
  await rawConnection?.close();
  await env?.stop();
});

// Fixture values that appear nowhere else: two names, two ID numbers, one income.
const hh = household({ monthlyIncome: '287.43' });
hh.members[0]!.name = '欧阳明远';
hh.members[1]!.name = '欧阳小雨';
const secrets = [...hh.members.flatMap((m) => [m.name, m.idNumber]), '287.43'];

async function drive(): Promise<string> {
  const { api } = env;
  const township = env.as('township_staff', TOWNSHIP);
  const standard = await api.inject({
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
  const accepted = addDays(today(), -20);
  const created = await api.inject({
    method: 'POST',
    url: '/v1/applications',
    headers: township,
    payload: {
      category: 'dibao',
      villageCode: VILLAGE,
      acceptedOn: accepted,
      delegated: false,
      closeRelative: false,
      household: hh,
    },
  });
  expect(created.statusCode).toBe(201);
  const id: string = created.json().applicationId;
  const step = async (path: string, headers: Record<string, string>, payload: unknown) => {
    const res = await api.inject({
      method: 'POST',
      url: `/v1/applications/${id}/${path}`,
      headers,
      payload: payload as never,
    });
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    return res.json();
  };
  await step('investigation', township, {
    household: hh,
    findings: 'visited',
    visitedOn: addDays(accepted, 1),
  });
  await step('economic-check', env.as('integration', COUNTY), {
    checkId: `chk-${id}`,
    verified: [],
    findings: 'none',
  });
  await step('initial-opinion', township, {
    eligible: true,
    category: 'dibao',
    proposedMonthlyAmount: '1000.00',
    reasons: 'low income',
    publicityPostedOn: addDays(today(), -9), // R-A4: the 7 days have ended
  });
  const decided = await step('decision', env.as('county_staff', COUNTY), {
    approve: true,
    monthlyAmount: '1000.00',
    reasons: 'income below the standard',
  });
  expect(decided.stage).toBe('approved');
  await until(
    () => env.client.workflow.getHandle(caseWorkflowId(id)).query(caseStateQuery),
    'the case workflow',
  );
  const death = await api.inject({
    method: 'POST',
    url: `/v1/cases/${id}/deaths`,
    headers: township,
    payload: { noticeId: `staff-${id}`, idNumber: hh.members[1]!.idNumber, diedOn: today() },
  });
  expect(death.statusCode).toBe(202);
  await until(async () => {
    const v = await env.client.workflow.getHandle(caseWorkflowId(id)).query(caseStateQuery);
    return v.tasks.some((t) => t.kind === 'death_review') ? v : undefined;
  }, 'the death review');
  return id;
}

describe('personal data in the workflow history (R-O7)', () => {
  it('R-O7: no name, ID number or income in the raw history of the application and the case; with the codec they decode', async () => {
    const id = await drive();
    for (const workflowId of [applicationWorkflowId(id), caseWorkflowId(id)]) {
      const history = (await raw.workflow.getHandle(workflowId).fetchHistory()) as HistoryLike;
      expect(history.events?.length).toBeGreaterThan(3);
      const json = rawJson(history);
      const texts = bytesIn(history).map((b) => Buffer.from(b).toString('utf8'));
      for (const s of secrets) {
        expect(json, `${s} in ${workflowId}`).not.toContain(s);
        expect(
          texts.filter((t) => t.includes(s)),
          `${s} in a payload of ${workflowId}`,
        ).toEqual([]);
      }
      // Every payload a codec can reach is sealed with the configured key.
      const coded = payloadsIn(history).filter((p) => !p.clearByDesign);
      expect(coded.length).toBeGreaterThan(0);
      for (const { payload, path } of coded) {
        expect(Buffer.from(payload.metadata?.encoding ?? []).toString(), path).toBe('binary/encrypted');
        expect(Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString()).toBe('dev-1');
      }
    }
    // With the codec the same history gives back the household and the death report.
    const decodeAll = async (ps: Payload[]) =>
      (await codec.decode(ps)).map((p) => defaultPayloadConverter.fromPayload(p) as Record<string, never>);
    const appEvents = (await raw.workflow.getHandle(applicationWorkflowId(id)).fetchHistory()).events ?? [];
    const [input] = await decodeAll(
      appEvents[0]!.workflowExecutionStartedEventAttributes!.input!.payloads as Payload[],
    );
    expect(input).toMatchObject({ applicationId: id, household: { members: hh.members } });
    const caseEvents = (await raw.workflow.getHandle(caseWorkflowId(id)).fetchHistory()).events ?? [];
    const [caseInput] = await decodeAll(
      caseEvents[0]!.workflowExecutionStartedEventAttributes!.input!.payloads as Payload[],
    );
    expect(JSON.stringify(caseInput)).toContain(hh.members[1]!.idNumber);
    expect(JSON.stringify(caseInput)).toContain('欧阳明远');
    const deathArgs = caseEvents
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads)
      .filter((p): p is NonNullable<typeof p> => !!p);
    const decodedArgs = JSON.stringify(await Promise.all(deathArgs.map((p) => decodeAll(p as Payload[]))));
    expect(decodedArgs).toContain(hh.members[1]!.idNumber);
  });
});
