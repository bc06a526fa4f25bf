import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// R-O7 / API.md "Identity and reach": in a deployment the API verifies the tokens of the
// province's identity provider by the keys it publishes (a JWKS document), so the API holds no
// signing secret. A key is found by the token's `kid`; an unknown kid fetches the document again
// (the provider rotated its keys), at most once per REFETCH_MS so a flood of forged kids cannot
// make the API hammer the provider. Only RS256 (RSA) and ES256 (EC P-256) keys are taken.

export const JWKS_ALGORITHMS = ['RS256', 'ES256'] as const;
const REFETCH_MS = 30_000;
const TTL_MS = 10 * 60_000;

interface Jwk extends JsonWebKey {
  kid?: string;
  alg?: string;
  use?: string;
}

/** The key type an algorithm needs (a token cannot pick an HMAC or an RSA key for an EC one). */
const fits = (alg: string, k: Jwk) =>
  (alg === 'RS256' && k.kty === 'RSA') || (alg === 'ES256' && k.kty === 'EC' && k.crv === 'P-256');

export class JwksError extends Error {}

async function load(url: string): Promise<Jwk[]> {
  const text = url.startsWith('file:')
    ? await readFile(fileURLToPath(url), 'utf8')
    : await (async () => {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new JwksError(`JWKS answered ${res.status}`);
        return res.text();
      })();
  const doc = JSON.parse(text) as { keys?: Jwk[] };
  if (!Array.isArray(doc.keys)) throw new JwksError('JWKS document without keys');
  return doc.keys.filter((k) => k.kid && (k.use === undefined || k.use === 'sig'));
}

/**
 * The public key (PEM) of a token's header, for @fastify/jwt's `secret` callback. Throws on an
 * algorithm other than RS256/ES256, a missing or unknown kid, or a key of the wrong type.
 */
export function jwksResolver(url: string, now: () => number = Date.now) {
  let keys = new Map<string, Jwk>();
  let fetchedAt = -Infinity;
  let pending: Promise<void> | undefined;
  const refresh = () =>
    (pending ??= load(url)
      .then((list) => {
        keys = new Map(list.map((k) => [k.kid!, k]));
        fetchedAt = now();
      })
      .finally(() => {
        pending = undefined;
      }));

  return async (header: { alg?: string; kid?: string }): Promise<string> => {
    const { alg, kid } = header;
    if (!alg || !(JWKS_ALGORITHMS as readonly string[]).includes(alg))
      throw new JwksError('algorithm not allowed');
    if (!kid) throw new JwksError('token without kid');
    const age = now() - fetchedAt;
    if (age > TTL_MS || (!keys.has(kid) && age > REFETCH_MS)) await refresh();
    const jwk = keys.get(kid);
    if (!jwk || !fits(alg, jwk) || (jwk.alg && jwk.alg !== alg)) throw new JwksError('no key for the token');
    const { kid: _k, alg: _a, use: _u, ...material } = jwk;
    return createPublicKey({ key: material, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
  };
}
