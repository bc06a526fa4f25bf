import { caseWorkflowId } from '../../workflows/contracts';
import { approve, check, type NamedScenario } from './session';

// R-A1 … R-A8: the receipt as the API sends it (update-with-start; the workflow's first local
// activity writes it), verification, opinion, 7-day publicity, county approval: the persons held,
// the case recorded and started as an abandoned child workflow that outlives the application, the
// household registered (R-L1).
export const applicationApproval: NamedScenario = {
  prefix: 'application',
  name: 'approval',
  run: async (s) => {
    const { handle, view } = await approve(s);
    const events = (await handle.fetchHistory()).events ?? [];
    const child = events.find(
      (e) => e.startChildWorkflowExecutionInitiatedEventAttributes,
    )?.startChildWorkflowExecutionInitiatedEventAttributes;
    const caseId = view.decision!.caseId!;
    check(
      'the case started as an abandoned child',
      child?.workflowId === caseWorkflowId(caseId) && child.parentClosePolicy === 2, // ABANDON
      view,
    );
    const running = await s.env.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    check('the case workflow outlives the application', running.status.name === 'RUNNING', view);
    check('the household registered', s.calls.registerFindings.length === 1, view);
    return { handle, closed: true };
  },
};
