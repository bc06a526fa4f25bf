import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { actor, COUNTY, household, VILLAGE } from '../../test/helpers/fixtures';
import { type RegisterFinding, registerFindingSignal, registerWorkflowId } from '../../workflows/contracts';
import type { registerWorkflow } from '../../workflows/register/workflow';
import { chainHandle, type Session } from './session';

// How the register scenarios reach an entry: a finding by signal-with-start of
// `register:<county>:<key>` (as clients/register-entry.ts does), for the fixture household.

/** The fixture household's members as a finding names them. */
export const findingMembers = () =>
  household().members.map(({ idNumber, name, relation }) => ({ idNumber, name, relation }));

export async function startRegisterEntry(s: Session, key: string, finding: RegisterFinding) {
  const started = await s.env.client.workflow.signalWithStart<typeof registerWorkflow, [RegisterFinding]>(
    'registerWorkflow',
    {
      taskQueue: s.taskQueue,
      workflowId: registerWorkflowId(COUNTY, key),
      args: [
        {
          countyCode: COUNTY,
          householdKey: key,
          villageCode: VILLAGE,
          deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
          runtimeYears: [],
        },
      ],
      signal: registerFindingSignal,
      signalArgs: [finding],
    },
  );
  return chainHandle<typeof registerWorkflow>(s, started.workflowId, started.signaledRunId);
}

/** R-L1: a township's village report finding the household marginal. */
export const villageReport = (members: RegisterFinding['members'], on: string): RegisterFinding => ({
  findingId: 'report-1',
  source: 'village_report',
  villageCode: VILLAGE,
  members,
  add: ['marginal'],
  on,
  by: actor('township_staff'),
});
