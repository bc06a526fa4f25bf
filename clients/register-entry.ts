import type { Client } from '@temporalio/client';
import type { Repositories } from '../db/repositories';
import { civilDateOf } from '../domain/dates';
import type { IdKeys } from '../domain/keyed-id';
import { countyOf } from '../domain/region';
import { householdKey } from '../domain/register-key';
import {
  type RegisterFinding,
  type RegisterInput,
  type RegisterMember,
  registerFindingSignal,
  registerWorkflowId,
} from '../workflows/contracts';

// R-L1: where a household's register entry lives, and how it is started. Shared by the API (staff
// findings, monitoring hits) and the activities the application and case workflows call.

/** The entry holding any of these persons in the county, else the key of the first of them. */
export async function registerEntryFor(
  repos: Repositories,
  idKeys: IdKeys,
  villageCode: string,
  members: RegisterMember[],
): Promise<{ workflowId: string; input: RegisterInput }> {
  const countyCode = countyOf(villageCode);
  const ids = members.map((m) => m.idNumber);
  const key = (await repos.register.keyOf(countyCode, ids)) ?? householdKey(idKeys, countyCode, ids[0]!);
  const [deadlines, runtimeYears] = await Promise.all([
    repos.policies.deadlines(countyCode, civilDateOf(new Date())),
    repos.calendar.runtimeYears(),
  ]);
  return {
    workflowId: registerWorkflowId(countyCode, key),
    input: { countyCode, householdKey: key, villageCode, deadlines, runtimeYears },
  };
}

/** Signal-with-start: the finding reaches the entry, which is started if it does not run yet. */
export async function sendFinding(
  client: Client,
  taskQueue: string,
  repos: Repositories,
  idKeys: IdKeys,
  finding: RegisterFinding,
): Promise<string> {
  const { workflowId, input } = await registerEntryFor(repos, idKeys, finding.villageCode, finding.members);
  await client.workflow.signalWithStart('registerWorkflow', {
    taskQueue,
    workflowId,
    args: [input],
    signal: registerFindingSignal,
    signalArgs: [finding],
  });
  return input.householdKey;
}
