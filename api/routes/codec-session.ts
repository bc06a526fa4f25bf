import type { FastifyPluginAsync } from 'fastify';
import { authorize } from '../plugins/auth';

// R-O7: the Temporal UI cannot send a pasted bearer token to the codec server: it passes only the
// access token of its own OIDC login (none on the dev server) or, with "Include cross-origin
// credentials", the browser's cookies. So a supervisor or admin stores the same JWT once in an
// HttpOnly cookie scoped to /codec; the codec routes read it as if it were the Authorization header,
// and the guard (signature, issuer, expiry, role) is the API's. SameSite=Strict: only pages of the
// same site (the UI on the same host) send it, and CORS lets only TEMPORAL_UI_URL read answers.
// Secure whenever the API is reached over https (directly, or through a proxy of TRUST_PROXY).

export const CODEC_COOKIE = 'dibao_codec';

const FORM = `<!doctype html><meta charset="utf-8"><title>Codec session</title>
<form method="post" action="/codec/session">
<p>Token (supervisor or admin, from <code>npm run token -- supervisor &lt;region&gt;</code>):</p>
<textarea name="token" rows="4" cols="80"></textarea><p><button>Use in the Temporal UI</button></p>
</form>`;

/** The cookie's token, for a request that has no Authorization header. */
export function cookieToken(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === CODEC_COOKIE && v.length) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export const codecSessionRoutes: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16_384 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.get('/session', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html').send(FORM));
  app.post('/session', { schema: { hide: true } }, async (req, reply) => {
    const token = String((req.body as { token?: unknown } | undefined)?.token ?? '').trim();
    // The API's own guard (signature or identity provider's key, issuer, lifetime, role) on that token.
    req.headers.authorization = `Bearer ${token}`;
    await authorize(req, ['supervisor', 'admin']);
    // Verified above: its payload's `exp` (required by the guard) bounds the cookie.
    const { exp = 0 } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      exp?: number;
    };
    const maxAge = Math.max(0, exp - Math.floor(Date.now() / 1000));
    const secure = req.protocol === 'https' ? '; Secure' : '';
    reply.header(
      'Set-Cookie',
      `${CODEC_COOKIE}=${encodeURIComponent(token)}; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
    );
    return reply
      .type('text/html')
      .send(
        '<!doctype html><meta charset="utf-8"><p>Saved. In the Temporal UI\'s codec settings, tick ' +
          '"Include cross-origin credentials".</p>',
      );
  });
};
