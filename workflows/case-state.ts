import { ApplicationFailure } from '@temporalio/common';
import { patched } from '@temporalio/workflow';
import { type Deadline, WorkingCalendar, type YearCalendar } from '../domain/calendar';
import {
  addMonths,
  addMonthsToYearMonth,
  type CivilDate,
  civilDateOf,
  compareDates,
  endOfCivilDay,
  monthOf,
  startOfCivilDay,
  type YearMonth,
} from '../domain/dates';
import {
  actionDeadlineAfterDays,
  atRiskDate,
  comparisonCheckDue,
  deathReviewDue,
  reviewDue,
} from '../domain/deadlines';
import {
  amountAfterStandardChange,
  compareMonths,
  type RateEntry,
  type RosteredMonth,
  rateFor,
  rosterCutoff,
  settle,
  taperMonths,
} from '../domain/entitlement';
import { compare, isZero, type Money, toMoney } from '../domain/money';
import type { PolicyParameters } from '../domain/policy';
import { reaches } from '../domain/region';
import type { Actor } from '../domain/roles';
import {
  type Adjustment,
  type CaseHistoryEntry,
  type CaseInput,
  type CaseTask,
  type CaseView,
  type ChangeReportInput,
  type CloseReason,
  type ComparisonHit,
  type DeathNotice,
  FAILURE,
  type ReviewResultInput,
} from './messages';

// A case in benefit and its rules (R-M2 … R-M9), apart from the workflow function. `check*` never
// mutate (update validators); `apply*` mutate and queue the effects the workflow then carries out
// through activities, in order. Time always comes in as an argument (workflow time).

export type CaseEffect =
  | { kind: 'rate'; entry: RateEntry }
  | { kind: 'month'; month: RosteredMonth }
  | { kind: 'adjustment'; adjustment: Adjustment }
  | {
      kind: 'notice';
      notice: 'stop' | 'reduction' | 'suspension';
      reasons: string;
      on: CivilDate;
      by: string;
    }
  | { kind: 'alert'; task: CaseTask; flag: 'at_risk' | 'overdue' }
  | { kind: 'filing'; occasion: string; on: CivilDate; by: string }
  | { kind: 'death_outcome'; noticeId: string; outcome: 'applied' | 'duplicate' | 'not_member' };

const SYSTEM = { sub: 'system', role: 'system' } as const;
/** Months kept in the running state for settlements (older ones are in Postgres). */
const ROSTER_MEMORY = 48;
const HISTORY_MEMORY = 200;

const refuse = (type: string, message: string, status: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ stage: status }] });

export class CaseState {
  private cal: WorkingCalendar;
  readonly view: CaseView;
  effects: CaseEffect[] = [];
  unsaved: CaseHistoryEntry[] = [];

  constructor(
    readonly input: CaseInput,
    now: Date,
  ) {
    this.cal = input.runtimeYears.reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
    if (input.carried) {
      this.view = input.carried;
      return;
    }
    const persons = input.members.filter((m) => m.covered).length;
    const interval = input.unstableIncome
      ? input.policy.review.unstableIncomeIntervalMonths
      : input.policy.review.intervalMonths;
    this.view = {
      caseId: input.caseId,
      applicationId: input.applicationId,
      category: input.category,
      villageCode: input.villageCode,
      residence: input.residence,
      status: 'active',
      members: input.members,
      approvedOn: input.approvedOn,
      startMonth: input.startMonth,
      monthlyAmount: input.monthlyAmount,
      persons,
      policy: input.policy,
      appliedPolicyVersions: [input.policy.version],
      rates: [],
      rostered: [],
      nextMonth: input.startMonth,
      adjustments: [],
      tasks: [],
      nextReviewOn: addMonths(input.approvedOn, interval),
      reviewIntervalMonths: interval,
      unstableIncome: input.unstableIncome,
      closeRelative: input.closeRelative,
      deaths: [],
      seen: [],
      notices: [],
      history: [],
      historyCount: 0,
      revision: 0,
    };
    // R-A8: the approval's rate, from the start month.
    this.addRate(input.startMonth, input.monthlyAmount, persons, 'approval (R-A8)', 'approval');
    this.record(now, 'case_opened', { sub: input.approvedBy, role: 'county_staff' } as Actor, undefined, {
      monthlyAmount: input.monthlyAmount,
      startMonth: input.startMonth,
      persons,
    });
  }

