import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { countyCodeSchema } from '../../domain/region-schema';
import { importWorkflowId } from '../../workflows/contracts';
import { admitImport, REPORT_LIMIT } from '../import-admission';
import { CSV_TYPE, type ImportFormat, XLSX_TYPE } from '../import-file';
import { INTERRUPTED_AFTER_S, interruptedProblem, validateLater } from '../import-later';
import { importThreads } from '../import-threads';
import { assertCoversCounty } from '../plugins/auth';
import { policyContext } from '../policy-context';
import { badRequest, notFound, problemResponses, problemSchema } from '../problem';

// API.md "Documents and onboarding": a county's caseload brought in from the provincial system.
// The file is read and every row validated before anything is written — in an import thread, off
// the event loop (api/import-threads.ts) — then admitted (api/import-admission.ts): the batch is
// stored (imports, import_households: no workflow owns them) and `import:<id>` starts one case
// workflow per household. Nothing is imported while a row is invalid, unless `validOnly=true`.
// `Prefer: respond-async` answers 202 at once; GET /v1/imports/{id} then shows the validation.

const FILE_LIMIT = 128 * 1024 * 1024;

const rowProblem = z.object({
  row: z.number(),
  household: z.string(),
  field: z.string(),
  message: z.string(),
});
const query = z.object({
  countyCode: countyCodeSchema,
  validOnly: z.enum(['true', 'false']).optional().describe('Import the valid households and leave the rest'),
});
const accepted = z.object({
  importId: z.string(),
  workflowId: z.string(),
  rowsTotal: z.number(),
  rowsInvalid: z.number(),
  householdsTotal: z.number().describe('Households to import (the valid ones)'),
  householdsRefused: z.number(),
  report: z.array(rowProblem).describe('Rows refused by validation (the first 5000)'),
});
const acceptedAsync = z.object({
  importId: z.string(),
  workflowId: z.string(),
  status: z
    .literal('validating')
    .describe('Prefer: respond-async — GET /v1/imports/{id} follows the validation'),
});
const progress = z.object({
  importId: z.string(),
  countyCode: z.string(),
  status: z.enum(['running', 'completed']),
  householdsTotal: z.number(),
  done: z.number(),
  created: z.number(),
  alreadyPresent: z.number(),
  failed: z.number(),
  failures: z.array(
    z.object({ household: z.string(), rows: z.array(z.number()), caseId: z.string(), reason: z.string() }),
  ),
  rowsTotal: z.number(),
  rowsInvalid: z.number(),
  report: z.array(rowProblem),
  createdAt: z.string(),
});
const validating = z.object({
  importId: z.string(),
  countyCode: z.string(),
  status: z.literal('validating'),
  rowsTotal: z.number().nullable().describe('Member rows in the file, once it is read'),
  rowsChecked: z.number(),
  createdAt: z.string(),
});
const refused = z.object({
  importId: z.string(),
  countyCode: z.string(),
  status: z.literal('refused'),
  problem: problemSchema.describe(
    'What the upload would have answered without respond-async (400, 422, 503)',
  ),
  createdAt: z.string(),
});

