import type { FastifyServerOptions } from 'fastify';
import { LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from '../config/env';
import { loggerOptions } from '../config/logging';
import { ProblemError } from './problem';

/** Path parameters longer than this answer 414 (API.md: ids and codes are far shorter). */
export const MAX_PARAM_LENGTH = 200;

/**
 * The Fastify server options of the API, shared by server.ts and the tests: the redacting logger
 * (R-O7), the body limit, the parameter limit, and the router's own errors as problem+json that
 * never echo the path.
 */
export function serverOptions(
  config: Config,
  log: { stream?: DestinationStream; enabled?: boolean } = {},
): FastifyServerOptions {
  const level = config.LOG_LEVEL;
  const logger =
    log.enabled === false
      ? false
      : log.stream
        ? { ...loggerOptions(level), stream: log.stream }
        : loggerOptions(level);
  return {
    logger,
    // Per-request lines only when debugging; probes (/health, /ready) never.
    logController: new LogController({
      disableRequestLogging: (req) =>
        (level !== 'debug' && level !== 'trace') || req.url === '/health' || req.url === '/ready',
    }),
    bodyLimit: config.BODY_LIMIT,
    // Behind a TLS-terminating proxy: its X-Forwarded-Proto makes `req.protocol` https (R-O7: the
    // codec session cookie is Secure then).
    // (A hop count is a number, which Fastify takes although its types do not say so.)
    trustProxy: config.TRUST_PROXY as string | boolean,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (err, _req, reply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const p = tooLong
        ? new ProblemError(
            414,
            'uri-too-long',
            'URI Too Long',
            `a path parameter is over ${MAX_PARAM_LENGTH} characters`,
          )
        : new ProblemError(400, 'validation', 'Invalid request', 'the path is not a valid URL');
      // The reply is untyped here (no route): send the serialised problem as it is.
      return reply
        .code(p.status as never)
        .type('application/problem+json')
        .send(JSON.stringify(p.toProblem()) as never);
    },
  };
}
