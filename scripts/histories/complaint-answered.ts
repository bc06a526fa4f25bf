import { WithStartWorkflowOperation } from '@temporalio/client';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { actor, COUNTY, VILLAGE } from '../../test/helpers/fixtures';
import type { complaintWorkflow } from '../../workflows/complaint/workflow';
import {
  answerUpdate,
  assignmentUpdate,
  type ComplaintInput,
  caseStateQuery,
  complaintReceiptUpdate,
  complaintWorkflowId,
  findingUpdate,
} from '../../workflows/contracts';
import { type NamedScenario, type Session, startedBy } from './session';

export const county = actor('county_staff', COUNTY, 'county-1');
export const clerk = actor('township_staff', undefined, 'clerk-1');

/** R-O4: the receipt as the API sends it, an update-with-start that answers once the ledger row is written. */
export async function receiveComplaint(s: Session, overrides: Partial<ComplaintInput> = {}) {
  const complaintId = `C${COUNTY}${(await s.today()).replaceAll('-', '')}${Math.random().toString(16).slice(2, 14).toUpperCase().padEnd(12, '0')}`;
  const input: ComplaintInput = {
    complaintId,
    source: 'hotline_12345',
    receivedOn: await s.today(),
    complainant: { anonymous: false, name: '王小明', phone: '13912345678' },
    subject: { kind: 'village', id: VILLAGE },
    villageCode: VILLAGE,
    summary: 'the list was not posted',
    receivedBy: clerk,
    deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
    runtimeYears: [],
    ...overrides,
  };
  const op = new WithStartWorkflowOperation<typeof complaintWorkflow>('complaintWorkflow', {
    taskQueue: s.taskQueue,
    workflowId: complaintWorkflowId(complaintId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [input],
  });
  const view = await s.env.client.workflow.executeUpdateWithStart(complaintReceiptUpdate, {
    updateId: `receipt:${complaintId}`,
    startWorkflowOperation: op,
  });
  return { input, view, handle: await startedBy(s, op) };
}

// R-O4 R-M6: a named complaint about a case in benefit: received, assigned to a handler, found
// substantiated with a data check on the case (signal `complaintCheck` to the running case), then
// answered to the complainant within the deadline: closed.
export const complaintAnswered: NamedScenario = {
  prefix: 'complaint',
  name: 'answered',
  run: async (s) => {
    const { input: caseInput, handle: caseHandle } = await s.startCase();
    const { handle } = await receiveComplaint(s, {
      subject: { kind: 'case', id: caseInput.caseId },
      summary: 'the family runs a shop',
    });
    await handle.executeUpdate(assignmentUpdate, { args: [{ actor: county, handler: clerk.sub }] });
    await s.env.sleep('3 days');
    const found = await handle.executeUpdate(findingUpdate, {
      args: [
        {
          actor: clerk,
          outcome: 'substantiated',
          summary: 'a shop in the spouse’s name',
          dataCheckCaseId: caseInput.caseId,
          spotCheckRequested: false,
        },
      ],
    });
    if (found.finding?.dataCheck?.status !== 'opened') throw new Error('no data check opened');
    const answered = await handle.executeUpdate(answerUpdate, {
      args: [{ actor: clerk, answeredOn: await s.today(), channel: 'phone', summary: 'told the finding' }],
    });
    if (answered.stage !== 'closed' || answered.overdue)
      throw new Error(`not closed in time: ${answered.stage}`);
    await handle.result();
    const check = (await caseHandle.query(caseStateQuery)).tasks.find((t) =>
      t.taskId.startsWith('complaint-'),
    );
    if (!check) throw new Error('the case opened no check');
    return { handle, closed: true };
  },
};
