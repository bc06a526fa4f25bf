import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Alert } from '../db/repositories/alerts';
import type { SaveArgs } from '../db/repositories/applications';
import type { NoticeToIssue } from '../db/repositories/notices';
import type { TemporaryGrant } from '../db/repositories/temporary-grants';
import { type CivilDate, civilDateOf } from '../domain/dates';
import { caseEnrolment, enrolledAlone } from '../domain/enrolment';
import type {
  ApplicationContext,
  ApplicationInput,
  ApplicationView,
  EnrolmentConflict,
  ImportOutcome,
} from '../workflows/contracts';
import { type ActivityDeps, reposOf } from './deps';
import { alreadyEnrolled } from './enrolments';

// Side effects of the application workflow. Each is idempotent: a retried activity writes once
// (unique keys, ON CONFLICT DO NOTHING, version-guarded upserts).

export function applicationActivities(deps: ActivityDeps) {
  const repos = reposOf(deps);
  const { policies, calendar } = repos;
  return {
    /** The county's parameters in force on the receipt date and the runtime calendar years. */
    async loadApplicationContext(args: {
      countyCode: string;
      onDate: CivilDate;
    }): Promise<ApplicationContext> {
      const { policy, deadlines } = await policies.inForce(args.countyCode, args.onDate);
      return { policy, deadlines, runtimeYears: await calendar.runtimeYears() };
    },

    /**
     * R-A1: the receipt, the workflow's first step: the application, members and enrolments in one
     * transaction, or the member already held elsewhere (nothing written).
     */
    async receiveApplication(args: SaveArgs): Promise<{ refused?: EnrolmentConflict }> {
      return repos.applications.receive({ ...args, filedOn: civilDateOf(new Date()) });
    },

    /** Read model + audit trail (R-O6). `version` guards against an older snapshot overwriting a newer one. */
    async saveApplication(args: SaveArgs) {
      await repos.applications.save(args);
    },

    /**
     * R-A8: approval records the case and its first entitlement; the members move to the case (R-A1).
     * A caseload import's household (by import and seq) is recorded by the same step: its case row
     * and its members' enrolments, or `already_present` / `failed` naming the holder (R-A1).
     */
    async recordCase(
      args:
        | { input: ApplicationInput; view: ApplicationView }
        | { imported: { importId: string; fromSeq: number; toSeq: number } },
    ): Promise<{ caseId: string; imported?: ImportOutcome[] }> {
      if ('imported' in args) {
        const { importId, fromSeq, toSeq } = args.imported;
        // A page of households, heartbeating: a worker lost mid-page is noticed in seconds.
        const beat = () => Context.current().heartbeat();
        return {
          caseId: '',
          imported: await repos.imports.recordImportedCases(importId, fromSeq, toSeq, beat),
        };
      }
      const { input, view } = args;
      if (!view.decision?.startMonth)
        throw ApplicationFailure.nonRetryable('approval without start month', 'InvalidStep');
      const caseId = input.applicationId;
      const household = view.investigation?.household ?? input.household;
      // R-E3 / R-E4: a one-person enrolment is a case of that person; else the household (R-A8).
      const { members, claim } = caseEnrolment(
        household.members,
        enrolledAlone(household, view.assessment, view.opinion),
      );
      const { refused } = await repos.applications.recordApproval({ input, view, caseId, members, claim });
      if (refused) throw alreadyEnrolled(refused);
      return { caseId };
    },

    /** R-A7 / R-M9: a written notice with reasons; one per subject and kind. */
    async issueNotice(args: NoticeToIssue): Promise<{ noticeId: string }> {
      return repos.notices.issue(args);
    },

    /** R-A10: the one-off grant, recorded once (grant id chosen by the caller). */
    async recordTemporaryGrant(args: TemporaryGrant) {
      await repos.temporaryGrants.record(args);
    },

    /** R-A6 / R-O3: an at-risk or overdue flag raised to supervisors (one row per deadline and flag). */
    async notifySupervisor(args: Alert) {
      await repos.alerts.raise(args);
    },
  };
}
