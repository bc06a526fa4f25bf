import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ReadSubject } from '../../db/repositories/audit';

// R-O7: every read of a person's record by staff is itself audited — who, which record, when. A
// route that shows one record declares `config.auditRead`; a 200 answer of it appends one
// `audit_events` row (action `read`) before the answer leaves, so a read that cannot be recorded
// is not answered (500). Refusals (401/403) and records out of reach (404) show nothing: no row.

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The record the route shows, by its `:id` parameter, and what of it (`case`, `payments`…). */
    auditRead?: { subject: ReadSubject; what: string };
  }
}

export const readAuditPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    const a = req.routeOptions.config?.auditRead;
    const id = (req.params as { id?: unknown } | undefined)?.id;
    if (!a || reply.statusCode !== 200 || !req.user || typeof id !== 'string') return payload;
    await app.repos.audit.recordRead({
      actorSub: req.user.sub,
      actorRole: req.user.role,
      subjectKind: a.subject,
      subjectId: id,
      what: a.what,
    });
    return payload;
  });
});
