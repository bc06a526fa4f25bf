import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { isRegionCode, reaches } from '../../domain/region';
import { ROLES, type Role } from '../../domain/roles';
import { JWKS_ALGORITHMS, jwksResolver } from '../jwks';
import { forbidden, notFound, unauthorized } from '../problem';

// API.md "Identity and reach": bearer JWT with `sub`, `role`, `region`.
export { ROLES, type Role } from '../../domain/roles';

export const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  region: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/),
});
export type Caller = z.infer<typeof claimsSchema>;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: Caller;
    user: Caller;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** R-O7: the token lifetime limits the guard holds every token to. */
    tokenLimits: { maxLifetimeMs: number; clockSkewMs: number };
  }
  interface FastifyContextConfig {
    /**
     * The roles that may call the route. Checked in `onRequest`, before the body is read, parsed or
     * validated: a bad token is 401 and a wrong role 403 whatever the body (API.md). A route
     * without `roles` is public (/health, /ready, /docs).
     */
    roles?: readonly Role[];
  }
}

export interface AuthOptions {
  /** HS256 shared secret: development and tests (config/env.ts refuses it in a deployment). */
  secret?: string;
  /** The identity provider's JWKS (RS256/ES256): a deployment. */
  jwksUrl?: string;
  issuer: string;
  audience?: string;
  /** Longest accepted lifetime (`exp` − `iat`), ms. */
  maxLifetimeMs: number;
  /** Leeway on `exp`, `nbf`, `iat`, ms. */
  clockSkewMs: number;
}

export const authPlugin = fp(async (app: FastifyInstance, opts: AuthOptions) => {
  const verify = {
    allowedIss: opts.issuer,
    ...(opts.audience ? { allowedAud: opts.audience } : {}),
    // R-O7: a token lives a bounded time — `exp` and `iat` required, the lifetime checked below.
    requiredClaims: ['exp', 'iat'],
    clockTolerance: opts.clockSkewMs,
    // @fastify/jwt takes maxAge and expiresIn in seconds, clockTolerance (fast-jwt's) in ms.
    maxAge: Math.ceil((opts.maxLifetimeMs + opts.clockSkewMs) / 1000),
  };
  app.decorate('tokenLimits', { maxLifetimeMs: opts.maxLifetimeMs, clockSkewMs: opts.clockSkewMs });
  if (opts.jwksUrl) {
    const keyOf = jwksResolver(opts.jwksUrl);
    await app.register(fastifyJwt, {
      secret: {
        public: (_req: FastifyRequest, token: unknown) =>
          keyOf((token as { header: { alg?: string; kid?: string } }).header),
      },
      decode: { complete: true },
      verify: { ...verify, algorithms: [...JWKS_ALGORITHMS] },
    });
  } else if (opts.secret) {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      // Development and tests sign their own tokens (scripts/token.ts, the tests' `as`): short-lived.
      sign: { iss: opts.issuer, algorithm: 'HS256', expiresIn: Math.min(3600, opts.maxLifetimeMs / 1000) },
      verify: { ...verify, algorithms: ['HS256'] },
    });
  } else {
    throw new Error('the API needs JWT_JWKS_URL (a deployment) or JWT_SECRET (development, tests)');
  }

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const roles = req.routeOptions.config?.roles;
    if (roles) await authorize(req, roles);
  });
});

/**
 * R-O7: what the verifier does not check itself — a lifetime (`exp` − `iat`) within the maximum and
 * an `iat` not in the future — else a reason (for the tests; the caller only learns "401").
 */
export function lifetimeProblem(
  claims: { iat?: unknown; exp?: unknown },
  nowMs: number,
  l: { maxLifetimeMs: number; clockSkewMs: number },
): string | undefined {
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number') return 'exp and iat are required';
  if (iat * 1000 > nowMs + l.clockSkewMs) return 'issued in the future';
  if ((exp - iat) * 1000 > l.maxLifetimeMs) return 'lifetime longer than allowed';
  return undefined;
}

/**
 * A valid token whose role is one of `roles` (401 / 403 otherwise). Routes declare `config.roles`
 * and the hook above calls it before the body is read; a route that first finds its token
 * elsewhere (the codec's session cookie) calls it from its own onRequest.
 */
export async function authorize(req: FastifyRequest, roles: readonly Role[]): Promise<void> {
  try {
    await req.jwtVerify();
  } catch {
    // The verifier's reason (expired, bad signature, issuer) is not the caller's business.
    throw unauthorized();
  }
  if (lifetimeProblem(req.user as object, Date.now(), req.server.tokenLimits)) throw unauthorized();
  const parsed = claimsSchema.safeParse(req.user);
  if (!parsed.success) throw unauthorized('token claims must include sub, role and region');
  req.user = parsed.data;
  if (!roles.includes(parsed.data.role)) {
    throw forbidden(`role ${parsed.data.role} may not call ${req.method} ${req.routeOptions.url}`);
  }
}

/** API.md "Identity and reach", for a whole county: the caller's region is the county or contains it. */
export function assertCoversCounty(caller: Caller, countyCode: string): void {
  if (!isRegionCode(caller.region) || !countyCode.startsWith(caller.region)) {
    throw forbidden("the caller's region does not reach this county");
  }
}

/** A village the caller names itself (a receipt, a visit report): out of reach is 403. */
export function assertReach(caller: Caller, villageCode: string): void {
  if (!reaches(caller.region, villageCode)) {
    throw forbidden("the caller's region does not reach this village");
  }
}

/**
 * A record found by id (application, case, notice): out of reach answers exactly like an unknown
 * id, so nothing confirms that another region's record exists (R-O7).
 */
export function assertRecordReach(caller: Caller, villageCode: string, notFoundDetail: string): void {
  if (!reaches(caller.region, villageCode)) throw notFound(notFoundDetail);
}

/** The national calendar (R-T2) is set by an administrator of a province or above. */
export const coversNation = (caller: Caller): boolean => caller.region.length <= 2;
