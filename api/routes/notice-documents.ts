import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FontMissingError, noticePdf } from '../../documents/notice-pdf';
import { noticeText } from '../../documents/notice-text';
import { divisionName, fullRegionName, regionPath } from '../../documents/region-names';
import { assertRecordReach } from '../plugins/auth';
import { notFound, problemResponses, unavailable } from '../problem';

// API.md "Documents and onboarding": the printable written notice (R-A7, R-M9), for the staff who
// hand it over; reach as GET /v1/notices/{id} (out of region answers like an unknown id, R-O7).
export const noticeDocumentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/notices/:id.pdf',
    {
      config: { roles: ['township_staff', 'county_staff', 'supervisor'] },
      schema: {
        tags: ['notices'],
        summary: 'The written notice as a printable A4 PDF in Chinese (R-A7, R-M9)',
        description:
          'Issued by the county civil-affairs bureau: the household (ID number masked), the decision, ' +
          'its reasons, the rule, the amounts and months concerned, the date and the route of appeal.',
        params: z.object({ id: z.string().min(1).max(200) }),
        response: {
          200: {
            description: 'The notice, application/pdf',
            content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } },
          },
          ...problemResponses,
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const notice = await app.repos.notices.byId(id);
      if (!notice) throw notFound(`no notice ${id}`);
      assertRecordReach(req.user, notice.villageCode, `no notice ${id}`);
      const facts =
        notice.subjectKind === 'case'
          ? await app.repos.noticeDocuments.caseFacts(
              notice.subjectId,
              notice.addressee,
              notice.decidedOn,
              notice.reasons,
            )
          : await app.repos.noticeDocuments.applicationFacts(notice.subjectId, notice.addressee);
      const county = notice.villageCode.slice(0, 6);
      const place = {
        // The bureau is named by its city and county (运城市盐湖区民政局), the province left out.
        county:
          (await regionPath(county))
            .slice(1)
            .map((p) => p.name)
            .join('') || county,
        countyShort: divisionName(county) ?? county,
        village: await fullRegionName(notice.villageCode),
      };
      try {
        const pdf = await noticePdf(
          noticeText(notice, facts, place),
          app.config.NOTICE_FONT_DIR,
          new Date(notice.issuedAt),
        );
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="notice-${encodeURIComponent(id)}.pdf"`)
          .send(pdf as unknown as string); // bytes: the typed reply knows only the schema's string
      } catch (err) {
        if (err instanceof FontMissingError) throw unavailable(err.message, 3600);
        throw err;
      }
    },
  );
};
