import type { Payload } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldKinds } from '../../codec/field-kinds';
import { PayloadCodecError, payloadCodec } from '../../codec/payload-codec';
import { coversPayload, type PayloadScope, recordOfWorkflowId } from '../../codec/payload-scope';
import type { CodecAccess } from '../../db/repositories/audit';
import { authorize } from '../plugins/auth';
import { badRequest, forbidden, problemResponses } from '../problem';
import { codecSessionRoutes, cookieToken } from './codec-session';

// R-O7: Temporal's remote codec protocol, so the Temporal UI shows clear payloads to supervisors
// and administrators only — each payload only to a caller whose region covers the county it was
// sealed with (codec/payload-scope.ts; a payload of before regions only to a province-level caller),
// anything else 403 — and every decode, or refusal, is audited per workflow with the kinds of
// fields it held. Encoding is for administrators. The UI calls `<endpoint>/decode` from the
// browser: cross-origin from TEMPORAL_UI_URL, with `X-Namespace` and (if configured) `Authorization`.

const base64 = z
  .string()
  .max(4_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const jsonPayload = z.object({
  metadata: z.record(z.string().max(200), base64).optional(),
  data: base64.optional(),
});
const codecBody = z.object({ payloads: z.array(jsonPayload).max(10_000) }).meta({ id: 'CodecPayloads' });
type JsonPayload = z.infer<typeof jsonPayload>;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

export const codecRoutes: FastifyPluginAsyncZod = async (app) => {
  const codec = payloadCodec(app.config);
  const uiOrigin = new URL(app.config.TEMPORAL_UI_URL).origin;

  // CORS for the UI's origin only, on every answer (a 401/403 must be readable by the UI too).
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // The UI sends the session cookie (codec-session.ts), never a pasted token: same guard after this.
    const fromCookie = cookieToken(req.headers.cookie);
    if (!req.headers.authorization && fromCookie) req.headers.authorization = `Bearer ${fromCookie}`;
    if (req.headers.origin !== uiOrigin) return;
    reply.header('Access-Control-Allow-Origin', uiOrigin);
    reply.header('Access-Control-Allow-Credentials', 'true');
    reply.header('Vary', 'Origin');
  });
  for (const op of ['encode', 'decode']) {
    app.options(`/${op}`, { schema: { hide: true } }, async (req, reply) => {
      if (req.headers.origin === uiOrigin) {
        reply.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
        reply.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        reply.header('Access-Control-Max-Age', '600');
      }
      return reply.code(204).send();
    });
  }

  await app.register(codecSessionRoutes);

  // After the cookie hook above: the same guard as every route, on the token found there.
  const guard = (req: FastifyRequest) => authorize(req, ['supervisor', 'admin']);
  const adminOnly = (req: FastifyRequest) => authorize(req, ['admin']);

  const run = async <T>(fn: () => Promise<T> | T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PayloadCodecError) throw badRequest(err.message);
      throw err;
    }
  };

  /** The decoded payloads grouped by the workflow they were sealed for (clear ones apart). */
  const byWorkflow = (opened: { payload: Payload; scope: PayloadScope; encrypted: boolean }[]) => {
    const groups = new Map<string, { scope: PayloadScope; payloads: Payload[] }>();
    for (const o of opened.filter((x) => x.encrypted)) {
      const key = `${o.scope.workflowId ?? ''}\u0000${o.scope.region ?? ''}`;
      const g = groups.get(key) ?? { scope: o.scope, payloads: [] };
      g.payloads.push(o.payload);
      groups.set(key, g);
    }
    return [...groups.values()].map(
      ({ scope, payloads }): CodecAccess => ({
        subject: scope.workflowId ? recordOfWorkflowId(scope.workflowId) : undefined,
        workflowId: scope.workflowId,
        region: scope.region,
        payloadCount: payloads.length,
        fieldKinds: fieldKinds(payloads),
      }),
    );
  };
  const schema = (what: string) => ({
    tags: ['codec'],
    description: `Temporal remote codec: ${what} (supervisor, admin).`,
    headers: z.looseObject({ 'x-namespace': z.string().max(200).optional() }),
    body: codecBody,
    response: { 200: codecBody, ...problemResponses },
  });

  app.post(
    '/encode',
    {
      onRequest: [adminOnly],
      schema: {
        ...schema('encrypts payloads'),
        description: 'Temporal remote codec: encrypts payloads (admin).',
      },
    },
    async (req) => ({
      payloads: (await run(() => codec.encode(req.body.payloads.map(fromJson)))).map(toJson),
    }),
  );

  app.post(
    '/decode',
    {
      onRequest: [guard],
      schema: schema('decrypts payloads; every call is audited (R-O7)'),
    },
    async (req) => {
      const opened = await run(() => req.body.payloads.map((p) => codec.openScoped(fromJson(p))));
      const accesses = byWorkflow(opened);
      const allowed = accesses.every((a) => coversPayload(req.user.region, a.region));
      await app.repos.audit.recordCodecAccess({
        actorSub: req.user.sub,
        actorRole: req.user.role,
        actorRegion: req.user.region,
        // The Temporal CLI sends X-Namespace empty when no namespace was given.
        namespace: req.headers['x-namespace'] || app.config.TEMPORAL_NAMESPACE,
        outcome: allowed ? 'decoded' : 'refused',
        // A request of clear payloads only is still an access: one event naming the namespace.
        accesses: accesses.length ? accesses : [{ payloadCount: opened.length, fieldKinds: [] }],
      });
      // R-O7: nothing is answered unless every payload is the caller's region's (403 names no region).
      if (!allowed) throw forbidden("the caller's region does not reach these payloads");
      return { payloads: opened.map((o) => toJson(o.payload)) };
    },
  );
};