  get closed(): boolean {
    return this.view.status === 'closed';
  }

  openTasks(): CaseTask[] {
    return this.view.tasks.filter((t) => !t.result && !t.closedOn);
  }

  // ---- time (R-M1 roster cut-off, R-M4 re-review, task flags)

  /** Applies the passage of time: months reach their roster, re-reviews open, tasks are flagged. */
  tick(now: Date): void {
    const today = civilDateOf(now);
    while (
      !this.closed &&
      compareDates(rosterCutoff(this.cal, this.view.nextMonth, this.input.deadlines), today) <= 0
    )
      this.rosterMonth(now);
    if (!this.closed && compareDates(this.view.nextReviewOn, today) <= 0) this.openReReview(now);
    for (const t of this.openTasks()) {
      if (!t.atRisk && compareDates(t.atRiskOn, today) <= 0) {
        t.atRisk = true;
        this.effects.push({ kind: 'alert', task: t, flag: 'at_risk' });
      }
      if (!t.overdue && compareDates(t.due.date, today) < 0) {
        t.overdue = true;
        this.effects.push({ kind: 'alert', task: t, flag: 'overdue' });
      }
    }
  }

  /** The next instant a roster cut-off, a re-review or a task flag falls due. */
  nextWakeUp(now: Date): Date | undefined {
    if (this.closed) return undefined;
    const instants = [
      startOfCivilDay(rosterCutoff(this.cal, this.view.nextMonth, this.input.deadlines)),
      startOfCivilDay(this.view.nextReviewOn),
    ];
    for (const t of this.openTasks()) {
      if (!t.atRisk) instants.push(startOfCivilDay(t.atRiskOn));
      if (!t.overdue) instants.push(endOfCivilDay(t.due.date));
    }
    const sorted = instants.sort((a, b) => a.getTime() - b.getTime());
    const first = sorted[0];
    return first && first.getTime() <= now.getTime() ? now : first;
  }

  /** R-M1: the month is handed to the payroll with the amount due under the rate then in force. */
  private rosterMonth(now: Date) {
    const month = this.view.nextMonth;
    const rate = rateFor(this.view.rates, month);
    const taper = this.view.taper;
    const inTaper =
      taper && compareMonths(month, taper.firstMonth) >= 0 && compareMonths(month, taper.lastMonth) <= 0;
    const status = this.view.status === 'suspended' ? 'suspended' : inTaper ? 'taper' : 'regular';
    const rostered: RosteredMonth = {
      month,
      amount: status === 'suspended' ? '0.00' : (rate?.monthlyAmount ?? '0.00'),
      persons: rate?.persons ?? this.view.persons,
      status,
    };
    this.view.rostered.push(rostered);
    if (this.view.rostered.length > ROSTER_MEMORY) this.view.rostered.shift();
    this.effects.push({ kind: 'month', month: rostered });
    this.view.nextMonth = addMonthsToYearMonth(month, 1);
    // R-M3: the last taper payment is rostered; the household exits from the month after.
    if (taper && month === taper.lastMonth) {
      this.close(
        now,
        SYSTEM,
        'taper_exit',
        this.view.nextMonth,
        `income above the standard since ${taper.reportedOn}; ${this.view.policy.taperPayments} taper payments made (R-M3)`,
      );
    }
  }

  /** R-M4: the periodic re-review opens; close-relative cases are filed again (R-O1). */
  private openReReview(now: Date) {
    const opened = this.view.nextReviewOn;
    this.view.nextReviewOn = addMonths(opened, this.view.reviewIntervalMonths);
    if (this.openTasks().some((t) => t.kind === 're_review')) return;
    const { target, latest } = reviewDue(this.cal, opened, this.input.deadlines);
    const since = addMonths(opened, -this.view.reviewIntervalMonths);
    const changed = this.view.tasks.some(
      (t) =>
        t.kind !== 're_review' && compareDates(t.openedOn, since) >= 0 && t.result?.outcome !== 'continue',
    );
    const task = this.openTask(now, {
      taskId: `re-review-${opened}`,
      kind: 're_review',
      openedOn: opened,
      due: latest,
      atRiskOn: target.date,
      subject: { summary: `periodic re-review (every ${this.view.reviewIntervalMonths} months)` },
      simplified: !this.view.unstableIncome && !changed,
    });
    if (this.view.closeRelative)
      this.effects.push({ kind: 'filing', occasion: `re_review:${opened}`, on: opened, by: 'system' });
    return task;
  }

