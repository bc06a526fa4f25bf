import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { isRegionCode, reaches } from '../../domain/region';
import { ROLES, type Role } from '../../domain/roles';
import { forbidden, unauthorized } from '../problem';

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
    /** preHandler: a valid token whose role is one of `roles` (401 / 403 otherwise). */
    requireRole(...roles: Role[]): (req: FastifyRequest) => Promise<void>;
  }
}

export const authPlugin = fp(async (app: FastifyInstance, opts: { secret: string; issuer: string }) => {
  await app.register(fastifyJwt, {
    secret: opts.secret,
    sign: { iss: opts.issuer, algorithm: 'HS256' },
    verify: { allowedIss: opts.issuer, algorithms: ['HS256'] },
  });

  app.decorate('requireRole', (...roles: Role[]) => async (req: FastifyRequest) => {
    try {
      await req.jwtVerify();
    } catch (err) {
      throw unauthorized((err as Error).message);
    }
    const parsed = claimsSchema.safeParse(req.user);
    if (!parsed.success) throw unauthorized('token claims must include sub, role and region');
    req.user = parsed.data;
    if (!roles.includes(parsed.data.role)) {
      throw forbidden(`role ${parsed.data.role} may not call ${req.method} ${req.routeOptions.url}`);
    }
  });
});

/** A caller reaches only cases whose village code starts with its region (API.md). */
/** API.md "Identity and reach", for a whole county: the caller's region is the county or contains it. */
export function assertCoversCounty(caller: Caller, countyCode: string): void {
  if (!isRegionCode(caller.region) || !countyCode.startsWith(caller.region)) {
    throw forbidden(`region ${caller.region} does not reach county ${countyCode}`);
  }
}

export function assertReach(caller: Caller, villageCode: string): void {
  if (!reaches(caller.region, villageCode)) {
    throw forbidden(`region ${caller.region} does not reach ${villageCode}`);
  }
}
