import type { Client } from '@temporalio/client';
import type { Repositories } from '../db/repositories';
import type { IdKeys } from '../domain/keyed-id';
import { householdKey, LEGACY_HOUSEHOLD_KEY_PATTERN, legacyHouseholdKey } from '../domain/register-key';
import type { Actor } from '../domain/roles';
import { registerStateQuery, registerWorkflowId, relocateRegisterUpdate } from '../workflows/contracts';

// R-O7: moves the register entries named by a reversible key (`H` + 24 hex of a plain sha256 of an
// ID number, before keyed ids) to keyed ids (`H-<key id>-<hex>`, domain/register-key.ts). Each old
// entry gets the Update `relocateRegister` (workflows/register/relocation.ts): it saves, starts its
// successor with its state, whose first save moves the rows to the new key, and then forwards what
// still reaches it. Run once after deploying (scripts/rekey-register.ts); a second run finds
// nothing left to move, and a run interrupted half-way is finished by the next (the Update is named
// by the new key: a retry gets the first answer).

export interface RekeyReport {
  /** Old entries moved by this run. */
  moved: number;
  /** Old entries whose successor's rows did not appear in time (run again). */
  pending: string[];
}

const RUNNING_REGISTERS = (taskQueue: string) =>
  `WorkflowType = 'registerWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`;

/** The ID number the old key was made from (the founder), else the lowest of the household's. */
export function founderOf(countyCode: string, oldKey: string, idNumbers: string[]): string | undefined {
  const sorted = [...idNumbers].sort();
  return sorted.find((id) => legacyHouseholdKey(countyCode, id) === oldKey) ?? sorted[0];
}

export async function rekeyRegister(
  client: Client,
  repos: Repositories,
  idKeys: IdKeys,
  opts: { taskQueue: string; by: Actor; waitMs?: number },
): Promise<RekeyReport> {
  const report: RekeyReport = { moved: 0, pending: [] };
  for await (const wf of client.workflow.list({ query: RUNNING_REGISTERS(opts.taskQueue) })) {
    const [, countyCode, key] = wf.workflowId.split(':');
    if (!countyCode || !key || !LEGACY_HOUSEHOLD_KEY_PATTERN.test(key)) continue;
    const handle = client.workflow.getHandle(wf.workflowId);
    const view = await handle.query(registerStateQuery);
    const founder = founderOf(
      countyCode,
      key,
      view.members.map((m) => m.idNumber),
    );
    if (!founder) continue; // an entry nobody was ever found for holds no person: nothing to hide
    const newKey = householdKey(idKeys, countyCode, founder);
    // Moved already: the old entry only forwards now (until quiet), its successor holds the rows.
    if (!(await repos.register.find(key)) && (await repos.register.find(newKey))) continue;
    await handle.executeUpdate(relocateRegisterUpdate, {
      args: [{ newKey, by: opts.by }],
      updateId: `relocate:${newKey}`,
    });
    report.moved++;
    // The successor's first save re-keys the rows; the run reports an entry still on its way.
    const deadline = Date.now() + (opts.waitMs ?? 30_000);
    while (!(await repos.register.find(newKey)) || (await repos.register.find(key))) {
      if (Date.now() > deadline) {
        report.pending.push(registerWorkflowId(countyCode, newKey));
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return report;
}