  // ---- events

  /** R-M2: a death, from whichever source; the same death twice is one event. */
  applyDeath(n: DeathNotice, now: Date): void {
    // The same notice id again (a resend) has no effect at all: its outcome is already recorded.
    if (this.view.seen.includes(`death:${n.noticeId}`)) return;
    const member = this.view.members.find((m) => m.idNumber === n.idNumber);
    const known = this.view.deaths.find((d) => d.idNumber === n.idNumber);
    if (known || !member) {
      if (known && !known.noticeIds.includes(n.noticeId)) {
        known.noticeIds.push(n.noticeId);
        if (!known.sources.includes(n.source)) known.sources.push(n.source);
        this.record(now, 'death_notice_duplicate', SYSTEM, undefined, {
          noticeId: n.noticeId,
          source: n.source,
          diedOn: n.diedOn,
          recordedDiedOn: known.diedOn,
        });
        // Two sources disagree on the date of death: staff check it (R-M2 counts from that date).
        if (n.diedOn !== known.diedOn && !this.closed && patched('death-date-conflict-check')) {
          const due = comparisonCheckDue(this.cal, civilDateOf(now), this.input.deadlines);
          this.openTaskToday(now, {
            taskId: `death-date-${n.noticeId}`,
            kind: 'data_check',
            due,
            subject: {
              idNumber: n.idNumber,
              diedOn: known.diedOn,
              summary: `date of death ${known.diedOn} recorded, ${n.diedOn} reported by ${n.source} (${n.noticeId})`,
            },
          });
        }
      }
      this.markSeen(`death:${n.noticeId}`);
      this.effects.push({
        kind: 'death_outcome',
        noticeId: n.noticeId,
        outcome: member ? 'duplicate' : 'not_member',
      });
      return;
    }
    this.markSeen(`death:${n.noticeId}`);
    member.diedOn = n.diedOn;
    member.covered = false;
    this.view.deaths.push({
      idNumber: n.idNumber,
      diedOn: n.diedOn,
      noticeIds: [n.noticeId],
      sources: [n.source],
    });
    this.effects.push({ kind: 'death_outcome', noticeId: n.noticeId, outcome: 'applied' });
    this.record(now, 'death_recorded', SYSTEM, undefined, {
      idNumber: n.idNumber,
      diedOn: n.diedOn,
      source: n.source,
    });
    if (this.closed) return;
    const after = addMonthsToYearMonth(monthOf(n.diedOn), 1);
    const covered = this.view.members.filter((m) => m.covered).length;
    if (covered === 0) {
      // One-person case: paid for the month of death, nothing after; later months are recovered.
      this.close(now, SYSTEM, 'death', after, `recipient died on ${n.diedOn} (R-M2)`);
      return;
    }
    const due = deathReviewDue(this.cal, n.diedOn, this.input.deadlines);
    this.openTaskToday(now, {
      taskId: `death-${n.idNumber}`,
      kind: 'death_review',
      due,
      subject: { idNumber: n.idNumber, diedOn: n.diedOn, summary: `death of ${member.name} on ${n.diedOn}` },
    });
  }

  /** R-M6: a hit opens a check due in 14 days; it never changes the entitlement by itself (R-A11). */
  applyHit(h: ComparisonHit, now: Date): void {
    if (this.view.seen.includes(`hit:${h.hitId}`)) return;
    this.markSeen(`hit:${h.hitId}`);
    this.record(now, 'comparison_hit', SYSTEM, undefined, {
      hitId: h.hitId,
      kind: h.kind,
      idNumber: h.idNumber,
      source: h.source,
    });
    if (this.closed) return;
    const due = comparisonCheckDue(this.cal, h.detectedOn, this.input.deadlines);
    this.openTaskToday(now, {
      taskId: `check-${h.hitId}`,
      kind: 'data_check',
      due,
      subject: {
        idNumber: h.idNumber,
        hitKind: h.kind,
        summary: `${h.kind} reported by ${h.source}: ${h.details}`,
      },
    });
  }

