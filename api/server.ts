import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import { collectDefaultMetrics } from 'prom-client';
import { dataConverter } from '../codec/payload-codec';
import { loadConfigOrExit } from '../config/env';
import { createPool } from '../db/pool';
import { startMetricsServer } from '../metrics/http-server';
import { app } from './app';
import { serverOptions } from './server-options';

// Process entry: configuration, connections, listen, graceful close on SIGINT/SIGTERM.
const config = loadConfigOrExit();
// Lazy: the API starts (and /ready says 503) while Temporal is still coming up.
const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
// R-O7: what the API sends to Temporal (household, incomes, steps) is encrypted by the codec.
const temporal = new Client({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  dataConverter: dataConverter(config),
});

const server = Fastify(serverOptions(config));
const pool = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, (obj, msg) =>
  server.log.warn(obj, msg),
);
await server.register(app, { config, pool, temporal });
collectDefaultMetrics({ register: server.metrics });
// GET /metrics on a port of its own, without a token (README "Metrics"); off when 0.
const metrics = config.API_METRICS_PORT
  ? await startMetricsServer({
      host: config.METRICS_HOST,
      port: config.API_METRICS_PORT,
      render: async () => ({ contentType: server.metrics.contentType, body: await server.metrics.metrics() }),
    })
  : undefined;

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'closing');
    await server.close();
    await metrics?.close();
    await pool.end();
    await connection.close();
    process.exit(0);
  });
}

try {
  await server.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
} catch (err) {
  server.log.error(err, 'could not listen');
  process.exit(1);
}
