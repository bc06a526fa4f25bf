import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Config } from '../config/env';
import { createRepositories, type Repositories } from '../db/repositories';
import { authPlugin } from './plugins/auth';
import { errorsPlugin } from './plugins/errors';
import { idempotencyPlugin } from './plugins/idempotency';
import { swaggerPlugin } from './plugins/swagger';
import { healthRoutes } from './routes/health';
import { v1Routes } from './routes/v1';

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
    repos: Repositories;
  }
}

// The whole API as one plugin: server.ts starts it, tests register it on a fresh Fastify.
export const app = fp(
  async (f: FastifyInstance, deps: AppDeps) => {
    f.setValidatorCompiler(validatorCompiler);
    f.setSerializerCompiler(serializerCompiler);
    f.decorate('pg', deps.pool);
    f.decorate('temporal', deps.temporal);
    f.decorate('config', deps.config);
    f.decorate('repos', createRepositories(deps.pool));

    await f.register(errorsPlugin);
    await f.register(swaggerPlugin);
    await f.register(authPlugin, { secret: deps.config.JWT_SECRET, issuer: deps.config.JWT_ISSUER });
    await f.register(idempotencyPlugin, { pool: deps.pool });

    await f.register(healthRoutes);
    await f.register(v1Routes, { prefix: '/v1' });
  },
  { name: 'dibao-api' },
);