  checkChange(c: ChangeReportInput, now: Date): void {
    if (this.closed) throw refuse(FAILURE.wrongStage, `case ${this.view.caseId} is closed`, this.view.status);
    if (c.actor.role !== 'township_staff')
      throw refuse(
        FAILURE.wrongRole,
        'change reports are recorded by township staff (R-M5)',
        this.view.status,
      );
    if (!reaches(c.actor.region, this.view.villageCode))
      throw refuse(FAILURE.wrongRole, `region ${c.actor.region} does not reach this case`, this.view.status);
    if (compareDates(c.reportedOn, civilDateOf(now)) > 0)
      throw refuse(FAILURE.invalidStep, `reportedOn ${c.reportedOn} is in the future`, this.view.status);
  }

  /** R-M5 / R-M3: a change report; employment above the standard starts the taper. */
  applyChange(c: ChangeReportInput, now: Date): void {
    if (this.view.seen.includes(`change:${c.changeId}`) || this.closed) return;
    this.markSeen(`change:${c.changeId}`);
    this.record(now, 'change_reported', c.actor, c.summary, {
      changeId: c.changeId,
      kind: c.kind,
      perCapitaIncome: c.perCapitaIncome,
      viaVisitReport: c.viaVisitReport,
    });
    const standard = this.standard(this.view.policy);
    const above = c.perCapitaIncome !== undefined && compare(c.perCapitaIncome, standard) >= 0;
    if (this.view.status === 'tapering' && c.perCapitaIncome !== undefined && !above) {
      // R-M3: income fell back below the standard during the taper: the taper ends, the case goes on.
      this.view.taper = undefined;
      this.view.status = 'active';
      this.record(
        now,
        'taper_ended',
        c.actor,
        `per-capita income ${c.perCapitaIncome} below the standard ${standard}`,
      );
      return;
    }
    if (c.kind === 'employment' && above && this.view.status === 'active') {
      const t = taperMonths(c.reportedOn, this.view.policy.taperPayments);
      if (this.view.policy.taperPayments === 0 || compareMonths(t.lastMonth, this.view.nextMonth) < 0) {
        this.close(
          now,
          c.actor,
          'taper_exit',
          this.maxMonth(t.exitMonth, this.view.nextMonth),
          `employment lifts per-capita income to ${c.perCapitaIncome} (R-M3)`,
        );
        return;
      }
      this.view.taper = {
        changeId: c.changeId,
        reportedOn: c.reportedOn,
        firstMonth: t.firstMonth,
        lastMonth: t.lastMonth,
      };
      this.view.status = 'tapering';
      this.record(
        now,
        'taper_started',
        c.actor,
        `employment lifts per-capita income to ${c.perCapitaIncome}, above the standard ${standard} (R-M3)`,
        t,
      );
      return;
    }
    const due = actionDeadlineAfterDays(this.cal, c.reportedOn, this.input.deadlines.changeReviewDays);
    this.openTaskToday(now, {
      taskId: `change-${c.changeId}`,
      kind: 'change_review',
      due,
      subject: { changeKind: c.kind, summary: c.summary },
    });
  }

  checkReviewResult(r: ReviewResultInput, _now: Date): void {
    const status = this.view.status;
    const task = this.view.tasks.find((t) => t.taskId === r.taskId);
    if (!task) throw refuse(FAILURE.notFound, `case ${this.view.caseId} has no review ${r.taskId}`, status);
    if (task.result || task.closedOn)
      throw refuse(FAILURE.wrongStage, `review ${r.taskId} is already closed`, status);
    if (r.actor.role !== 'township_staff' && r.actor.role !== 'county_staff')
      throw refuse(FAILURE.wrongRole, 'review results are recorded by township or county staff', status);
    if (!reaches(r.actor.region, this.view.villageCode))
      throw refuse(FAILURE.wrongRole, `region ${r.actor.region} does not reach this case`, status);
    const invalid = (m: string) => refuse(FAILURE.invalidStep, m, status);
    if (r.outcome === 'adjust' && (!r.monthlyAmount || isZero(r.monthlyAmount)))
      throw invalid('an adjustment needs the new monthly amount (above zero; use stop to end the benefit)');
    if (r.outcome !== 'adjust' && r.monthlyAmount)
      throw invalid('monthlyAmount belongs to an adjustment only');
    if (r.outcome === 'fraud' && (!r.overpaidFromMonth || task.kind === 'death_review'))
      throw invalid('fraud needs overpaidFromMonth (from when the benefit was received wrongly)');
    if (r.outcome === 'suspend' && status !== 'active') throw invalid(`a ${status} case cannot be suspended`);
    if (r.outcome === 'resume' && status !== 'suspended') throw invalid('only a suspended case resumes');
    const from = this.fromMonthOf(task, r);
    if (compareMonths(from, this.view.startMonth) < 0)
      throw invalid(`fromMonth ${from} is before the case began`);
    if (r.overpaidFromMonth && compareMonths(r.overpaidFromMonth, this.view.startMonth) < 0)
      throw invalid(`overpaidFromMonth ${r.overpaidFromMonth} is before the case began`);
  }

