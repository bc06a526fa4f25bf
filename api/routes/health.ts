import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const readySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    postgres: z.object({ ok: z.boolean(), error: z.string().optional() }),
    temporal: z.object({ ok: z.boolean(), error: z.string().optional() }),
  }),
});

async function probe(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await fn();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0] };
  }
}

// /health: the process answers. /ready: Temporal and Postgres are reachable (503 otherwise).
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      config: { rateLimit: false }, // probes are never throttled
      schema: { tags: ['health'], security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { rateLimit: false },
      schema: { tags: ['health'], security: [], response: { 200: readySchema, 503: readySchema } },
    },
    async (_req, reply) => {
      const conn = app.temporal.connection;
      const [postgres, temporal] = await Promise.all([
        probe(() => app.repos.ping()),
        probe(() => conn.withDeadline(Date.now() + 3000, () => conn.workflowService.getSystemInfo({}))),
      ]);
      const ok = postgres.ok && temporal.ok;
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? 'ready' : 'not_ready', checks: { postgres, temporal } });
    },
  );
};
