import { createSigner } from 'fast-jwt';

// Tokens the guard must refuse (API.md "Identity and reach": no or bad token → 401), signed for
// an administrator of a province so that only the token's flaw can explain the 401.
const SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';
const claims = { sub: 'mallory', role: 'admin', region: '14' };
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

export const BAD_TOKENS: Record<string, Record<string, string>> = {
  'no token': {},
  expired: bearer(
    createSigner({ key: SECRET, iss: 'dibao' })({ ...claims, iat: now() - 7200, exp: now() - 3600 }),
  ),
  'wrong key': bearer(
    createSigner({ key: 'another-secret-of-at-least-32-characters!!', iss: 'dibao' })(claims),
  ),
  'alg none': bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: 'dibao', iat: now() })}.`),
  'wrong issuer': bearer(createSigner({ key: SECRET, iss: 'elsewhere' })(claims)),
};
