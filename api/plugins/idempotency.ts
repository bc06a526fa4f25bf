import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { badRequest, ProblemError } from '../problem';

// API.md: every write accepts an Idempotency-Key; repeating a request with the same key returns the
// first answer and changes nothing. Keys are per caller (sub). A key reused for a different request
// is refused (422); a key whose first request is still running answers 409.

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for write routes; place it after requireRole (it needs the caller). */
    idempotency(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    idempotencyKey?: { caller: string; key: string };
  }
}

const KEY = /^[\w.:-]{1,200}$/;

function requestHash(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}

export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { pool: pg.Pool }) => {
  const { pool } = opts;

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
    const hash = requestHash(req);
    const inserted = await pool.query(
      `INSERT INTO idempotency_keys (caller, key, method, path, request_hash)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [caller, key, req.method, req.url, hash],
    );
    if (inserted.rowCount === 1) {
      req.idempotencyKey = { caller, key };
      return;
    }
    const { rows } = await pool.query(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE caller = $1 AND key = $2',
      [caller, key],
    );
    const first = rows[0];
    if (!first) throw new ProblemError(409, 'idempotency-in-progress', 'Conflict', 'Retry the request');
    if (first.request_hash !== hash) {
      throw new ProblemError(
        422,
        'idempotency-key-reused',
        'Idempotency key reused',
        'This Idempotency-Key was used for a different request',
      );
    }
    if (first.status_code === null) {
      throw new ProblemError(
        409,
        'idempotency-in-progress',
        'Conflict',
        'The first request with this key is still running',
      );
    }
    const type = first.status_code >= 400 ? 'application/problem+json' : 'application/json';
    reply.header('idempotent-replayed', 'true');
    return reply.code(first.status_code).type(type).serializer(JSON.stringify).send(first.response);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotencyKey;
    if (!idem) return payload;
    if (reply.statusCode >= 500) {
      // A server failure is not an answer: free the key so the client may retry.
      await pool.query('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2', [
        idem.caller,
        idem.key,
      ]);
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
    await pool.query(
      `UPDATE idempotency_keys SET status_code = $3, response = $4, completed_at = now()
       WHERE caller = $1 AND key = $2`,
      [idem.caller, idem.key, reply.statusCode, JSON.stringify(body)],
    );
    return payload;
  });
});
