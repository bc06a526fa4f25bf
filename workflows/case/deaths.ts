import { addMonthsToYearMonth, civilDateOf, compareDates, monthOf } from '../../domain/dates';
import { comparisonCheckDue, deathReviewDue } from '../../domain/deadlines';
import { reaches } from '../../domain/region';
import { type DeathNotice, FAILURE } from '../contracts';
import { endSupport, recoverAfterClosure } from './death-recoveries';
import type { CaseParts } from './ledger';
import { type DeathOutcome, maxMonth, refuse, SYSTEM } from './record';

// R-M2: a death, from whichever source (integration, staff, visit report). A one-person case is paid
// for the month of death and nothing after (later months are recovered); a larger household goes on
// at the current amount until a death review due 3 months after the death (R-T1); an extreme-poverty
// person's support ends alone (R-E6). A death the case learns of after it closed recovers the paid
// months (R-M10). The same death twice (by notice id or by person) is one event.

/** Validator of a staff report (an Update): only a member, by township staff whose region reaches the case. */
export function checkDeathReport({ record: r }: CaseParts, n: DeathNotice, now: Date): void {
  const status = r.view.status;
  const by = n.reportedBy;
  if (by?.role !== 'township_staff')
    throw refuse(FAILURE.wrongRole, 'deaths are reported on a case by township staff (R-M2)', status);
  if (!reaches(by.region, r.view.villageCode))
    throw refuse(FAILURE.wrongRole, `region ${by.region} does not reach this case`, status);
  if (!r.view.members.some((m) => m.idNumber === n.idNumber))
    throw refuse(FAILURE.invalidStep, `${n.idNumber} is not a member of case ${r.view.caseId}`, status);
  if (compareDates(n.diedOn, civilDateOf(now)) > 0)
    throw refuse(FAILURE.invalidStep, `diedOn ${n.diedOn} is in the future`, status);
}

/** Applies a death notice and says what the case made of it; the notice is recorded by the workflow. */
export function applyDeath(c: CaseParts, n: DeathNotice, now: Date): DeathOutcome {
  const { record: r, ledger } = c;
  const v = r.view;
  const by = n.reportedBy ?? SYSTEM; // R-O6: the person or integration that reported it
  // The same notice id again (a resend) has no effect at all: its outcome is already recorded.
  if (r.hasSeen(`death:${n.noticeId}`)) return 'duplicate';
  const member = v.members.find((m) => m.idNumber === n.idNumber);
  const known = v.deaths.find((d) => d.idNumber === n.idNumber);
  if (known || !member) {
    if (known && !known.noticeIds.includes(n.noticeId)) {
      known.noticeIds.push(n.noticeId);
      if (!known.sources.includes(n.source)) known.sources.push(n.source);
      r.record(now, 'death_notice_duplicate', by, undefined, {
        noticeId: n.noticeId,
        source: n.source,
        diedOn: n.diedOn,
        recordedDiedOn: known.diedOn,
      });
      // Two sources disagree on the date of death: staff check it (R-M2 counts from that date).
      if (n.diedOn !== known.diedOn && !r.closed) {
        const due = comparisonCheckDue(r.cal, civilDateOf(now), r.input.deadlines);
        r.openTaskToday(
          now,
          {
            taskId: `death-date-${n.noticeId}`,
            kind: 'data_check',
            due,
            subject: {
              idNumber: n.idNumber,
              diedOn: known.diedOn,
              summary: `date of death ${known.diedOn} recorded, ${n.diedOn} reported by ${n.source} (${n.noticeId})`,
            },
          },
          by,
        );
      }
    }
    r.markSeen(`death:${n.noticeId}`);
    const outcome = member ? 'duplicate' : 'not_member';
    r.effects.push({ kind: 'death_notice', notice: n, outcome });
    return outcome;
  }
  r.markSeen(`death:${n.noticeId}`);
  member.diedOn = n.diedOn;
  member.covered = false;
  v.deaths.push({ idNumber: n.idNumber, diedOn: n.diedOn, noticeIds: [n.noticeId], sources: [n.source] });
  r.effects.push({ kind: 'death_notice', notice: n, outcome: 'applied' });
  r.record(now, 'death_recorded', by, undefined, {
    idNumber: n.idNumber,
    diedOn: n.diedOn,
    source: n.source,
  });
  if (r.closed) {
    recoverAfterClosure(c, n, now);
    return 'applied';
  }
  if (compareDates(n.diedOn, v.approvedOn) < 0) {
    beforeAdmission(c, n, now, by);
    return 'applied';
  }
  const after = addMonthsToYearMonth(monthOf(n.diedOn), 1);
  if (r.coveredPersons() === 0) {
    // One-person case: paid for the month of death, nothing after; later months are recovered.
    // R-O6: the closure is caused by whoever reported the death (staff, visit report, integration).
    ledger.close(now, by, 'death', after, `recipient died on ${n.diedOn} (R-M2)`);
    return 'applied';
  }
  if (v.category === 'extreme_poverty') {
    endSupport(c, n, now, by, maxMonth(after, v.startMonth));
    return 'applied';
  }
  const due = deathReviewDue(r.cal, n.diedOn, r.input.deadlines);
  r.openTaskToday(
    now,
    {
      taskId: `death-${n.idNumber}`,
      kind: 'death_review',
      due,
      subject: { idNumber: n.idNumber, diedOn: n.diedOn, summary: `death of ${member.name} on ${n.diedOn}` },
    },
    by,
  );
  return 'applied';
}

/**
 * R-M2: a death dated before the decision that admitted the household is no death in benefit: the
 * decision rested on a wrong household. A county check opens at once (no death review, which would
 * be overdue on the day it opens), and every month paid for the deceased is recoverable: a
 * one-person case closes from its first month, so all its rostered months are recovered; an
 * extreme-poverty person's support is taken back from the first month (R-E6).
 */
function beforeAdmission(
  c: CaseParts,
  n: DeathNotice,
  now: Date,
  by: DeathNotice['reportedBy'] | typeof SYSTEM,
) {
  const { record: r, ledger } = c;
  const v = r.view;
  r.record(now, 'death_before_admission', by ?? SYSTEM, `died ${n.diedOn}, admitted ${v.approvedOn} (R-M2)`, {
    idNumber: n.idNumber,
    diedOn: n.diedOn,
    approvedOn: v.approvedOn,
  });
  r.openTaskToday(
    now,
    {
      taskId: `admission-${n.idNumber}`,
      kind: 'data_check',
      due: comparisonCheckDue(r.cal, civilDateOf(now), r.input.deadlines),
      subject: {
        idNumber: n.idNumber,
        diedOn: n.diedOn,
        summary: `a member died on ${n.diedOn}, before the approval of ${v.approvedOn}: the admitted household did not exist (county check)`,
      },
    },
    by ?? SYSTEM,
  );
  if (r.coveredPersons() === 0) {
    ledger.close(
      now,
      by ?? SYSTEM,
      'death',
      v.startMonth,
      `the only recipient died on ${n.diedOn}, before admission (R-M2)`,
    );
  } else if (v.category === 'extreme_poverty') {
    // R-E6: the person's support was never due: every month paid for them is recovered.
    endSupport(c, n, now, by ?? SYSTEM, v.startMonth);
  }
}
