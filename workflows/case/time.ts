import type { YearCalendar } from '../../domain/calendar';
import {
  addMonths,
  addMonthsToYearMonth,
  civilDateOf,
  compareDates,
  endOfCivilDay,
  startOfCivilDay,
} from '../../domain/dates';
import {
  actionDeadlineAfterDays,
  atRiskDate,
  comparisonCheckDue,
  deathReviewDue,
  reviewDue,
} from '../../domain/deadlines';
import { compareMonths, type RosteredMonth, rateFor, rosterCutoff } from '../../domain/entitlement';
import type { CaseParts } from './ledger';
import { SYSTEM } from './record';

// The passage of time in a case: each month reaches its roster cut-off (R-M1), the periodic
// re-review opens (R-M4, R-O1), tasks are flagged at risk and overdue (R-A6, R-O3), and a calendar
// published later moves provisional deadlines (R-T2).

/** Months kept in the running state for settlements (older ones are in Postgres). */
const ROSTER_MEMORY = 48;

/** Applies the passage of time: months reach their roster, re-reviews open, tasks are flagged. */
export function tick(c: CaseParts, now: Date): void {
  const { record: r } = c;
  const today = civilDateOf(now);
  while (!r.closed && compareDates(rosterCutoff(r.cal, r.view.nextMonth, r.input.deadlines), today) <= 0)
    rosterMonth(c, now);
  if (!r.closed && compareDates(r.view.nextReviewOn, today) <= 0) openReReview(c, now);
  for (const t of r.openTasks()) {
    if (!t.atRisk && compareDates(t.atRiskOn, today) <= 0) {
      t.atRisk = true;
      r.effects.push({ kind: 'alert', task: t, flag: 'at_risk' });
    }
    if (!t.overdue && compareDates(t.due.date, today) < 0) {
      t.overdue = true;
      r.effects.push({ kind: 'alert', task: t, flag: 'overdue' });
    }
  }
}

/** The next instant a roster cut-off, a re-review or a task flag falls due. */
export function nextWakeUp({ record: r }: CaseParts, now: Date): Date | undefined {
  if (r.closed) return undefined;
  const instants = [
    startOfCivilDay(rosterCutoff(r.cal, r.view.nextMonth, r.input.deadlines)),
    startOfCivilDay(r.view.nextReviewOn),
  ];
  for (const t of r.openTasks()) {
    if (!t.atRisk) instants.push(startOfCivilDay(t.atRiskOn));
    if (!t.overdue) instants.push(endOfCivilDay(t.due.date));
  }
  const sorted = instants.sort((a, b) => a.getTime() - b.getTime());
  const first = sorted[0];
  return first && first.getTime() <= now.getTime() ? now : first;
}

/** R-M1: the month is handed to the payroll with the amount due under the rate then in force. */
function rosterMonth({ record: r, ledger }: CaseParts, now: Date) {
  const v = r.view;
  const month = v.nextMonth;
  const rate = rateFor(v.rates, month);
  const taper = v.taper;
  const inTaper =
    taper && compareMonths(month, taper.firstMonth) >= 0 && compareMonths(month, taper.lastMonth) <= 0;
  const status = v.status === 'suspended' ? 'suspended' : inTaper ? 'taper' : 'regular';
  const rostered: RosteredMonth = {
    month,
    amount: status === 'suspended' ? '0.00' : (rate?.monthlyAmount ?? '0.00'),
    persons: rate?.persons ?? v.persons,
    status,
  };
  v.rostered.push(rostered);
  if (v.rostered.length > ROSTER_MEMORY) v.rostered.shift();
  r.effects.push({ kind: 'month', month: rostered });
  v.nextMonth = addMonthsToYearMonth(month, 1);
  // R-M3: the last taper payment is rostered; the household exits from the month after.
  if (taper && month === taper.lastMonth) {
    ledger.close(
      now,
      SYSTEM,
      'taper_exit',
      v.nextMonth,
      `income above the standard since ${taper.reportedOn}; ${v.policy.taperPayments} taper payments made (R-M3)`,
    );
  }
}

/**
 * R-M4: the periodic re-review opens; the household is checked against the close-relative roster
 * and a close-relative case is filed again whatever it finds (R-O1).
 */
function openReReview({ record: r }: CaseParts, now: Date) {
  const v = r.view;
  const opened = v.nextReviewOn;
  v.nextReviewOn = addMonths(opened, v.reviewIntervalMonths);
  if (r.openTasks().some((t) => t.kind === 're_review')) return;
  const { target, latest } = reviewDue(r.cal, opened, r.input.deadlines);
  const since = addMonths(opened, -v.reviewIntervalMonths);
  const changed = v.tasks.some(
    (t) => t.kind !== 're_review' && compareDates(t.openedOn, since) >= 0 && t.result?.outcome !== 'continue',
  );
  r.openTask(now, {
    taskId: `re-review-${opened}`,
    kind: 're_review',
    openedOn: opened,
    due: latest,
    atRiskOn: target.date,
    subject: { summary: `periodic re-review (every ${v.reviewIntervalMonths} months)` },
    simplified: !v.unstableIncome && !changed,
  });
  r.effects.push({
    kind: 'filing',
    occasion: `re_review:${opened}`,
    on: opened,
    by: 'system',
    ...(v.closeRelative ? {} : { rosterOnly: true }),
  });
}

/**
 * R-T2: a year's calendar arrives — a new year, or a correction of a known one (the State Council has
 * moved holidays before): every open task is counted again from its own start on the new calendar.
 */
export function applyCalendar({ record: r }: CaseParts, year: YearCalendar, now: Date): void {
  r.cal = r.cal.withYear(year);
  // A correction replaces the year carried so far (continue-as-new rebuilds the calendar from it).
  const years = r.input.runtimeYears.filter((y) => y.year !== year.year);
  r.input.runtimeYears.splice(0, r.input.runtimeYears.length, ...years, year);
  const today = civilDateOf(now);
  const warn = r.input.deadlines.atRiskWorkingDays;
  for (const t of r.openTasks()) {
    const from = t.dueFrom ?? t.openedOn;
    if (t.kind === 're_review') {
      const { target, latest } = reviewDue(r.cal, t.openedOn, r.input.deadlines);
      t.due = latest;
      t.atRiskOn = target.date;
    } else {
      t.due =
        t.kind === 'death_review'
          ? deathReviewDue(r.cal, t.subject.diedOn!, r.input.deadlines)
          : t.kind === 'data_check'
            ? comparisonCheckDue(r.cal, from, r.input.deadlines)
            : actionDeadlineAfterDays(r.cal, from, r.input.deadlines.changeReviewDays);
      const days = t.kind === 'data_check' ? Math.min(3, warn) : warn;
      t.atRiskOn = atRiskDate(r.cal, t.due, days, t.openedOn).date;
    }
    // A later date takes back a flag raised on the earlier one.
    if (compareDates(t.atRiskOn, today) > 0) t.atRisk = false;
    if (compareDates(t.due.date, today) >= 0) t.overdue = false;
  }
  r.record(now, 'calendar_updated', SYSTEM, undefined, { year: year.year });
}