  /** R-M2 / R-M4 / R-M6: a staff result is the only thing that changes the entitlement (R-A11). */
  applyReviewResult(r: ReviewResultInput, now: Date): void {
    const task = this.view.tasks.find((t) => t.taskId === r.taskId)!;
    const today = civilDateOf(now);
    task.result = {
      outcome: r.outcome,
      by: r.actor.sub,
      on: today,
      reasons: r.reasons,
      monthlyAmount: r.monthlyAmount,
    };
    task.closedOn = today;
    this.record(now, `${task.kind}_result`, r.actor, r.reasons, {
      taskId: task.taskId,
      outcome: r.outcome,
      monthlyAmount: r.monthlyAmount,
    });
    const from = this.fromMonthOf(task, r);
    const persons = this.view.members.filter((m) => m.covered).length;
    const current = rateFor(this.view.rates, from)?.monthlyAmount ?? this.view.monthlyAmount;
    switch (r.outcome) {
      case 'continue':
        if (persons !== this.view.persons)
          this.changeRate(now, r.actor, from, current, persons, r.reasons, task.taskId);
        break;
      case 'adjust':
        this.changeRate(now, r.actor, from, toMoney(r.monthlyAmount!), persons, r.reasons, task.taskId);
        break;
      case 'suspend':
        this.view.status = 'suspended';
        this.addRate(from, '0.00', persons, `suspended: ${r.reasons}`, `suspend:${task.taskId}`);
        this.notice(now, r.actor, 'suspension', r.reasons);
        break;
      case 'resume': {
        const before = [...this.view.rates].reverse().find((e) => !isZero(e.monthlyAmount));
        this.view.status = 'active';
        this.addRate(
          from,
          before?.monthlyAmount ?? this.view.monthlyAmount,
          persons,
          `resumed: ${r.reasons}`,
          `resume:${task.taskId}`,
        );
        break;
      }
      case 'stop':
        this.close(now, r.actor, task.kind === 'data_check' ? 'check_stop' : 'review_stop', from, r.reasons);
        break;
      case 'fraud':
        // R-M5: stop, recover what was received wrongly, refer the case.
        this.close(now, r.actor, 'fraud', from, r.reasons, r.overpaidFromMonth);
        this.record(now, 'referred', r.actor, r.reasons, { overpaidFromMonth: r.overpaidFromMonth });
        break;
    }
  }

  /** R-M8: the county's standard changed from a month (possibly past); a repeated change is a no-op. */
  applyStandardChange(policy: PolicyParameters, now: Date): void {
    if (this.view.appliedPolicyVersions.includes(policy.version)) return;
    if (policy.countyCode !== this.view.policy.countyCode) return;
    this.view.appliedPolicyVersions.push(policy.version);
    if (policy.effectiveFrom < this.view.policy.effectiveFrom) {
      // An older version arriving late changes nothing: the newer one already applies.
      this.record(now, 'standard_ignored', SYSTEM, 'older than the standard in force', {
        version: policy.version,
      });
      return;
    }
    const before = this.view.policy;
    this.view.policy = policy;
    this.record(now, 'standard_changed', SYSTEM, undefined, {
      version: policy.version,
      effectiveFrom: policy.effectiveFrom,
    });
    const oldStd = this.standard(before);
    const newStd = this.standard(policy);
    if (this.closed || this.view.category === 'marginal' || compare(oldStd, newStd) === 0) return;
    const eff = this.maxMonth(monthOf(policy.effectiveFrom), this.view.startMonth);
    const oldRates = [...this.view.rates];
    const moved = (e: RateEntry) => amountAfterStandardChange(e.monthlyAmount, oldStd, newStd, e.persons);
    const atEff = rateFor(oldRates, eff);
    if (atEff && atEff.fromMonth !== eff && !isZero(atEff.monthlyAmount))
      this.addRate(
        eff,
        moved(atEff),
        atEff.persons,
        `standard ${policy.version} (R-M8)`,
        `standard:${policy.version}`,
      );
    for (const e of oldRates)
      if (compareMonths(e.fromMonth, eff) >= 0 && !isZero(e.monthlyAmount))
        this.addRate(
          e.fromMonth,
          moved(e),
          e.persons,
          `standard ${policy.version} (R-M8)`,
          `standard:${policy.version}`,
        );
    this.settleSince(
      now,
      eff,
      `standard ${policy.version} from ${eff} (R-M8)`,
      `standard:${policy.version}`,
      policy.version,
    );
  }

