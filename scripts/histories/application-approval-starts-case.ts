import { caseWorkflowId } from '../../workflows/contracts';
import { approve, check, type NamedScenario } from './session';

// R-A8: the same path with patched('start-case-workflow') active: the approval starts the
// case-in-benefit workflow as an abandoned child, which outlives the application.
export const applicationApprovalStartsCase: NamedScenario = {
  prefix: 'application',
  name: 'approval-starts-case',
  run: async (s) => {
    const { handle, view } = await approve(s);
    const events = (await handle.fetchHistory()).events ?? [];
    const marker = events.some((e) => e.markerRecordedEventAttributes);
    const child = events.find(
      (e) => e.startChildWorkflowExecutionInitiatedEventAttributes,
    )?.startChildWorkflowExecutionInitiatedEventAttributes;
    const caseId = view.decision!.caseId!;
    check(
      'the patch marker and the child start in history',
      marker && child?.workflowId === caseWorkflowId(caseId) && child.parentClosePolicy === 2, // ABANDON
      view,
    );
    const running = await s.env.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
    check('the case workflow outlives the application', running.status.name === 'RUNNING', view);
    return { handle, closed: true };
  },
};
