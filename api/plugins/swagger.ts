import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

// The OpenAPI document is generated from the routes' zod schemas; shared schemas registered with
// `.meta({ id })` appear once under components and as $refs. UI at /docs, JSON at /docs/json.
export const swaggerPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Dibao case orchestration API',
        description:
          'Minimum living guarantee (低保) and related social assistance: applications, cases in benefit, ' +
          'integrations, supervision. Errors are RFC 9457 application/problem+json. Rule ids (R-xx) refer to DOMAIN.md.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
});
