import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type IdKeys, keyedDigest } from '../../domain/keyed-id';
import { badRequest, ProblemError } from '../problem';
import { openAnswer, sealAnswer } from '../sealed-answer';

// API.md: every write accepts an Idempotency-Key; repeating a request with the same key returns the
// first answer and changes nothing. Keys are per caller (sub). A key reused for a different request
// is refused (422). The key also names the request in Temporal (`req.idempotency.token`: the
// receipt's workflow id, a step's Update id), so a retry after any failure — even one whose answer
// was lost after Temporal applied it — gets the first result from Temporal itself. The table only
// replays decided answers and never blocks a retry past IDEMPOTENCY_TIMEOUT.

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for write routes; the route's roles are checked before it, in onRequest (it needs the caller). */
    idempotency(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    idempotency?: { caller: string; key: string; token: string };
  }
}

const KEY = /^[\w.:-]{1,200}$/;

// Answers that change nothing and may differ on a retry are not kept: the caller was not allowed
// (401/403), the record was not found (404), a conflict of the moment (409: wrong stage, in
// progress), throttled (429), or no answer at all (5xx).
const KEPT = (status: number) => status < 500 && ![401, 403, 404, 408, 409, 429].includes(status);

async function requestHash(req: FastifyRequest): Promise<string> {
  const head = `${req.method} ${req.url}\n`;
  if (!Buffer.isBuffer(req.body))
    return createHash('sha256')
      .update(head)
      .update(JSON.stringify(req.body ?? null))
      .digest('hex');
  // An uploaded file (a caseload import, up to 128 MiB) is hashed as its bytes, on libuv's thread
  // pool (WebCrypto), not on the event loop; the same digest as the line above would give.
  const digest = await crypto.subtle.digest('SHA-256', Buffer.concat([Buffer.from(head), req.body]));
  return Buffer.from(digest).toString('hex');
}

export const idempotencyPlugin = fp(
  async (app: FastifyInstance, opts: { timeoutMs: number; idKeys: IdKeys }) => {
    const repo = () => app.repos.idempotency;

    app.decorate('idempotency', async (req: FastifyRequest, reply: FastifyReply) => {
      const raw = req.headers['idempotency-key'];
      if (raw === undefined) return;
      const key = Array.isArray(raw) ? raw[0] : raw;
      if (!key || !KEY.test(key)) {
        throw badRequest('Idempotency-Key must be 1–200 characters of letters, digits, . : _ -', [
          { path: 'headers.idempotency-key', message: 'invalid format' },
        ]);
      }
      const caller = req.user?.sub ?? 'anonymous';
      const claim = await repo().claim({
        caller,
        key,
        method: req.method,
        path: req.url,
        hash: await requestHash(req),
        timeoutMs: opts.timeoutMs,
      });
      switch (claim.kind) {
        case 'claimed': {
          // R-O7: keyed — a caller may well use an ID number as its key, and the token is seen in
          // workflow and Update ids.
          const { hex: token } = keyedDigest(opts.idKeys, 'request', caller, key);
          req.idempotency = { caller, key, token };
          return;
        }
        case 'reused':
          throw new ProblemError(
            422,
            'idempotency-key-reused',
            'Idempotency key reused',
            'This Idempotency-Key was used for a different request',
          );
        case 'in_progress':
          throw new ProblemError(
            409,
            'idempotency-in-progress',
            'Conflict',
            'The first request with this key is still running; retry after the given time',
            {},
            { 'retry-after': String(claim.retryAfterSeconds) },
          );
        case 'answered': {
          const type = claim.statusCode >= 400 ? 'application/problem+json' : 'application/json';
          reply.header('idempotent-replayed', 'true');
          const response = openAnswer(app.config, caller, key, claim.response);
          return reply.code(claim.statusCode).type(type).serializer(JSON.stringify).send(response);
        }
      }
    });

    app.addHook('onSend', async (req, reply, payload) => {
      const idem = req.idempotency;
      if (!idem || reply.getHeader('idempotent-replayed')) return payload;
      try {
        if (!KEPT(reply.statusCode)) {
          await repo().release(idem.caller, idem.key);
          return payload;
        }
        let body: unknown = null;
        if (typeof payload === 'string' && payload.length > 0) {
          try {
            body = JSON.parse(payload);
          } catch {
            body = payload;
          }
        }
        // R-O7: kept sealed (api/sealed-answer.ts), and purged after RETENTION_DAYS.
        const sealed = sealAnswer(app.config, idem.caller, idem.key, body);
        await repo().answer(idem.caller, idem.key, reply.statusCode, sealed);
      } catch (err) {
        // Postgres went away after the request was decided: the key stays claimed until its timeout,
        // then the retry runs again and Temporal answers it with the first result.
        req.log.warn({ err }, 'idempotency answer not stored');
      }
      return payload;
    });
  },
);
