import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadCodec } from '../../codec/payload-codec';
import { parseConfig } from '../../config/env';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { COUNTY, TOWNSHIP } from '../helpers/fixtures';

// R-O7: the codec server the Temporal UI calls (remote codec protocol), behind the API's guard.

let env: ApiEnv;
const UI = 'http://127.0.0.1:8233';
const codec = payloadCodec(parseConfig({ NODE_ENV: 'test' }));
// R-O7: payloads belong to a workflow of the supervisors' county (the SDK's serialization context).
const CASE = `case:A${COUNTY}20260105ABCDEF012345`;
const inCounty = { type: 'workflow', namespace: 'default', workflowId: CASE } as const;
const household = { name: '王小明', idNumber: '140802199001011234', income: '321.50' };
const b64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('base64');
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(p.data),
});

beforeAll(async () => {
  // The API behind a TLS proxy on loopback (inject's address): X-Forwarded-Proto is believed.
  env = await startApiEnv({ worker: false, sub: 'codec', env: { TRUST_PROXY: '127.0.0.1' } });
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

describe('codec server (R-O7)', () => {
  it('R-O7: 401 without a token, 403 for township staff and county staff; nothing audited', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(household)]);
    const none = await decode({}, [toJson(sealed!)]);
    expect(none.statusCode).toBe(401);
    expect(none.headers['access-control-allow-origin']).toBe(UI);
    for (const role of ['township_staff', 'county_staff']) {
      const res = await decode(env.as(role, role === 'county_staff' ? COUNTY : TOWNSHIP), [toJson(sealed!)]);
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain(household.idNumber);
    }
    expect(await env.api.repos.audit.codecDecodesBy('township_staff-codec')).toEqual([]);
  });

  it('R-O7: a supervisor decodes the payloads (clear and already-clear ones); one audit row per decode', async () => {
    const plain = defaultPayloadConverter.toPayload('not encrypted');
    const sealed = await codec.encode([defaultPayloadConverter.toPayload(household)], inCounty);
    const res = await decode({ ...env.as('supervisor', COUNTY, 'sup-1'), 'x-namespace': 'default' }, [
      toJson(sealed[0]!),
      toJson(plain),
    ]);
    expect(res.statusCode).toBe(200);
    const out = res.json().payloads as { metadata: Record<string, string>; data: string }[];
    expect(Buffer.from(out[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(out[0]!.data, 'base64').toString())).toEqual(household);
    expect(JSON.parse(Buffer.from(out[1]!.data, 'base64').toString())).toBe('not encrypted');
    expect(await env.api.repos.audit.codecDecodesBy('sup-1')).toEqual([
      {
        action: 'codec_decode',
        actorSub: 'sup-1',
        actorRole: 'supervisor',
        subjectKind: 'case',
        subjectId: CASE.slice('case:'.length),
        namespace: 'default',
        workflowId: CASE,
        region: COUNTY,
        payloadCount: 1,
        fieldKinds: ['id_number', 'name', 'income'],
      },
    ]);
    // The Temporal CLI (`workflow show --codec-endpoint`) sends X-Namespace empty: the API's namespace.
    const cli = await decode({ ...env.as('supervisor', COUNTY, 'sup-cli'), 'x-namespace': '' }, [
      toJson(sealed[0]!),
    ]);
    expect(cli.statusCode).toBe(200);
    expect((await env.api.repos.audit.codecDecodesBy('sup-cli'))[0]?.namespace).toBe('default');
  });

  it('R-O7: an admin encodes; what comes back is ciphertext that decodes again', async () => {
    const admin = env.as('admin', '14', 'adm-1');
    const enc = await env.api.inject({
      method: 'POST',
      url: '/codec/encode',
      headers: admin,
      payload: { payloads: [toJson(defaultPayloadConverter.toPayload(household))] },
    });
    expect(enc.statusCode).toBe(200);
    const sealed = enc.json().payloads[0];
    expect(Buffer.from(sealed.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed.data, 'base64').toString('latin1')).not.toContain(household.idNumber);
    const dec = await decode(admin, [sealed]);
    expect(JSON.parse(Buffer.from(dec.json().payloads[0].data, 'base64').toString())).toEqual(household);
  });

  it('R-O7: an unknown key id is a 400 naming it; a malformed body is a 400', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(household)], inCounty);
    const other = toJson(sealed!);
    other.metadata['encryption-key-id'] = Buffer.from('retired-7').toString('base64');
    const res = await decode(env.as('supervisor', COUNTY), [other]);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('unknown payload key id retired-7');
    expect((await decode(env.as('supervisor', COUNTY), [{ data: '%%%' }])).statusCode).toBe(400);
  });

  it('R-O7: the UI session — a supervisor stores the token in an HttpOnly cookie; decodes with it are guarded and audited', async () => {
    const session = (token: string) =>
      env.api.inject({
        method: 'POST',
        url: '/codec/session',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token }).toString(),
      });
    const bearer = (h: { authorization: string }) => h.authorization.slice('Bearer '.length);
    expect((await session(bearer(env.as('township_staff', TOWNSHIP)))).statusCode).toBe(403);
    expect((await session('not-a-token')).statusCode).toBe(401);
    const ok = await session(bearer(env.as('supervisor', COUNTY, 'sup-cookie')));
    expect(ok.statusCode).toBe(200);
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/^dibao_codec=[^;]+; Path=\/codec; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(household)], inCounty);
    const res = await decode({ cookie: cookie.split(';')[0]! }, [toJson(sealed!)]);
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(await env.api.repos.audit.codecDecodesBy('sup-cookie')).toHaveLength(1);
    const staffCookie = `dibao_codec=${bearer(env.as('township_staff', TOWNSHIP))}`;
    expect((await decode({ cookie: staffCookie }, [toJson(sealed!)])).statusCode).toBe(403);
  });

  it('R-O7: the session cookie is Secure when the API is served over https (the proxy says so)', async () => {
    const token = env.as('supervisor', COUNTY, 'sup-tls').authorization.slice('Bearer '.length);
    const session = (headers: Record<string, string>) =>
      env.api.inject({
        method: 'POST',
        url: '/codec/session',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams({ token }).toString(),
      });
    const tls = await session({ 'x-forwarded-proto': 'https' });
    expect(tls.statusCode).toBe(200);
    expect(String(tls.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    // Over plain http (the dev server's UI) a Secure cookie would never be sent back.
    expect(String((await session({})).headers['set-cookie'])).not.toContain('Secure');
  });

  it("R-O7: CORS preflight answered for the Temporal UI's origin (Authorization, X-Namespace), not for others", async () => {
    const preflight = (origin: string) =>
      env.api.inject({
        method: 'OPTIONS',
        url: '/codec/decode',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const ok = await preflight(UI);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    expect(String(ok.headers['access-control-allow-methods'])).toContain('POST');
    const allowed = String(ok.headers['access-control-allow-headers']).toLowerCase();
    for (const h of ['authorization', 'content-type', 'x-namespace']) expect(allowed).toContain(h);
    const evil = await preflight('https://evil.example');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(evil.headers['access-control-allow-headers']).toBeUndefined();
  });
});
