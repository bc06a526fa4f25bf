import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Histogram, type Registry } from 'prom-client';

// HTTP latency per route and status on the API's metrics registry. The route label is the route's
// pattern (`/v1/applications/:id/investigation`), never the path a caller sent: no id, no person
// (R-O7), and a bounded number of series; requests that match no route count as `unmatched`.

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const httpMetricsPlugin = fp(
  async (app: FastifyInstance, opts: { registry: Registry }) => {
    const duration = new Histogram({
      name: 'dibao_http_request_duration_seconds',
      help: 'API requests: time from request to response, per method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [opts.registry],
    });
    app.addHook('onResponse', async (req, reply) => {
      duration.observe(
        {
          method: METHODS.has(req.method) ? req.method : 'OTHER',
          route: req.routeOptions.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'dibao-http-metrics' },
);
