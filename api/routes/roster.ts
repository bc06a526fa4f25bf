import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { civilDateOf } from '../../domain/dates';
import { maskIdNumber } from '../../domain/idnumber';
import { checkRosterSubmission, type RosterSubmission } from '../../domain/roster-update';
import { CSV_TYPE, type ImportFormat, XLSX_TYPE } from '../import-file';
import { assertCoversCounty } from '../plugins/auth';
import { badRequest, conflict, problemResponses } from '../problem';
import { rosterFromFile } from '../roster-file';
import {
  rosterEntrySchema,
  rosterFileQuery,
  rosterListQuery,
  rosterRecorded,
  rosterSubmissionSchema,
} from '../schemas/roster';
import { regionWithin } from './oversight';
import { maskName } from './publicity';

// API.md "Close-relative roster" (R-O1): the county's assistance staff and village cadres with their
// close relatives, kept by county staff (the table's one writer; no workflow owns it) and read by
// the workflows' check at receipt, investigation, change of members and re-review. ID numbers
// travel in bodies only, and lists show them masked (R-O7).

const FILE_LIMIT = 16 * 1024 * 1024;
/** The format a body came in (the file parsers set it; JSON otherwise). */
const uploadFormat = new WeakMap<FastifyRequest, ImportFormat>();

export const rosterRoutes: FastifyPluginAsyncZod = async (app) => {
  const { roster } = app.repos;

  // A file body becomes the JSON submission before validation, so both are checked alike.
  app.addContentTypeParser(
    [CSV_TYPE, XLSX_TYPE],
    { parseAs: 'buffer', bodyLimit: FILE_LIMIT },
    async (req: FastifyRequest, body: Buffer | string) => {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const format: ImportFormat = type === CSV_TYPE ? 'csv' : 'xlsx';
      uploadFormat.set(req, format);
      return rosterFromFile(body as Buffer, format, req.query, req.user);
    },
  );

  app.get(
    '/oversight/roster',
    {
      config: { roles: ['county_staff', 'supervisor'] },
      schema: {
        tags: ['oversight'],
        summary: 'The close-relative roster of a county or of the region it serves in (R-O1)',
        description:
          'Each entry is one relation: the staff member or cadre, the relative (masked) and how related, ' +
          'in force from effectiveFrom until endedOn. Entries are ended, never deleted (R-O6): all=true ' +
          'lists the ended ones too. Page with `after` = the last entryId seen.',
        querystring: rosterListQuery,
        response: {
          200: z.object({
            region: z.string(),
            asOf: z.string().nullable(),
            items: z.array(rosterEntrySchema),
            next: z.number().nullable().describe('`after` for the next page; null on the last'),
          }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const region = regionWithin(req.user, q.region);
      const asOf = q.all === 'true' ? undefined : (q.asOf ?? civilDateOf(new Date()));
      const rows = await roster.list({ region, asOf, after: q.after, limit: q.limit });
      const items = rows.map((e) => ({
        entryId: e.entryId,
        countyCode: e.countyCode,
        staff: e.staff,
        relative: {
          idNumber: maskIdNumber(e.relative.idNumber),
          name: maskName(e.relative.name),
          relation: e.relative.relation,
        },
        effectiveFrom: e.effectiveFrom,
        endedOn: e.endedOn ?? null,
      }));
      const next = rows.length === q.limit ? Number(rows.at(-1)!.entryId) : null;
      return { region, asOf: asOf ?? null, items, next };
    },
  );

  app.post(
    '/oversight/roster',
    {
      bodyLimit: FILE_LIMIT,
      config: { roles: ['county_staff'] },
      preHandler: [app.idempotency],
      schema: {
        tags: ['oversight'],
        summary: "Update the county's close-relative roster: JSON, or a CSV or XLSX file (R-O1)",
        description:
          'Each staff member or cadre listed keeps exactly the relatives listed from effectiveOn: a new or ' +
          'changed relation starts, one no longer listed ends; `ended` ends all of theirs; `complete` ends ' +
          'everyone not listed. Nothing is deleted (R-O6). A file (Content-Type text/csv or the XLSX type, ' +
          'countyCode, effectiveOn and complete in the query) has one row per relative: staff_ref, ' +
          'staff_name, position, post, region_code, relative_name, relative_id_number, relation, ended ' +
          '(or 人员编号, 姓名, 人员类别, 职务, 工作单位代码, 亲属姓名, 亲属身份证号, 亲属关系, 已离岗); ' +
          'invalid rows are a 422 naming row and column, and nothing is recorded. Every receipt, change of ' +
          'members and re-review is checked against the roster.',
        querystring: rosterFileQuery,
        body: rosterSubmissionSchema,
        response: { 201: rosterRecorded, ...problemResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      assertCoversCounty(req.user, b.countyCode);
      const submission: RosterSubmission = {
        countyCode: b.countyCode,
        effectiveOn: b.effectiveOn ?? civilDateOf(new Date()),
        complete: b.complete,
        staff: b.staff,
      };
      const problems = checkRosterSubmission(submission);
      if (problems.length)
        throw badRequest(
          'the roster does not satisfy the rules',
          problems.map((p) => ({ path: `body.${p.path}`, message: p.message })),
        );
      const token = req.idempotency?.token ?? randomBytes(16).toString('hex');
      const today = civilDateOf(new Date());
      const uploadId = `R${b.countyCode}${today.replaceAll('-', '')}${token.slice(0, 12).toUpperCase()}`;
      const outcome = await roster.record(submission, {
        uploadId,
        format: uploadFormat.get(req) ?? 'json',
        recordedBy: req.user.sub,
        recordedByRole: req.user.role,
        at: new Date().toISOString(),
      });
      if ('conflicts' in outcome)
        throw conflict(
          'roster-conflict',
          `effectiveOn is before the first day of ${outcome.conflicts.length} entries it would end; nothing was recorded`,
          {
            entries: outcome.conflicts.map((e) => ({
              entryId: e.entryId,
              staffRef: e.staff.ref,
              effectiveFrom: e.effectiveFrom,
            })),
          },
        );
      return reply.code(201).send({
        uploadId: outcome.uploadId,
        countyCode: submission.countyCode,
        effectiveOn: submission.effectiveOn,
        complete: submission.complete,
        started: outcome.started,
        ended: outcome.ended,
        unchanged: outcome.unchanged,
      });
    },
  );
};
