import { actor, COUNTY } from '../../test/helpers/fixtures';
import {
  monitoringHitSignal,
  registerStateQuery,
  registerWorkflowId,
  relocateRegisterUpdate,
} from '../../workflows/contracts';
import type { registerWorkflow } from '../../workflows/register/workflow';
import { findingMembers, startRegisterEntry, villageReport } from './register-entry';
import { chainHandle, type NamedScenario, type Session } from './session';

// R-O7: an entry named by a plain hash (the key of before keyed ids) gets the Update
// `relocateRegister` (scripts/rekey-register.ts): it saves, starts its successor under the keyed
// key with its whole state, then forwards a warning still addressed to it. Two files: the old entry
// (forwarding until quiet) and the successor (its first save replaces the old key's rows).
const OLD_KEY = `H${'0'.repeat(23)}7`;
const NEW_KEY = `H-rec1-${'5a'.repeat(16)}`;

async function relocate(s: Session) {
  const members = findingMembers();
  const today = await s.today();
  const old = await startRegisterEntry(s, OLD_KEY, villageReport(members, today));
  const moved = await old.executeUpdate(relocateRegisterUpdate, {
    args: [{ newKey: NEW_KEY, by: actor('admin') }],
    updateId: `relocate:${NEW_KEY}`,
  });
  if (moved.householdKey !== NEW_KEY) throw new Error(`moved to ${moved.householdKey}`);
  const hit = { kind: 'job_loss' as const, idNumber: members[0]!.idNumber, source: 'hr bureau' };
  await old.signal(monitoringHitSignal, { ...hit, hitId: 'h1', detectedOn: today });
  const successor = s.env.client.workflow.getHandle<typeof registerWorkflow>(
    registerWorkflowId(COUNTY, NEW_KEY),
  );
  let v = await successor.query(registerStateQuery);
  for (let i = 0; i < 50 && v.tasks.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await successor.query(registerStateQuery);
  }
  if (v.tasks.length === 0) throw new Error('the forwarded warning opened no visit');
  return { old, successor };
}

export const registerRelocated: NamedScenario = {
  prefix: 'register',
  name: 'relocated',
  run: async (s) => ({ handle: (await relocate(s)).old, closed: false }),
};

export const registerRelocatedSuccessor: NamedScenario = {
  prefix: 'register',
  name: 'relocated-successor',
  run: async (s) => {
    const { successor } = await relocate(s);
    const { runId } = await successor.describe();
    const handle = chainHandle<typeof registerWorkflow>(s, successor.workflowId, runId);
    return { handle, closed: false };
  },
};
