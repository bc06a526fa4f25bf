import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isTransientDbError } from '../../db/pool';
import { badRequest, ProblemError, unavailable } from '../problem';
import { isTransientTemporalError } from '../temporal-call';

// One error handler for the whole API: every failure leaves as application/problem+json.
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let problem: ProblemError;
    if (err instanceof ProblemError) {
      problem = err;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v) => ({
        path: [err.validationContext, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
        message: v.message ?? 'invalid',
      }));
      problem = new ProblemError(
        400,
        'validation',
        'Invalid request',
        'The request does not match the schema',
        {
          errors,
        },
      );
    } else if (isResponseSerializationError(err)) {
      // A response that breaks its own schema is our bug; the details go to the log, not the caller.
      req.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      problem = new ProblemError(500, 'internal', 'Internal Server Error');
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      problem = new ProblemError(
        415 === err.statusCode ? 415 : 400,
        'validation',
        'Invalid request',
        err.message,
      );
    } else if (err instanceof z.ZodError) {
      // A domain schema refused a value the route passed on: the caller's input, not our failure.
      problem = badRequest(
        'the request does not satisfy the rules',
        err.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
      );
    } else if (err instanceof RangeError) {
      // The domain refuses a value out of its range (dates, money): a 400, never a 500. The message
      // may quote the value, so it goes to the log only (R-O7).
      req.log.warn({ err }, 'domain refused a value');
      problem = badRequest('a value is out of the range the rules accept');
    } else if (isTransientDbError(err)) {
      req.log.warn({ err }, 'Postgres unavailable');
      problem = unavailable('The database is unavailable; retry with the same Idempotency-Key');
    } else if (isTransientTemporalError(err)) {
      req.log.warn({ err }, 'Temporal unavailable');
      problem = unavailable('The workflow service is unavailable; retry with the same Idempotency-Key');
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (bad JSON, body too large, …): their message is safe to show.
      problem = new ProblemError(err.statusCode, 'client-error', 'Bad request', err.message);
    } else {
      req.log.error({ err }, 'unhandled error');
      problem = new ProblemError(500, 'internal', 'Internal Server Error');
    }
    return reply
      .code(problem.status)
      .headers(problem.headers)
      .type('application/problem+json')
      .send(problem.toProblem(req.routeOptions.url));
  });

  app.setNotFoundHandler((req, reply) => {
    // The path is not echoed: it may carry an ID number or a code the caller mistyped (R-O7).
    const p = new ProblemError(404, 'not-found', 'Not found', `No such route for ${req.method}`);
    return reply.code(404).type('application/problem+json').send(p.toProblem());
  });
});
