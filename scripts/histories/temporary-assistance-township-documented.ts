import { temporaryAssistanceReceiptId, temporaryAssistanceStart } from '../../clients/temporary-assistance';
import { endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import { actor } from '../../test/helpers/fixtures';
import { temporaryInput } from '../../test/helpers/temporary-assistance';
import {
  type TemporaryAssistanceInput,
  temporaryAssistanceReceiptUpdate,
  temporaryAssistanceStateQuery,
  temporaryDecisionUpdate,
  temporaryDocumentationUpdate,
  temporaryPaymentResultUpdate,
} from '../../workflows/contracts';
import { type NamedScenario, poll, type Session, startedBy } from './session';

export const clerk = actor('township_staff', undefined, 'clerk-1');

/** R-A10: the receipt as the API sends it, an update-with-start that answers once the row is written. */
export async function receiveAssistance(s: Session, overrides: Partial<TemporaryAssistanceInput> = {}) {
  const input = temporaryInput(await s.today(), overrides);
  const op = temporaryAssistanceStart(s.taskQueue, input);
  const view = await s.env.client.workflow.executeUpdateWithStart(temporaryAssistanceReceiptUpdate, {
    updateId: temporaryAssistanceReceiptId(input.assistanceId),
    startWorkflowOperation: op,
  });
  return { input, view, handle: await startedBy(s, op) };
}

// R-A10 R-O3: a household's request received where the hardship happened; the township grants within
// its reserve fund (the household's grants of the year checked, a local activity): paid at once
// (ledger row and bank line), the decision notice; the documentation's at-risk and overdue days pass
// (timers, supervisor alerts); the bank pays; documented late: closed; the bank returns the money
// within the return window (R-M1): the request ends.
export const temporaryAssistanceTownshipDocumented: NamedScenario = {
  prefix: 'temporary-assistance',
  name: 'township-documented',
  run: async (s) => {
    const { handle } = await receiveAssistance(s);
    const granted = await handle.executeUpdate(temporaryDecisionUpdate, {
      args: [{ actor: clerk, approve: true, amount: '800.00', reasons: 'house fire' }],
    });
    const doc = granted.documentation!;
    await poll(
      () => handle.query(temporaryAssistanceStateQuery),
      (v) => !!v.payment && !!v.noticeId,
      'paid and noticed',
    );
    await s.env.sleep(startOfCivilDay(doc.atRiskOn).getTime() + 3_600_000 - (await s.env.currentTimeMs()));
    await s.env.sleep(endOfCivilDay(doc.due.date).getTime() + 3_600_000 - (await s.env.currentTimeMs()));
    await poll(
      () => handle.query(temporaryAssistanceStateQuery),
      (v) => v.documentation?.overdue === true,
      'overdue',
    );
    await handle.executeUpdate(temporaryPaymentResultUpdate, {
      args: [
        {
          actor: clerk,
          resultId: 'bank-1',
          outcome: 'paid',
          reportedAt: new Date(await s.env.currentTimeMs()).toISOString(),
        },
      ],
    });
    const closed = await handle.executeUpdate(temporaryDocumentationUpdate, {
      args: [
        {
          actor: clerk,
          documentedOn: await s.today(),
          summary: 'fire brigade report',
          documents: ['report'],
        },
      ],
    });
    if (closed.stage !== 'closed') throw new Error(`not closed: ${closed.stage}`);
    // R-M1: closed as paid, the bank's later return is still taken; then the request ends.
    const returned = await handle.executeUpdate(temporaryPaymentResultUpdate, {
      args: [
        {
          actor: clerk,
          resultId: 'bank-2',
          outcome: 'returned',
          reason: 'account closed',
          reportedAt: new Date(await s.env.currentTimeMs()).toISOString(),
        },
      ],
    });
    if (returned.payment?.status !== 'returned') throw new Error('return not taken');
    await handle.result();
    if (s.calls.alerts.map((a) => a.flag).join() !== 'at_risk,overdue')
      throw new Error('no documentation alerts');
    return { handle, closed: true };
  },
};
