import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { type Config, idKeysOf } from '../config/env';
import { createRepositories, type Repositories } from '../db/repositories';
import type { IdKeys } from '../domain/keyed-id';
import { httpMetricsPlugin } from '../metrics/api';
import { authPlugin } from './plugins/auth';
import { errorsPlugin } from './plugins/errors';
import { idempotencyPlugin } from './plugins/idempotency';
import { limitsPlugin } from './plugins/limits';
import { readAuditPlugin } from './plugins/read-audit';
import { swaggerPlugin } from './plugins/swagger';
import { codecRoutes } from './routes/codec';
import { dashboardRoutes } from './routes/dashboard';
import { healthRoutes } from './routes/health';
import { v1Routes } from './routes/v1';
import { noQueryUnlessDeclared, strictQueryCompiler } from './strict-query';
import { temporalCall, updateProblem } from './temporal-call';

export interface AppDeps {
  config: Config;
  pool: pg.Pool;
  temporal: Client;
}

declare module 'fastify' {
  interface FastifyInstance {
    pg: pg.Pool;
    temporal: Client;
    config: Config;
    /** R-O7: the keys of ids derived from a person or a caller's key (domain/keyed-id.ts). */
    idKeys: IdKeys;
    repos: Repositories;
    /** The API's metrics (GET /metrics on API_METRICS_PORT, metrics/http-server.ts). */
    metrics: Registry;
    /** A Temporal call with the API's deadline (TEMPORAL_CALL_TIMEOUT): 503 past it. */
    temporalCall<T>(fn: () => Promise<T>, ms?: number): Promise<T>;
    /**
     * A staff step's Update within the API's deadline: the Update id comes from the request's
     * Idempotency-Key (a retry is the same Update), refusals map to 409/403/404/422.
     */
    runUpdate<T>(
      req: FastifyRequest,
      id: string,
      stage: string,
      fn: (updateId: string | undefined) => Promise<T>,
    ): Promise<T>;
  }
}

// The whole API as one plugin: server.ts starts it, tests register it on a fresh Fastify.
export const app = fp(
  async (f: FastifyInstance, deps: AppDeps) => {
    f.setValidatorCompiler(strictQueryCompiler);
    f.addHook('onRoute', noQueryUnlessDeclared);
    f.setSerializerCompiler(serializerCompiler);
    f.decorate('pg', deps.pool);
    f.decorate('temporal', deps.temporal);
    f.decorate('config', deps.config);
    f.decorate('idKeys', idKeysOf(deps.config));
    f.decorate('repos', createRepositories(deps.pool));
    f.decorate('temporalCall', <T>(fn: () => Promise<T>, ms = deps.config.TEMPORAL_CALL_TIMEOUT) =>
      temporalCall(deps.temporal, ms, fn),
    );
    f.decorate(
      'runUpdate',
      async <T>(req: FastifyRequest, id: string, stage: string, fn: (updateId?: string) => Promise<T>) => {
        const updateId = req.idempotency ? `step:${req.idempotency.token}` : undefined;
        try {
          return await temporalCall(deps.temporal, deps.config.TEMPORAL_CALL_TIMEOUT, () => fn(updateId));
        } catch (err) {
          throw updateProblem(err, id, stage);
        }
      },
    );

    f.decorate('metrics', new Registry());
    await f.register(httpMetricsPlugin, { registry: f.metrics });
    await f.register(errorsPlugin);
    await f.register(swaggerPlugin);
    // Order matters: the body limit (413) before the guard (401/403, onRequest), the guard before
    // the body is parsed and validated, the rate limit per caller once the caller is known.
    await f.register(limitsPlugin, {
      rateLimitMax: deps.config.RATE_LIMIT_MAX,
      rateLimitWindowMs: deps.config.RATE_LIMIT_WINDOW,
    });
    await f.register(authPlugin, {
      secret: deps.config.JWT_SECRET,
      jwksUrl: deps.config.JWT_JWKS_URL,
      issuer: deps.config.JWT_ISSUER,
      audience: deps.config.JWT_AUDIENCE,
      maxLifetimeMs: deps.config.JWT_MAX_LIFETIME,
      clockSkewMs: deps.config.JWT_CLOCK_SKEW,
    });
    await f.register(idempotencyPlugin, {
      timeoutMs: deps.config.IDEMPOTENCY_TIMEOUT,
      idKeys: idKeysOf(deps.config),
    });

    await f.register(readAuditPlugin);
    await f.register(healthRoutes);
    await f.register(v1Routes, { prefix: '/v1' });
    await f.register(codecRoutes, { prefix: '/codec' });
    await f.register(dashboardRoutes);
  },
  { name: 'dibao-api' },
);
