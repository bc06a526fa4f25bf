import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { countyCodeSchema } from '../../domain/region-schema';
import { importWorkflowId } from '../../workflows/contracts';
import type { importWorkflow } from '../../workflows/import/workflow';
import { CSV_TYPE, type ImportFormat, readCaseloadFile, XLSX_TYPE } from '../import-file';
import { validateImport } from '../import-validation';
import { assertCoversCounty } from '../plugins/auth';
import { policyContext } from '../policy-context';
import { badRequest, notFound, ProblemError, problemResponses } from '../problem';

// API.md "Documents and onboarding": a county's caseload brought in from the provincial system.
// The file is read and every row validated before anything is written; the batch is stored in
// Postgres (imports, import_households: no workflow owns them) and `import:<id>` starts one case
// workflow per household. Nothing is imported while a row is invalid, unless `validOnly=true`.

const FILE_LIMIT = 128 * 1024 * 1024;
const REPORT_LIMIT = 5000;

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
const progress = z
  .object({
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
  })
  .meta({ id: 'CaseloadImport' });

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
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
          'a file with an invalid row is refused whole (422, a report per row) unless validOnly=true.',
        querystring: query,
        response: { 202: accepted, ...problemResponses },
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
      const cells = await readCaseloadFile(req.body, format);
      const today = civilDateOf(new Date());
      const context = await policyContext(app, countyCode, today);
      const v = await validateImport(app.repos, cells, {
        countyCode,
        today,
        context,
        idKeys: app.idKeys,
      });
      const rowsInvalid = new Set(v.problems.map((p) => p.row)).size;
      const report = v.problems.slice(0, REPORT_LIMIT);
      if ((v.problems.length > 0 && !validOnly) || v.valid.length === 0) {
        throw new ProblemError(
          422,
          'import-invalid',
          'Invalid rows',
          v.valid.length === 0
            ? 'no household is valid; nothing was imported'
            : `${rowsInvalid} of ${cells.length} rows are invalid; nothing was imported (validOnly=true imports the valid households)`,
          { rowsTotal: cells.length, rowsInvalid, rows: report },
        );
      }
      const token = req.idempotency?.token ?? randomBytes(16).toString('hex');
      const importId = `C${countyCode}${today.replaceAll('-', '')}${token.slice(0, 12).toUpperCase()}`;
      await app.repos.imports.create({
        importId,
        countyCode,
        format,
        validOnly,
        rowsTotal: cells.length,
        problems: v.problems,
        households: v.valid,
        context,
        createdBy: req.user.sub,
      });
      const workflowId = importWorkflowId(importId);
      try {
        await app.temporalCall(() =>
          app.temporal.workflow.start<typeof importWorkflow>('importWorkflow', {
            taskQueue: app.config.TEMPORAL_TASK_QUEUE,
            workflowId,
            args: [{ importId, countyCode, total: v.valid.length }],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      req.log.info({ importId, households: v.valid.length, rowsInvalid }, 'caseload import started');
      return reply.code(202).send({
        importId,
        workflowId,
        rowsTotal: cells.length,
        rowsInvalid,
        householdsTotal: v.valid.length,
        householdsRefused: v.households.length - v.valid.length,
        report,
      });
    },
  );

  app.get(
    '/imports/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['imports'],
        summary: 'A caseload import: households done / total, failures with reasons, the validation report',
        params: z.object({ id: z.string().max(64) }),
        response: { 200: progress, ...problemResponses },
      },
    },
    async (req) => {
      const i = await app.repos.imports.find(req.params.id);
      // Another region's import answers like an unknown id (R-O7).
      if (!i) throw notFound(`no import ${req.params.id}`);
      if (!i.countyCode.startsWith(req.user.region)) throw notFound(`no import ${req.params.id}`);
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
