import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type SerializationContext } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadCodec } from '../../codec/payload-codec';
import { parseConfig } from '../../config/env';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { testEnv } from '../helpers/env';
import { COUNTY } from '../helpers/fixtures';

// R-O7: the codec server decodes a payload only for a caller whose region covers the county it
// belongs to; the county is sealed with the payload (AES-GCM associated data), so it cannot be
// relabelled; every decode or refusal is audited with the workflow and the kinds of fields.

let env: ApiEnv;
const UI = 'http://127.0.0.1:8233';
const codec = payloadCodec(parseConfig({ NODE_ENV: 'test' }));
const household = { name: '王小明', idNumber: '140881199001011234', monthlyIncome: '321.50' };
const OTHER = '140881';
const OTHER_CASE = `case:A${OTHER}20260105ABCDEF012345`;
const OWN_CASE = `case:A${COUNTY}20260105ABCDEF012345`;
const ctx = (workflowId: string): SerializationContext => ({
  type: 'workflow',
  namespace: 'default',
  workflowId,
});
const b64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('base64');
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(p.data),
});
const seal = async (workflowId?: string) =>
  toJson(
    (
      await codec.encode(
        [defaultPayloadConverter.toPayload(household)],
        workflowId ? ctx(workflowId) : undefined,
      )
    )[0]!,
  );

beforeAll(async () => {
  env = await startApiEnv({ worker: false, sub: 'scope' });
});
afterAll(async () => {
  await env?.stop();
});

const decode = (headers: Record<string, string>, payloads: unknown[]) =>
  env.api.inject({
    method: 'POST',
    url: '/codec/decode',
    headers: { ...headers, origin: UI },
    payload: { payloads },
  });

describe('codec server: decoding scoped to the caller’s region (R-O7)', () => {
  it('R-O7: a supervisor of 140802 cannot decode a case of 140881 — 403, nothing answered, the refusal audited', async () => {
    const res = await decode(env.as('supervisor', COUNTY, 'sup-near'), [await seal(OTHER_CASE)]);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain(household.name);
    expect(res.body).not.toContain(OTHER);
    // Mixed with a payload of its own county: still nothing.
    const mixed = await decode(env.as('supervisor', COUNTY, 'sup-near'), [
      await seal(OWN_CASE),
      await seal(OTHER_CASE),
    ]);
    expect(mixed.statusCode).toBe(403);
    const audit = await env.api.repos.audit.codecDecodesBy('sup-near');
    expect(audit.at(-1)).toMatchObject({
      action: 'codec_decode_refused',
      subjectKind: 'case',
      subjectId: OTHER_CASE.slice('case:'.length),
      workflowId: OTHER_CASE,
      region: OTHER,
      payloadCount: 1,
      fieldKinds: ['id_number', 'name', 'income'],
    });
  });

  it('R-O7: the county is bound to the payload — relabelled as the caller’s, or stripped, it does not open', async () => {
    const sealed = await seal(OTHER_CASE);
    const relabelled = {
      ...sealed,
      metadata: { ...sealed.metadata, 'payload-region': b64(Buffer.from(COUNTY)) },
    };
    const res = await decode(env.as('supervisor', COUNTY, 'sup-relabel'), [relabelled]);
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain(household.name);
    const { 'payload-region': _r, 'payload-workflow': _w, ...bare } = sealed.metadata;
    expect(
      (await decode(env.as('supervisor', COUNTY, 'sup-relabel'), [{ ...sealed, metadata: bare }])).statusCode,
    ).toBe(400);
  });

  it('R-O7: the county’s supervisor and the province decode it; the audit names the case and the kinds of fields', async () => {
    const own = await decode(env.as('supervisor', OTHER, 'sup-own'), [await seal(OTHER_CASE)]);
    expect(own.statusCode).toBe(200);
    expect(JSON.parse(Buffer.from(own.json().payloads[0].data, 'base64').toString())).toEqual(household);
    expect(await env.api.repos.audit.codecDecodesBy('sup-own')).toMatchObject([
      {
        action: 'codec_decode',
        subjectKind: 'case',
        workflowId: OTHER_CASE,
        fieldKinds: ['id_number', 'name', 'income'],
      },
    ]);
    expect((await decode(env.as('supervisor', '14', 'sup-prov'), [await seal(OTHER_CASE)])).statusCode).toBe(
      200,
    );
  });

  it('R-O7: a payload written before regions decodes for a province-level caller only', async () => {
    const legacy = await seal();
    expect((await decode(env.as('supervisor', COUNTY, 'sup-legacy'), [legacy])).statusCode).toBe(403);
    expect((await decode(env.as('admin', COUNTY, 'adm-legacy'), [legacy])).statusCode).toBe(403);
    expect((await decode(env.as('supervisor', '14', 'sup-legacy-p'), [legacy])).statusCode).toBe(200);
  });

  it('R-O7: encoding is for administrators — a supervisor cannot make valid encrypted payloads', async () => {
    const body = { payloads: [toJson(defaultPayloadConverter.toPayload(household))] };
    const sup = await env.api.inject({
      method: 'POST',
      url: '/codec/encode',
      headers: env.as('supervisor', COUNTY),
      payload: body,
    });
    expect(sup.statusCode).toBe(403);
    const adm = await env.api.inject({
      method: 'POST',
      url: '/codec/encode',
      headers: env.as('admin', '14'),
      payload: body,
    });
    expect(adm.statusCode).toBe(200);
  });

  it('R-O7: what the API’s client writes into a history carries its workflow’s county (the SDK’s serialization context)', async () => {
    const workflowId = `application:A${OTHER}20260105${Date.now().toString(16).toUpperCase().padStart(12, '0')}`;
    const handle = await env.client.workflow.start('noSuchWorkflow', {
      workflowId,
      taskQueue: `nobody-${Date.now()}`,
      args: [household],
    });
    try {
      // Read the history as anyone with access to Temporal would: without the codec.
      const raw = new Client({
        connection: await Connection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') }),
      });
      const history = await raw.workflow.getHandle(workflowId).fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input
        ?.payloads?.[0] as Payload;
      expect(Buffer.from(input.metadata!['payload-region']!).toString()).toBe(OTHER);
      expect((await decode(env.as('supervisor', COUNTY, 'sup-hist'), [toJson(input)])).statusCode).toBe(403);
      expect((await decode(env.as('supervisor', OTHER, 'sup-hist2'), [toJson(input)])).statusCode).toBe(200);
      await raw.connection.close();
    } finally {
      await handle.terminate('test over');
    }
  });
});
