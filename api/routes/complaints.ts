import { randomBytes } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import { TypedSearchAttributes, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { countyOf, isRegionCode, reaches, townshipOf } from '../../domain/region';
import type { complaintWorkflow } from '../../workflows/complaint/workflow';
import {
  type ComplaintInput,
  type ComplaintView,
  complaintReceiptUpdate,
  complaintWorkflowId,
} from '../../workflows/contracts';
import {
  SA_CASE_KIND,
  SA_COUNTY,
  SA_STAGE,
  SA_TOWNSHIP,
  SA_VILLAGE,
} from '../../workflows/contracts/search-attributes';
import { actorOf } from '../intake';
import { assertReach, assertRecordReach, type Caller } from '../plugins/auth';
import { badRequest, notFound, ProblemError, problemResponses } from '../problem';
import { complaintBody, complaintIdParams, complaintViewSchema } from '../schemas/complaints';
import { updateProblem } from '../temporal-call';
import { complaintLedgerRoutes } from './complaint-ledger';
import { complaintStepRoutes } from './complaint-steps';

const STAFF = ['township_staff', 'county_staff', 'supervisor'] as const;

// API.md "Oversight": the complaints ledger (台账) and each complaint's course (R-O4). Each complaint
// is its own workflow `complaint:<id>`, the one writer of its ledger row; the receipt is an
// update-with-start whose id derives from the Idempotency-Key (a retry is the same complaint).
export const complaintRoutes: FastifyPluginAsyncZod = async (app) => {
  const { complaints, cases, applications, policies, calendar } = app.repos;
  await app.register(complaintStepRoutes);
  await app.register(complaintLedgerRoutes);

  /** The subject's village: a case or application in the caller's reach, a village, or a staff member's. */
  async function villageOf(body: z.output<typeof complaintBody>, caller: Caller): Promise<string> {
    const { kind, id } = body.subject;
    const unknown = (what: string) =>
      new ProblemError(422, 'unknown-subject', 'Unknown subject', `no ${what} ${id} in the caller's region`);
    if (kind === 'case') {
      const row = await cases.find(id);
      if (!row || !reaches(caller.region, row.villageCode)) throw unknown('case');
      return row.villageCode;
    }
    if (kind === 'application') {
      const row = /^A\d{14}[0-9A-F]{8,12}$/.test(id) ? await applications.find(id, false) : undefined;
      if (!row || !reaches(caller.region, row.village_code)) throw unknown('application');
      return row.village_code;
    }
    const village = kind === 'village' ? id : body.villageCode;
    if (village?.length !== 12 || !isRegionCode(village))
      throw badRequest(`a complaint about a ${kind} names its village`, [
        {
          path: kind === 'village' ? 'body.subject.id' : 'body.villageCode',
          message: 'a village code (12 digits)',
        },
      ]);
    assertReach(caller, village);
    return village;
  }

  const withRepeats = async (view: ComplaintView) => ({
    ...view,
    repeats: await complaints.repeatsOf(view.complaintId),
  });

  app.post(
    '/complaints',
    {
      config: { roles: STAFF },
      preHandler: [app.idempotency],
      schema: {
        tags: ['oversight'],
        summary: 'Log a complaint or tip-off (R-O4)',
        description:
          'Hotline 12345, letter, visit or online; named or anonymous. A named complaint is answered within ' +
          '15 working days (county parameter), an anonymous one closed with a finding in the same time. A ' +
          'complaint on a subject that had one in the last 12 months is linked to it as a repeat.',
        body: complaintBody,
        response: { 201: complaintViewSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const villageCode = await villageOf(body, req.user);
      const countyCode = countyOf(villageCode);
      const deadlines = await policies.deadlines(countyCode, body.receivedOn);
      const runtimeYears = await calendar.runtimeYears();
      const repeatOf = await complaints.firstOnSubject(body.subject.kind, body.subject.id, body.receivedOn);
      const token = req.idempotency?.token ?? randomBytes(16).toString('hex');
      const complaintId = `C${countyCode}${body.receivedOn.replaceAll('-', '')}${token.slice(0, 12).toUpperCase()}`;
      const input: ComplaintInput = {
        complaintId,
        source: body.source,
        receivedOn: body.receivedOn,
        complainant: body.complainant,
        subject: body.subject,
        villageCode,
        summary: body.summary,
        receivedBy: actorOf(req.user),
        ...(repeatOf && repeatOf !== complaintId ? { repeatOf } : {}),
        deadlines,
        runtimeYears,
      };
      const workflowId = complaintWorkflowId(complaintId);
      const start = new WithStartWorkflowOperation<typeof complaintWorkflow>('complaintWorkflow', {
        taskQueue: app.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [input],
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SA_CASE_KIND, value: 'complaint' },
          { key: SA_STAGE, value: 'received' },
          { key: SA_COUNTY, value: countyCode },
          { key: SA_TOWNSHIP, value: townshipOf(villageCode) },
          { key: SA_VILLAGE, value: villageCode },
        ]),
      });
      try {
        const view = await app.temporalCall(() =>
          app.temporal.workflow.executeUpdateWithStart(complaintReceiptUpdate, {
            updateId: `receipt:${token}`,
            startWorkflowOperation: start,
          }),
        );
        return reply.code(201).send(await withRepeats(view));
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError))
          throw updateProblem(err, complaintId, 'received');
      }
      // The same receipt, retried after the complaint closed: its ledger row.
      const row = await complaints.find(complaintId);
      if (!row) throw notFound(`no complaint ${complaintId}`);
      return reply.code(201).send(await withRepeats(row.view));
    },
  );

  app.get(
    '/complaints/:id',
    {
      config: { roles: STAFF, auditRead: { subject: 'complaint', what: 'complaint' } },
      schema: {
        tags: ['oversight'],
        summary: "A complaint's course: handler, deadline, extension, finding, answer, history (R-O4)",
        params: complaintIdParams,
        response: { 200: complaintViewSchema, ...problemResponses },
      },
    },
    async (req) => {
      const row = await complaints.find(req.params.id);
      if (!row) throw notFound(`no complaint ${req.params.id}`);
      assertRecordReach(req.user, row.villageCode, `no complaint ${req.params.id}`);
      return withRepeats(row.view);
    },
  );
};