  applyCalendar(year: YearCalendar, now: Date): void {
    this.cal = this.cal.withYear(year);
    if (!this.input.runtimeYears.some((y) => y.year === year.year)) this.input.runtimeYears.push(year);
    for (const t of this.openTasks()) {
      if (!t.due.provisional) continue;
      const basis =
        t.kind === 'death_review'
          ? deathReviewDue(this.cal, t.subject.diedOn!, this.input.deadlines)
          : t.kind === 'data_check'
            ? comparisonCheckDue(this.cal, t.openedOn, this.input.deadlines)
            : t.kind === 're_review'
              ? reviewDue(this.cal, t.openedOn, this.input.deadlines).latest
              : actionDeadlineAfterDays(this.cal, t.openedOn, this.input.deadlines.changeReviewDays);
      t.due = basis;
    }
    this.record(now, 'calendar_updated', SYSTEM, undefined, { year: year.year });
  }

  // ---- helpers

  private standard(p: PolicyParameters): Money {
    if (this.view.category === 'extreme_poverty')
      return this.view.residence === 'urban'
        ? p.extremePoverty.basicSupportUrban
        : p.extremePoverty.basicSupportRural;
    return this.view.residence === 'urban' ? p.standardUrban : p.standardRural;
  }

  private maxMonth(a: YearMonth, b: YearMonth): YearMonth {
    return compareMonths(a, b) >= 0 ? a : b;
  }

  /** Default month a result takes effect: death reviews from the month after death (R-M2), else the next unrostered month. */
  private fromMonthOf(task: CaseTask, r: ReviewResultInput): YearMonth {
    if (r.fromMonth) return r.fromMonth;
    if (task.kind === 'death_review' && task.subject.diedOn)
      return this.maxMonth(addMonthsToYearMonth(monthOf(task.subject.diedOn), 1), this.view.startMonth);
    return this.view.nextMonth;
  }

  private markSeen(key: string) {
    this.view.seen.push(key);
    if (this.view.seen.length > 2000) this.view.seen.shift();
  }

  private addRate(fromMonth: YearMonth, amount: Money, persons: number, reason: string, cause: string) {
    const entry: RateEntry = {
      key: `${this.view.caseId}:${fromMonth}:${cause}`,
      fromMonth,
      monthlyAmount: toMoney(amount),
      persons,
      reason,
      parameterVersion: this.view.policy.version,
    };
    this.view.rates = [...this.view.rates.filter((e) => e.key !== entry.key), entry];
    this.effects.push({ kind: 'rate', entry });
    const now = rateFor(this.view.rates, this.view.nextMonth) ?? entry;
    this.view.monthlyAmount = now.monthlyAmount;
    this.view.persons = now.persons;
  }

  /** A new amount from a month; months already rostered are settled; a reduction is notified (R-M9). */
  private changeRate(
    now: Date,
    by: Actor,
    from: YearMonth,
    amount: Money,
    persons: number,
    reasons: string,
    cause: string,
  ) {
    const previous = rateFor(this.view.rates, from)?.monthlyAmount ?? '0.00';
    this.addRate(from, amount, persons, reasons, cause);
    this.settleSince(now, from, reasons, cause, this.view.policy.version);
    if (compare(amount, previous) < 0)
      this.notice(now, by, 'reduction', `${reasons} (from ${from}: ${previous} → ${amount})`);
  }

