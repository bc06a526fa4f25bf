import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { enrolmentRefusal, receiptApplicationId, receiptStart, receiptUpdateId } from '../clients/receipt';
import { sendFinding } from '../clients/register-entry';
import { keyedDigest } from '../domain/keyed-id';
import { countyOf } from '../domain/region';
import type { Actor } from '../domain/roles';
import {
  type ApplicationInput,
  type ApplicationResult,
  applicationWorkflowId,
  type RegisterFinding,
  type RegisterHistoryEntry,
  type RegisterView,
  receiptUpdate,
  type Visit,
  type VisitInput,
} from '../workflows/contracts';
import { type ActivityDeps, idKeysOf, reposOf } from './deps';

// Side effects of the low-income register (R-L1 … R-L3): the register workflow's rows, the hooks the
// application and case workflows call to reach a household's entry (signal-with-start), and the
// receipt of an application a visit asks for (R-L2 → R-A1). Each is idempotent.

/** The worker's client (the same data converter: payloads stay encrypted, R-O7). */
const clientOf = (deps: ActivityDeps): Client => deps.temporal ?? Context.current().client;

export function registerActivities(deps: ActivityDeps) {
  const repos = reposOf(deps);
  return {
    /** The household's row, its members and audit events (revision-guarded, once per entry). */
    async saveRegister(args: {
      view: RegisterView;
      entries: RegisterHistoryEntry[];
      /** R-O7: the re-keyed entry's old key, whose rows move to this one (relocation). */
      replaces?: string;
    }): Promise<void> {
      await repos.register.save(args.view, args.entries, args.replaces);
    },

    /**
     * R-L1: a finding reaches the household's one entry (started if new); deduplicated by its id
     * there. One `onlyIfRegistered` (a closure that registers nobody) reaches an existing entry only.
     */
    async registerFinding(finding: RegisterFinding): Promise<{ householdKey?: string }> {
      const ids = finding.members.map((m) => m.idNumber);
      if (finding.onlyIfRegistered && !(await repos.register.keyOf(countyOf(finding.villageCode), ids)))
        return {};
      const householdKey = await sendFinding(
        clientOf(deps),
        Context.current().info.taskQueue,
        repos,
        idKeysOf(deps),
        finding,
      );
      return { householdKey };
    },

    /**
     * R-L2 / R-A1: the application a visit found the household eligible for, received as any other
     * (update-with-start of `application:<id>`, its receipt the workflow's first step). The id derives
     * from the household and the visit: a retry is the same application. A member held elsewhere is
     * the receipt's refusal, answered, not retried.
     */
    async openRegisterApplication(args: {
      countyCode: string;
      householdKey: string;
      villageCode: string;
      visitId: string;
      actor: Actor;
      application: NonNullable<VisitInput['application']>;
    }): Promise<Pick<Visit, 'applicationId' | 'applicationRefused'>> {
      const a = args.application;
      const county = countyOf(args.villageCode);
      const { policy, deadlines } = await repos.policies.inForce(county, a.acceptedOn);
      const runtimeYears = await repos.calendar.runtimeYears();
      const { hex: token } = keyedDigest(idKeysOf(deps), 'register-visit', args.householdKey, args.visitId);
      const applicationId = receiptApplicationId(county, a.acceptedOn, token);
      const input: ApplicationInput = {
        applicationId,
        category: a.category,
        villageCode: args.villageCode,
        acceptedOn: a.acceptedOn,
        delegated: a.delegated,
        specialCircumstances: a.specialCircumstances,
        closeRelative: a.closeRelative,
        household: a.household,
        receivedBy: args.actor,
        context: { policy, deadlines, runtimeYears },
      };
      const client = clientOf(deps);
      try {
        await client.workflow.executeUpdateWithStart(receiptUpdate, {
          updateId: receiptUpdateId(token),
          startWorkflowOperation: receiptStart(Context.current().info.taskQueue, input),
        });
        return { applicationId };
      } catch (err) {
        const refused = enrolmentRefusal(err);
        if (refused)
          return {
            applicationRefused: {
              holderKind: String(refused.holderKind ?? ''),
              holderId: String(refused.holderId ?? ''),
            },
          };
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      // Received before and closed since: its outcome, from Temporal.
      const result: ApplicationResult = await client.workflow
        .getHandle(applicationWorkflowId(applicationId))
        .result();
      return result.refused
        ? { applicationRefused: { holderKind: result.refused.holderKind, holderId: result.refused.holderId } }
        : { applicationId };
    },
  };
}