/** RFC 7240: `Prefer: respond-async` among the request's preferences. */
const prefersAsync = (prefer: string | string[] | undefined) =>
  [prefer ?? []]
    .flat()
    .flatMap((p) => p.split(','))
    .some((p) => p.split(';')[0]!.trim().toLowerCase() === 'respond-async');

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  const threads = importThreads({
    threads: app.config.IMPORT_THREADS,
    queue: app.config.IMPORT_QUEUE,
    activeHolders: (ids) => app.repos.enrolments.activeHolders(ids),
    idKeys: app.idKeys,
  });
  const later = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await threads.close();
    await Promise.all(later);
  });

  app.addContentTypeParser(
    [CSV_TYPE, XLSX_TYPE],
    { parseAs: 'buffer', bodyLimit: FILE_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/imports/cases',
    {
      bodyLimit: FILE_LIMIT,
      config: { roles: ['admin'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['imports'],
        summary: "Bring a county's caseload in from a CSV or XLSX file (one row per household member)",
        description:
          'Body: the file itself, Content-Type text/csv or the XLSX type. Every row is validated first; ' +
          'a file with an invalid row is refused whole (422, a report per row) unless validOnly=true. ' +
          'With `Prefer: respond-async` the answer is 202 at once (`status: validating`) and ' +
          'GET /v1/imports/{id} shows the rows checked, then the import or its refusal.',
        querystring: query,
        response: { 202: z.union([accepted, acceptedAsync]), ...problemResponses },
      },
    },
    async (req, reply) => {
      const { countyCode } = req.query;
      const validOnly = req.query.validOnly === 'true';
      assertCoversCounty(req.user, countyCode);
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const format: ImportFormat | undefined =
        type === CSV_TYPE ? 'csv' : type === XLSX_TYPE ? 'xlsx' : undefined;
      if (!format || !Buffer.isBuffer(req.body))
        throw badRequest('the body is the caseload file (text/csv or XLSX)', [
          { path: 'body', message: 'a file is required' },
        ]);
      const today = civilDateOf(new Date());
      const context = await policyContext(app, countyCode, today);
      const token = req.idempotency?.token ?? randomBytes(16).toString('hex');
      const importId = `C${countyCode}${today.replaceAll('-', '')}${token.slice(0, 12).toUpperCase()}`;
      const job = { file: req.body, format, countyCode, today, context };
      const admission = { importId, countyCode, format, validOnly, context, createdBy: req.user.sub };
      if (prefersAsync(req.headers.prefer)) {
        await app.repos.importValidations.begin({ importId, countyCode, createdBy: req.user.sub });
        const run = validateLater(app, threads, req.log, { ...admission, job }).finally(() =>
          later.delete(run),
        );
        later.add(run);
        return reply
          .code(202)
          .header('preference-applied', 'respond-async')
          .header('location', `/v1/imports/${importId}`)
          .send({ importId, workflowId: importWorkflowId(importId), status: 'validating' as const });
      }
      const admitted = await admitImport(app, { ...admission, checked: await threads.check(job) });
      req.log.info(
        { importId, households: admitted.householdsTotal, rowsInvalid: admitted.rowsInvalid },
        'caseload import started',
      );
      return reply.code(202).send(admitted);
    },
  );

  app.get(
    '/imports/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['imports'],
        summary:
          'A caseload import: households done / total, failures with reasons, the validation report ' +
          '(after `Prefer: respond-async`: the rows checked while it is validated, or its refusal)',
        params: z.object({ id: z.string().max(64) }),
        response: {
          200: z.union([progress, validating, refused]).meta({ id: 'CaseloadImport' }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const id = req.params.id;
      // Another region's import answers like an unknown id (R-O7).
      const reached = (county: string) => county.startsWith(req.user.region);
      const v = await app.repos.importValidations.find(id);
      if (v && v.status !== 'accepted') {
        if (!reached(v.countyCode)) throw notFound(`no import ${id}`);
        const base = { importId: v.importId, countyCode: v.countyCode, createdAt: v.createdAt };
        if (v.status === 'refused' || v.idleSeconds > INTERRUPTED_AFTER_S)
          return {
            ...base,
            status: 'refused' as const,
            problem: (v.problem ?? interruptedProblem()) as z.infer<typeof problemSchema>,
          };
        return { ...base, status: 'validating' as const, rowsTotal: v.rowsTotal, rowsChecked: v.rowsChecked };
      }
      const i = await app.repos.imports.find(id);
      if (!i || !reached(i.countyCode)) throw notFound(`no import ${id}`);
      const done = i.created + i.alreadyPresent + i.failed;
      return {
        importId: i.importId,
        countyCode: i.countyCode,
        status: done >= i.householdsTotal ? ('completed' as const) : ('running' as const),
        householdsTotal: i.householdsTotal,
        done,
        created: i.created,
        alreadyPresent: i.alreadyPresent,
        failed: i.failed,
        failures: i.failures,
        rowsTotal: i.rowsTotal,
        rowsInvalid: i.rowsInvalid,
        report: i.report.slice(0, REPORT_LIMIT),
        createdAt: i.createdAt,
      };
    },
  );
};
