import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertRecordReach } from '../plugins/auth';
import { notFound, problemResponses } from '../problem';

const noticeSchema = z
  .object({
    noticeId: z.string(),
    kind: z.string(),
    subjectKind: z.string(),
    subjectId: z.string(),
    villageCode: z.string(),
    addressee: z.string(),
    reasons: z.string(),
    decidedOn: z.string(),
    decidedBy: z.string(),
    dueOn: z.string().nullable(),
    parameterVersion: z.string().nullable(),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('what the notice concerns in figures (R-M10: demandId, amount, months)'),
    issuedAt: z.string(),
  })
  .meta({ id: 'Notice' });

// R-A7 / R-M9 / R-M10: a written notice (rejection, stop, reduction, repayment demand) with its reasons.
export const noticeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/notices/:id',
    {
      config: { roles: ['township_staff', 'county_staff', 'supervisor'] },
      schema: {
        tags: ['notices'],
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 200: noticeSchema, ...problemResponses },
      },
    },
    async (req) => {
      const notice = await app.repos.notices.byId(req.params.id);
      if (!notice) throw notFound(`no notice ${req.params.id}`);
      assertRecordReach(req.user, notice.villageCode, `no notice ${req.params.id}`);
      return notice;
    },
  );
};
