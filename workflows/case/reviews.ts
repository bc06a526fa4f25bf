import { addMonthsToYearMonth, civilDateOf, monthOf, type YearMonth } from '../../domain/dates';
import { compareMonths, rateFor } from '../../domain/entitlement';
import { isZero, toMoney } from '../../domain/money';
import { reaches } from '../../domain/region';
import { type CaseTask, FAILURE, type ReviewResultInput } from '../contracts';
import type { CaseParts } from './ledger';
import { applyMemberChange, checkMemberChange } from './members';
import { maxMonth, refuse } from './record';

// Staff results of a death review (R-M2), re-review (R-M4), data check (R-M6) or change review
// (R-M5): the only thing that changes the entitlement (R-A11). `check*` is the Update's validator.

/** Default month a result takes effect: death reviews from the month after death (R-M2), else the next unrostered month. */
function fromMonthOf({ record: r }: CaseParts, task: CaseTask, result: ReviewResultInput): YearMonth {
  if (result.fromMonth) return result.fromMonth;
  if (task.kind === 'death_review' && task.subject.diedOn)
    return maxMonth(addMonthsToYearMonth(monthOf(task.subject.diedOn), 1), r.view.startMonth);
  return r.view.nextMonth;
}

export function checkReviewResult(c: CaseParts, result: ReviewResultInput, _now: Date): void {
  const { record: r } = c;
  const status = r.view.status;
  const task = r.view.tasks.find((t) => t.taskId === result.taskId);
  if (!task) throw refuse(FAILURE.notFound, `case ${r.view.caseId} has no review ${result.taskId}`, status);
  if (task.result || task.closedOn)
    throw refuse(FAILURE.wrongStage, `review ${result.taskId} is already closed`, status);
  if (result.actor.role !== 'township_staff' && result.actor.role !== 'county_staff')
    throw refuse(FAILURE.wrongRole, 'review results are recorded by township or county staff', status);
  if (!reaches(result.actor.region, r.view.villageCode))
    throw refuse(FAILURE.wrongRole, `region ${result.actor.region} does not reach this case`, status);
  const invalid = (m: string) => refuse(FAILURE.invalidStep, m, status);
  if (result.outcome === 'adjust' && (!result.monthlyAmount || isZero(result.monthlyAmount)))
    throw invalid('an adjustment needs the new monthly amount (above zero; use stop to end the benefit)');
  if (result.outcome !== 'adjust' && result.monthlyAmount)
    throw invalid('monthlyAmount belongs to an adjustment only');
  if (result.outcome === 'fraud' && (!result.overpaidFromMonth || task.kind === 'death_review'))
    throw invalid('fraud needs overpaidFromMonth (from when the benefit was received wrongly)');
  if (result.outcome === 'suspend' && status !== 'active')
    throw invalid(`a ${status} case cannot be suspended`);
  if (result.outcome === 'resume' && status !== 'suspended') throw invalid('only a suspended case resumes');
  const from = fromMonthOf(c, task, result);
  if (compareMonths(from, r.view.startMonth) < 0) throw invalid(`fromMonth ${from} is before the case began`);
  if (result.overpaidFromMonth && compareMonths(result.overpaidFromMonth, r.view.startMonth) < 0)
    throw invalid(`overpaidFromMonth ${result.overpaidFromMonth} is before the case began`);
  if (result.members) {
    // R-M4 / R-M5: a re-review or change review may find the household changed; it then goes on.
    if (task.kind !== 're_review' && task.kind !== 'change_review')
      throw invalid('members change at a re-review or a change review (R-M4, R-M5)');
    if (result.outcome !== 'continue' && result.outcome !== 'adjust')
      throw invalid('a member change goes with continue or adjust');
    checkMemberChange(c, result.members);
  }
}

/** R-M2 / R-M4 / R-M6: a staff result is the only thing that changes the entitlement (R-A11). */
export function applyReviewResult(c: CaseParts, result: ReviewResultInput, now: Date): void {
  const { record: r, ledger } = c;
  const v = r.view;
  const task = v.tasks.find((t) => t.taskId === result.taskId)!;
  const today = civilDateOf(now);
  task.result = {
    outcome: result.outcome,
    by: result.actor.sub,
    on: today,
    reasons: result.reasons,
    monthlyAmount: result.monthlyAmount,
  };
  task.closedOn = today;
  r.record(now, `${task.kind}_result`, result.actor, result.reasons, {
    taskId: task.taskId,
    outcome: result.outcome,
    monthlyAmount: result.monthlyAmount,
  });
  if (result.members) applyMemberChange(c, result.members, result.actor, now);
  const from = fromMonthOf(c, task, result);
  const persons = r.coveredPersons();
  const current = rateFor(v.rates, from)?.monthlyAmount ?? v.monthlyAmount;
  switch (result.outcome) {
    case 'continue':
      if (persons !== v.persons)
        ledger.changeRate(now, result.actor, from, current, persons, result.reasons, task.taskId);
      break;
    case 'adjust':
      ledger.changeRate(
        now,
        result.actor,
        from,
        toMoney(result.monthlyAmount!),
        persons,
        result.reasons,
        task.taskId,
      );
      break;
    case 'suspend':
      v.status = 'suspended';
      ledger.addRate(from, '0.00', persons, `suspended: ${result.reasons}`, `suspend:${task.taskId}`);
      ledger.notice(now, result.actor, 'suspension', result.reasons);
      break;
    case 'resume': {
      const before = [...v.rates].reverse().find((e) => !isZero(e.monthlyAmount));
      v.status = 'active';
      ledger.addRate(
        from,
        before?.monthlyAmount ?? v.monthlyAmount,
        persons,
        `resumed: ${result.reasons}`,
        `resume:${task.taskId}`,
      );
      break;
    }
    case 'stop':
      ledger.close(
        now,
        result.actor,
        task.kind === 'data_check' ? 'check_stop' : 'review_stop',
        from,
        result.reasons,
      );
      break;
    case 'fraud':
      // R-M5: stop, recover what was received wrongly, refer the case.
      ledger.close(now, result.actor, 'fraud', from, result.reasons, result.overpaidFromMonth);
      r.record(now, 'referred', result.actor, result.reasons, {
        overpaidFromMonth: result.overpaidFromMonth,
      });
      break;
  }
}
