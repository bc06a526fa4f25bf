import { addMonthsToYearMonth, civilDateOf, monthOf, type YearMonth } from '../../domain/dates';
import { compareMonths, rateFor } from '../../domain/entitlement';
import { isZero, toMoney } from '../../domain/money';
import { reaches } from '../../domain/region';
import { type CaseTask, FAILURE, type ReviewResultInput } from '../contracts';
import { refuse } from './core';
import type { CaseLedger } from './ledger';
import { applyMemberChange, checkMemberChange } from './members';

// Staff results of a death review (R-M2), re-review (R-M4), data check (R-M6) or change review
// (R-M5): the only thing that changes the entitlement (R-A11). `check*` is the Update's validator.

/** Default month a result takes effect: death reviews from the month after death (R-M2), else the next unrostered month. */
function fromMonthOf(s: CaseLedger, task: CaseTask, r: ReviewResultInput): YearMonth {
  if (r.fromMonth) return r.fromMonth;
  if (task.kind === 'death_review' && task.subject.diedOn)
    return s.maxMonth(addMonthsToYearMonth(monthOf(task.subject.diedOn), 1), s.view.startMonth);
  return s.view.nextMonth;
}

export function checkReviewResult(s: CaseLedger, r: ReviewResultInput, _now: Date): void {
  const status = s.view.status;
  const task = s.view.tasks.find((t) => t.taskId === r.taskId);
  if (!task) throw refuse(FAILURE.notFound, `case ${s.view.caseId} has no review ${r.taskId}`, status);
  if (task.result || task.closedOn)
    throw refuse(FAILURE.wrongStage, `review ${r.taskId} is already closed`, status);
  if (r.actor.role !== 'township_staff' && r.actor.role !== 'county_staff')
    throw refuse(FAILURE.wrongRole, 'review results are recorded by township or county staff', status);
  if (!reaches(r.actor.region, s.view.villageCode))
    throw refuse(FAILURE.wrongRole, `region ${r.actor.region} does not reach this case`, status);
  const invalid = (m: string) => refuse(FAILURE.invalidStep, m, status);
  if (r.outcome === 'adjust' && (!r.monthlyAmount || isZero(r.monthlyAmount)))
    throw invalid('an adjustment needs the new monthly amount (above zero; use stop to end the benefit)');
  if (r.outcome !== 'adjust' && r.monthlyAmount) throw invalid('monthlyAmount belongs to an adjustment only');
  if (r.outcome === 'fraud' && (!r.overpaidFromMonth || task.kind === 'death_review'))
    throw invalid('fraud needs overpaidFromMonth (from when the benefit was received wrongly)');
  if (r.outcome === 'suspend' && status !== 'active') throw invalid(`a ${status} case cannot be suspended`);
  if (r.outcome === 'resume' && status !== 'suspended') throw invalid('only a suspended case resumes');
  const from = fromMonthOf(s, task, r);
  if (compareMonths(from, s.view.startMonth) < 0) throw invalid(`fromMonth ${from} is before the case began`);
  if (r.overpaidFromMonth && compareMonths(r.overpaidFromMonth, s.view.startMonth) < 0)
    throw invalid(`overpaidFromMonth ${r.overpaidFromMonth} is before the case began`);
  if (r.members) {
    // R-M4 / R-M5: a re-review or change review may find the household changed; it then goes on.
    if (task.kind !== 're_review' && task.kind !== 'change_review')
      throw invalid('members change at a re-review or a change review (R-M4, R-M5)');
    if (r.outcome !== 'continue' && r.outcome !== 'adjust')
      throw invalid('a member change goes with continue or adjust');
    checkMemberChange(s, r.members);
  }
}

/** R-M2 / R-M4 / R-M6: a staff result is the only thing that changes the entitlement (R-A11). */
export function applyReviewResult(s: CaseLedger, r: ReviewResultInput, now: Date): void {
  const v = s.view;
  const task = v.tasks.find((t) => t.taskId === r.taskId)!;
  const today = civilDateOf(now);
  task.result = {
    outcome: r.outcome,
    by: r.actor.sub,
    on: today,
    reasons: r.reasons,
    monthlyAmount: r.monthlyAmount,
  };
  task.closedOn = today;
  s.record(now, `${task.kind}_result`, r.actor, r.reasons, {
    taskId: task.taskId,
    outcome: r.outcome,
    monthlyAmount: r.monthlyAmount,
  });
  if (r.members) applyMemberChange(s, r.members, r.actor, now);
  const from = fromMonthOf(s, task, r);
  const persons = s.coveredPersons();
  const current = rateFor(v.rates, from)?.monthlyAmount ?? v.monthlyAmount;
  switch (r.outcome) {
    case 'continue':
      if (persons !== v.persons) s.changeRate(now, r.actor, from, current, persons, r.reasons, task.taskId);
      break;
    case 'adjust':
      s.changeRate(now, r.actor, from, toMoney(r.monthlyAmount!), persons, r.reasons, task.taskId);
      break;
    case 'suspend':
      v.status = 'suspended';
      s.addRate(from, '0.00', persons, `suspended: ${r.reasons}`, `suspend:${task.taskId}`);
      s.notice(now, r.actor, 'suspension', r.reasons);
      break;
    case 'resume': {
      const before = [...v.rates].reverse().find((e) => !isZero(e.monthlyAmount));
      v.status = 'active';
      s.addRate(
        from,
        before?.monthlyAmount ?? v.monthlyAmount,
        persons,
        `resumed: ${r.reasons}`,
        `resume:${task.taskId}`,
      );
      break;
    }
    case 'stop':
      s.close(now, r.actor, task.kind === 'data_check' ? 'check_stop' : 'review_stop', from, r.reasons);
      break;
    case 'fraud':
      // R-M5: stop, recover what was received wrongly, refer the case.
      s.close(now, r.actor, 'fraud', from, r.reasons, r.overpaidFromMonth);
      s.record(now, 'referred', r.actor, r.reasons, { overpaidFromMonth: r.overpaidFromMonth });
      break;
  }
}
