import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifetimeProblem } from '../../api/plugins/auth';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';

// R-O7 / API.md "Identity and reach": tokens as a deployment issues them — `exp` required, a
// lifetime no longer than JWT_MAX_LIFETIME, a clock-skew leeway — and in a deployment the
// identity provider's keys (JWKS, RS256/ES256) instead of a secret the API holds.

const SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';
const admin = { sub: 'adm-tok', role: 'admin', region: '14' };
const now = () => Math.floor(Date.now() / 1000);
const ROUTE = '/v1/supervision/summary';
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('token lifetime (pure)', () => {
  const l = { maxLifetimeMs: 12 * 3_600_000, clockSkewMs: 60_000 };
  it('R-O7: exp and iat required, lifetime bounded, iat not in the future beyond the leeway', () => {
    const t = 1_800_000_000;
    expect(lifetimeProblem({ iat: t }, t * 1000, l)).toMatch(/required/);
    expect(lifetimeProblem({ iat: t, exp: t + 13 * 3600 }, t * 1000, l)).toMatch(/lifetime/);
    expect(lifetimeProblem({ iat: t + 120, exp: t + 3600 }, t * 1000, l)).toMatch(/future/);
    expect(lifetimeProblem({ iat: t + 30, exp: t + 3600 }, t * 1000, l)).toBeUndefined();
    expect(lifetimeProblem({ iat: t, exp: t + 12 * 3600 }, t * 1000, l)).toBeUndefined();
  });
});

describe('HS256 tokens (development and tests)', () => {
  let env: ApiEnv;
  beforeAll(async () => {
    env = await startApiEnv({ worker: false, sub: 'tokens' });
  });
  afterAll(async () => {
    await env?.stop();
  });
  const get = async (token: string) =>
    (await env.api.inject({ method: 'GET', url: ROUTE, headers: bearer(token) })).statusCode;
  const hs = (claims: object) => createSigner({ key: SECRET, iss: 'dibao' })(claims);

  it('R-O7: a token without exp is 401 on an admin route', async () => {
    expect(await get(hs({ ...admin, iat: now() }))).toBe(401);
  });

  it('R-O7: a token living longer than JWT_MAX_LIFETIME (12h) is 401, one within it 200', async () => {
    expect(await get(hs({ ...admin, iat: now(), exp: now() + 30 * 86_400 }))).toBe(401);
    expect(await get(hs({ ...admin, iat: now(), exp: now() + 3600 }))).toBe(200);
  });

  it('R-O7: the clock-skew leeway (60 s): expired 20 s ago passes, 5 minutes ago is 401', async () => {
    expect(await get(hs({ ...admin, iat: now() - 3600, exp: now() - 20 }))).toBe(200);
    expect(await get(hs({ ...admin, iat: now() - 3600, exp: now() - 300 }))).toBe(401);
  });

  it('R-O7: the tests’ own tokens carry exp (signed short-lived)', async () => {
    const t = env.as('admin', '14').authorization.slice(7);
    const claims = JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString());
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
  });
});

describe('JWKS (a deployment: the identity provider’s RS256 keys)', () => {
  let env: ApiEnv;
  let server: Server;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = (k: KeyObject, kid: string, alg: string) => ({
    ...k.export({ format: 'jwk' }),
    kid,
    alg,
    use: 'sig',
  });
  let fetches = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          keys: [jwk(rsa.publicKey, 'idp-1', 'RS256'), jwk(ec.publicKey, 'idp-ec', 'ES256')],
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    env = await startApiEnv({
      worker: false,
      sub: 'jwks',
      env: { JWT_JWKS_URL: url, JWT_ISSUER: 'province-idp' },
    });
  });
  afterAll(async () => {
    await env?.stop();
    server?.close();
  });

  const sign = (key: KeyObject, kid: string, claims: object, algorithm: 'RS256' | 'ES256' = 'RS256') =>
    createSigner({
      key: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
      algorithm,
      kid,
      iss: 'province-idp',
    })(claims);
  const get = async (token: string) =>
    (await env.api.inject({ method: 'GET', url: ROUTE, headers: bearer(token) })).statusCode;
  const life = () => ({ iat: now(), exp: now() + 3600 });

  it('R-O7: an RS256 token of the provider’s key is 200; ES256 too', async () => {
    expect(await get(sign(rsa.privateKey, 'idp-1', { ...admin, ...life() }))).toBe(200);
    expect(await get(sign(ec.privateKey, 'idp-ec', { ...admin, ...life() }, 'ES256'))).toBe(200);
  });

  it('R-O7: a token signed by another key (same kid, unknown kid) is 401', async () => {
    expect(await get(sign(other.privateKey, 'idp-1', { ...admin, ...life() }))).toBe(401);
    expect(await get(sign(other.privateKey, 'idp-9', { ...admin, ...life() }))).toBe(401);
  });

  it('R-O7: no exp is 401; too long a lifetime is 401', async () => {
    expect(await get(sign(rsa.privateKey, 'idp-1', { ...admin, iat: now() }))).toBe(401);
    expect(await get(sign(rsa.privateKey, 'idp-1', { ...admin, iat: now(), exp: now() + 7 * 86_400 }))).toBe(
      401,
    );
  });

  it('R-O7: the API holds no secret — an HS256 token of the development secret is 401', async () => {
    const hs = createSigner({ key: SECRET, iss: 'province-idp' })({ ...admin });
    expect(await get(hs)).toBe(401);
  });

  it('R-O7: a flood of unknown kids does not refetch the JWKS each time', async () => {
    const before = fetches;
    for (let i = 0; i < 20; i++) await get(sign(other.privateKey, `forged-${i}`, { ...admin, ...life() }));
    expect(fetches - before).toBeLessThanOrEqual(1);
  });
});
