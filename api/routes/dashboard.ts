import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

// The supervisor's page (API.md "Oversight", GET /dashboard; R-O3, R-A6): static HTML and JS from
// web/dashboard, no build step, and the chart library from the installed npm package (nothing
// from a CDN), so helmet's CSP (script-src 'self') holds. The page carries no data: it asks for
// the supervisor's token and reads /v1 with it, where every route checks the token and region.

const WEB = join(import.meta.dirname, '..', '..', 'web', 'dashboard');
// The package's main file lies in dist/, next to the UMD build the page loads.
const CHART_DIST = dirname(createRequire(import.meta.url).resolve('chart.js'));
const CHART_FILE = 'chart.umd.min.js';

export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: WEB, prefix: '/dashboard/', index: false, wildcard: false });
  await app.register(fastifyStatic, {
    root: CHART_DIST,
    prefix: '/dashboard/vendor/',
    decorateReply: false,
    wildcard: false,
    allowedPath: (path) => path === `/${CHART_FILE}`,
  });
  app.get('/dashboard', { schema: { hide: true } }, (_req, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html'),
  );
};
