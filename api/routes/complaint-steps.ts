import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { reaches } from '../../domain/region';
import type { Role } from '../../domain/roles';
import {
  answerUpdate,
  assignmentUpdate,
  type ComplaintView,
  complaintWorkflowId,
  extensionUpdate,
  findingUpdate,
} from '../../workflows/contracts';
import { actorOf } from '../intake';
import { assertRecordReach } from '../plugins/auth';
import { conflict, notFound, ProblemError, problemResponses } from '../problem';
import {
  answerBody,
  assignmentBody,
  complaintIdParams,
  complaintViewSchema,
  extensionBody,
  findingBody,
} from '../schemas/complaints';

// API.md "Oversight": each step of a complaint (R-O4) is an Update of its workflow, whose validator
// refuses a wrong stage (409), role or region (403) or inconsistent data (422) before anything is
// recorded. The Idempotency-Key names the Update, so a retry gets the first answer.
export const complaintStepRoutes: FastifyPluginAsyncZod = async (app) => {
  const { complaints, cases } = app.repos;
  const handle = (id: string) => app.temporal.workflow.getHandle(complaintWorkflowId(id));

  const step = <B extends z.ZodType>(
    path: string,
    summary: string,
    roles: readonly Role[],
    body: B,
    send: (
      id: string,
      b: z.output<B>,
      view: ComplaintView,
      updateId: string | undefined,
      caller: ReturnType<typeof actorOf>,
    ) => Promise<ComplaintView>,
  ) =>
    app.post(
      `/complaints/:id/${path}`,
      {
        config: { roles },
        preHandler: [app.idempotency],
        schema: {
          tags: ['oversight'],
          summary,
          params: complaintIdParams,
          body,
          response: { 200: complaintViewSchema, ...problemResponses },
        },
      },
      async (req) => {
        const { id } = req.params;
        const row = await complaints.find(id);
        if (!row) throw notFound(`no complaint ${id}`);
        assertRecordReach(req.user, row.villageCode, `no complaint ${id}`);
        const view = await app.runUpdate(req, id, row.stage, (updateId) =>
          send(id, req.body as z.output<B>, row.view, updateId, actorOf(req.user)),
        );
        return { ...view, repeats: await complaints.repeatsOf(id) };
      },
    );

  step(
    'assignment',
    'Assign the complaint to a handler (R-O4)',
    ['township_staff', 'county_staff', 'supervisor'],
    assignmentBody,
    (id, b, _v, updateId, actor) =>
      handle(id).executeUpdate(assignmentUpdate, { args: [{ ...b, actor }], updateId }),
  );

  step(
    'finding',
    'The finding of the investigation; may open a data check on a case or ask for a spot check (R-O4, R-M6, R-O2)',
    ['township_staff', 'county_staff'],
    findingBody,
    async (id, b, v, updateId, actor) => {
      let dataCheckCaseId: string | undefined;
      if (b.dataCheck || b.dataCheckCaseId) {
        dataCheckCaseId = b.dataCheckCaseId ?? (v.subject.kind === 'case' ? v.subject.id : undefined);
        if (!dataCheckCaseId)
          throw new ProblemError(
            422,
            'invalid-step',
            'Inconsistent step',
            'a data check names its case (dataCheckCaseId)',
          );
        // R-A11: the check is opened on a case in the caller's reach that is still in benefit.
        const c = await cases.find(dataCheckCaseId);
        if (!c || !reaches(actor.region, c.villageCode))
          throw new ProblemError(
            422,
            'unknown-case',
            'Unknown case',
            `no case ${dataCheckCaseId} in the caller's region`,
          );
        if (c.status === 'closed')
          throw conflict('case-closed', `case ${dataCheckCaseId} is closed`, { stage: v.stage });
      }
      const { dataCheck: _flag, dataCheckCaseId: _id, ...rest } = b;
      return handle(id).executeUpdate(findingUpdate, {
        args: [{ ...rest, dataCheckCaseId, actor }],
        updateId,
      });
    },
  );

  step(
    'answer',
    'The answer to a named complainant, with the finding (R-O4)',
    ['township_staff', 'county_staff'],
    answerBody,
    (id, b, _v, updateId, actor) =>
      handle(id).executeUpdate(answerUpdate, { args: [{ ...b, actor }], updateId }),
  );

  step(
    'extension',
    'Extend the deadline once, with a reason (R-O4)',
    ['county_staff', 'supervisor'],
    extensionBody,
    (id, b, _v, updateId, actor) =>
      handle(id).executeUpdate(extensionUpdate, { args: [{ ...b, actor }], updateId }),
  );
};
