import { Client, Connection } from '@temporalio/client';
import Fastify, { LogController } from 'fastify';
import { dataConverter } from '../codec/payload-codec';
import { loadConfigOrExit } from '../config/env';
import { createPool } from '../db/pool';
import { app } from './app';

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

const server = Fastify({
  logger: { level: config.LOG_LEVEL },
  // Per-request lines only when debugging; probes (/health, /ready) never.
  logController: new LogController({
    disableRequestLogging: (req) =>
      (config.LOG_LEVEL !== 'debug' && config.LOG_LEVEL !== 'trace') ||
      req.url === '/health' ||
      req.url === '/ready',
  }),
  bodyLimit: 5 * 1024 * 1024,
});
const pool = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, (obj, msg) =>
  server.log.warn(obj, msg),
);
await server.register(app, { config, pool, temporal });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'closing');
    await server.close();
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
