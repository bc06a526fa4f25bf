import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { civilDateOf } from '../../domain/dates';
import { applyCaseRosterCheck, caseRosterCheck } from './close-relatives';
import type { CaseEffect, CaseState } from './state';

// What a case's rules queue (CaseRecord.effects), done through the case's activities in the order
// queued: rates, months, adjustments, written notices (R-M9, R-A7, R-M10), repayment demands,
// supervisor alerts (R-O3), close-relative filings (R-O1) and death notices (R-M2).

const options = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
} as const;
const remote = proxyActivities<Activities>(options);
const local = proxyLocalActivities<Activities>(options);

/**
 * The runner of one case's effects; `onMonth` counts the months this run rostered. While `locally()`
 * holds (an imported case's start) they run as local activities, in the same workflow task.
 */
export function caseEffectRunner(state: CaseState, onMonth: () => void, locally = () => false) {
  const v = state.view;
  const now = () => new Date();
  const addressee = () =>
    (
      v.members.find((m) => m.relation === 'applicant' && m.covered) ??
      v.members.find((m) => m.covered) ??
      v.members[0]
    )?.name ?? '';

  return async (e: CaseEffect) => {
    const acts = locally() ? local : remote;
    const base = { caseId: v.caseId, villageCode: v.villageCode, category: v.category };
    switch (e.kind) {
      case 'rate':
        return acts.recordRate({ caseId: v.caseId, entry: e.entry, recordedOn: civilDateOf(now()) });
      case 'month':
        onMonth();
        return acts.recordMonth({
          ...base,
          residence: v.residence,
          month: e.month,
          rosteredOn: civilDateOf(now()),
          parameterVersion: v.policy.version,
        });
      case 'adjustment':
        return acts.recordAdjustment({ ...base, adjustment: e.adjustment });
      case 'notice': {
        // R-M9 / R-A7 / R-M10: every stop, reduction or repayment demand in writing, with the reasons.
        const { noticeId } = await acts.issueNotice({
          kind: e.notice,
          subjectKind: 'case',
          subjectId: v.caseId,
          villageCode: v.villageCode,
          addressee: addressee(),
          reasons: e.reasons,
          decidedOn: e.on,
          decidedBy: e.by,
          parameterVersion: v.policy.version,
          ...(e.details ? { details: e.details } : {}),
        });
        state.ledger.noticeIssued(noticeId);
        if (e.demandId) state.demandNoticeIssued(e.demandId, noticeId);
        return;
      }
      case 'demand': {
        const demand = v.demands?.find((d) => d.demandId === e.demandId);
        if (!demand) return;
        return acts.saveDemand({ caseId: v.caseId, demand });
      }
      case 'alert':
        // R-O3: supervisors see the at-risk or overdue check; the case waits for staff.
        return acts.notifySupervisor({
          alertKey: `case:${v.caseId}:${e.task.taskId}:${e.flag}`,
          subjectKind: 'case',
          subjectId: v.caseId,
          villageCode: v.villageCode,
          flag: e.flag,
          deadlineKind: e.task.kind,
          dueOn: e.task.due.date,
        });
      case 'filing': {
        // R-O1: the roster's check files a match (and a close-relative case anyway).
        const { matches } = await acts.checkCloseRelatives(caseRosterCheck(state, e, now()));
        return applyCaseRosterCheck(state, e, matches, now());
      }
      case 'death_notice':
        // R-M2: the case is the one writer of its death notices.
        return acts.recordDeathNotice({ caseId: v.caseId, notice: e.notice, outcome: e.outcome });
    }
  };
}
