import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { jsonTooDeep, MAX_JSON_DEPTH } from '../json-depth';
import { badRequest, ProblemError } from '../problem';

// What the internet and careless integrations send: a body larger than the route's limit is 413
// before the token is looked at (registered before the auth plugin, so its onRequest runs first);
// JSON nested deeper than any request of API.md is refused before it is parsed or hashed; each
// token (or address, without one) has a request budget; responses carry the usual security headers.

export interface LimitOptions {
  rateLimitMax: number;
  rateLimitWindowMs: number;
}

const tooLarge = (limit: number) =>
  new ProblemError(413, 'payload-too-large', 'Payload Too Large', `the body is over ${limit} bytes`);

export const limitsPlugin = fp(async (app: FastifyInstance, opts: LimitOptions) => {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const length = Number(req.headers['content-length'] ?? 0);
    const limit = req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1024 * 1024;
    if (length > limit) throw tooLarge(limit);
  });

  // The default JSON parser, with a depth bound first: a 20,000-deep body would overflow the
  // stack of whatever walks it next (validation, the idempotency hash).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonTooDeep(String(body))) {
      done(badRequest(`the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parseJson(req, String(body), done);
  });

  await app.register(helmet, { global: true });

  await app.register(rateLimit, {
    global: true,
    max: opts.rateLimitMax,
    timeWindow: opts.rateLimitWindowMs,
    // The guard (onRequest, app-wide) has run before this route-level hook: a caller is its token.
    keyGenerator: (req) => (req.user?.sub ? `sub:${req.user.sub}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) =>
      new ProblemError(
        429,
        'too-many-requests',
        'Too Many Requests',
        `more than ${ctx.max} requests in ${ctx.after}; retry later`,
        {},
        { 'retry-after': String(Math.max(1, Math.ceil(ctx.ttl / 1000))) },
      ),
  });
});
