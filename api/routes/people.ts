import { hkdfSync, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { derivationSecretOf } from '../../config/env';
import { personDigest } from '../../domain/person-digest';
import { scopeOf } from '../list-scope';
import { problemResponses } from '../problem';
import { lookupBody, lookupSchema } from '../schemas/lists';

// API.md "Cases in benefit": POST /v1/people/lookup — everything the caller's region holds on one
// person, found by the ID number in the body (never in a URL, R-O7). Every look-up is audited in the
// read's own transaction: who, the person by keyed digest (never the ID number), the records by id.
export const peopleRoutes: FastifyPluginAsyncZod = async (app) => {
  const digestKey = app.config.PERSON_DIGEST_KEY
    ? Buffer.from(app.config.PERSON_DIGEST_KEY, 'utf8')
    : Buffer.from(hkdfSync('sha256', derivationSecretOf(app.config), 'dibao-person-digest', 'audit', 32));

  app.post(
    '/people/lookup',
    {
      config: { roles: ['township_staff', 'county_staff', 'supervisor'] },
      schema: {
        tags: ['cases'],
        summary: 'Everything the caller’s region holds on one person (an audited read, R-O7)',
        description:
          'Applications naming the person, the cases that held them (closed ones too), register entries, ' +
          'their applications’ temporary grants and the complaints about those applications and cases — ' +
          'within the caller’s region. The read is recorded in the audit trail (`person_lookup`: the ' +
          'reader, a keyed digest of the person, the record ids).',
        body: lookupBody,
        response: { 200: lookupSchema, ...problemResponses },
      },
    },
    async (req) => {
      const { region, scope } = scopeOf(req.user, {});
      const idNumber = req.body.idNumber.toUpperCase();
      const found = await app.repos.personLookup.lookup({
        idNumber,
        digest: personDigest(digestKey, idNumber),
        scope,
        reader: req.user,
        requestId: randomUUID(),
      });
      return { region, ...found };
    },
  );
};