  /** Settles rostered months from `from` against the rates now in force: back-pay and/or recovery. */
  private settleSince(
    now: Date,
    from: YearMonth,
    reason: string,
    cause: string,
    version: string,
    dueOverride?: (m: YearMonth) => Money,
  ) {
    const due =
      dueOverride ??
      ((m: YearMonth) =>
        this.view.status === 'suspended' ? '0.00' : (rateFor(this.view.rates, m)?.monthlyAmount ?? '0.00'));
    const paid = this.view.rostered.filter((r) => r.status !== 'suspended');
    const s = settle(paid, from, due);
    const on = civilDateOf(now);
    for (const [kind, amount] of [
      ['back_pay', s.backPay],
      ['recovery', s.recovery],
    ] as const) {
      if (isZero(amount)) continue;
      const months = s.lines
        .filter((l) => (kind === 'back_pay') === compare(l.difference, 0) > 0)
        .map((l) => l.month);
      const adjustment: Adjustment = {
        key: `${this.view.caseId}:${kind}:${cause}`,
        kind,
        amount,
        months,
        reason,
        on,
        parameterVersion: version,
      };
      this.view.adjustments.push(adjustment);
      this.effects.push({ kind: 'adjustment', adjustment });
      this.record(now, kind, SYSTEM, reason, { amount, months });
    }
  }

  /** Stops the benefit from a month: zero rate, recovery of rostered months from then (or from `overpaidFrom`), a written notice. */
  private close(
    now: Date,
    by: Actor | typeof SYSTEM,
    reason: CloseReason,
    fromMonth: YearMonth,
    reasons: string,
    overpaidFrom?: YearMonth,
  ) {
    const persons = this.view.members.filter((m) => m.covered).length;
    this.addRate(fromMonth, '0.00', persons, `closed: ${reason}`, `close:${reason}`);
    const recoverFrom = overpaidFrom && compareMonths(overpaidFrom, fromMonth) < 0 ? overpaidFrom : fromMonth;
    this.settleSince(now, recoverFrom, reasons, `close:${reason}`, this.view.policy.version, () => '0.00');
    this.view.status = 'closed';
    this.view.taper = undefined;
    this.view.closed = { reason, fromMonth, on: civilDateOf(now) };
    for (const t of this.openTasks()) t.closedOn = civilDateOf(now);
    this.record(now, 'case_closed', by, reasons, { reason, fromMonth });
    this.notice(now, by, 'stop', reasons);
  }

  private notice(
    now: Date,
    by: Actor | typeof SYSTEM,
    kind: 'stop' | 'reduction' | 'suspension',
    reasons: string,
  ) {
    this.effects.push({ kind: 'notice', notice: kind, reasons, on: civilDateOf(now), by: by.sub });
  }

  noticeIssued(noticeId: string) {
    if (!this.view.notices.includes(noticeId)) this.view.notices.push(noticeId);
  }

  /**
   * A review or check opened by an event today, flagged at risk some working days before it is due
   * (R-A6 dynamic zeroing; a 14-day data check gets at most 3).
   */
  private openTaskToday(now: Date, t: Pick<CaseTask, 'taskId' | 'kind' | 'due' | 'subject'>): CaseTask {
    const today = civilDateOf(now);
    const warn = this.input.deadlines.atRiskWorkingDays;
    const days = t.kind === 'data_check' ? Math.min(3, warn) : warn;
    return this.openTask(now, {
      ...t,
      openedOn: today,
      atRiskOn: atRiskDate(this.cal, t.due, days, today).date,
    });
  }

  private openTask(now: Date, t: Omit<CaseTask, 'atRisk' | 'overdue'> & { due: Deadline }): CaseTask {
    const task: CaseTask = { ...t, atRisk: false, overdue: false };
    this.view.tasks.push(task);
    this.record(now, `${t.kind}_opened`, SYSTEM, t.subject.summary, {
      taskId: t.taskId,
      due: t.due.date,
      simplified: t.simplified,
    });
    return task;
  }

  record(
    now: Date,
    action: string,
    by: CaseHistoryEntry['by'],
    reason?: string,
    details?: Record<string, unknown>,
  ) {
    const entry: CaseHistoryEntry = {
      seq: ++this.view.historyCount,
      at: now.toISOString(),
      action,
      by,
      reason,
      details,
    };
    this.view.history.push(entry);
    if (this.view.history.length > HISTORY_MEMORY) this.view.history.shift();
    this.unsaved.push(entry);
    return entry;
  }

  snapshot(): CaseView {
    return JSON.parse(JSON.stringify(this.view)) as CaseView; // no structuredClone in the workflow sandbox
  }
}
