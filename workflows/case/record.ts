import { ApplicationFailure } from '@temporalio/common';
import { type Deadline, WorkingCalendar } from '../../domain/calendar';
import { addMonths, type CivilDate, civilDateOf, type YearMonth } from '../../domain/dates';
import { atRiskDate } from '../../domain/deadlines';
import { compareMonths, type RateEntry, type RosteredMonth } from '../../domain/entitlement';
import type { Money } from '../../domain/money';
import type { PolicyParameters } from '../../domain/policy';
import type { Actor } from '../../domain/roles';
import type {
  Adjustment,
  CaseHistoryEntry,
  CaseInput,
  CaseTask,
  CaseView,
  DeathNotice,
  DeathNoticeOutcome,
} from '../contracts';

// The case's record, one part of the case state (state.ts): its view, its history (R-O6), the
// effects queued for the workflow, the events it has seen and the tasks it opens. The entitlement
// (rates, settlement, closing, notices) is the other part (ledger.ts); the rules are the modules
// beside them. Time always comes in as an argument (workflow time); no @temporalio/workflow call.

/** What the rules queue for the workflow to carry out through activities, in order. */
export type CaseEffect =
  | { kind: 'rate'; entry: RateEntry }
  | { kind: 'month'; month: RosteredMonth }
  | { kind: 'adjustment'; adjustment: Adjustment }
  | {
      kind: 'notice';
      notice: 'stop' | 'reduction' | 'suspension' | 'repayment_demand';
      reasons: string;
      on: CivilDate;
      by: string;
      /** R-M10: the demand the notice is for; its amount and months (the printed notice shows them). */
      demandId?: string;
      details?: Record<string, unknown>;
    }
  | { kind: 'demand'; demandId: string }
  | { kind: 'alert'; task: CaseTask; flag: 'at_risk' | 'overdue' }
  | {
      kind: 'filing';
      occasion: string;
      on: CivilDate;
      by: string;
      /** R-O1: filed only if the close-relative roster names a member (not yet a close-relative case). */
      rosterOnly?: boolean;
    }
  | { kind: 'death_notice'; notice: DeathNotice; outcome: DeathOutcome };

/** What a case made of a death notice (R-M2): the death, the same death again, or not its member. */
export type DeathOutcome = DeathNoticeOutcome;

export const SYSTEM = { sub: 'system', role: 'system' } as const;
export type By = Actor | typeof SYSTEM;
const HISTORY_MEMORY = 200;

/** The later of two months. */
export const maxMonth = (a: YearMonth, b: YearMonth): YearMonth => (compareMonths(a, b) >= 0 ? a : b);

/** A typed business failure: an update validator refuses before anything enters history. */
export const refuse = (type: string, message: string, status: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ stage: status }] });

export class CaseRecord {
  cal: WorkingCalendar;
  readonly view: CaseView;
  effects: CaseEffect[] = [];
  unsaved: CaseHistoryEntry[] = [];

  constructor(readonly input: CaseInput) {
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
      ...(input.alone ? { alone: input.alone } : {}),
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
  }

  get closed(): boolean {
    return this.view.status === 'closed';
  }

  openTasks(): CaseTask[] {
    return this.view.tasks.filter((t) => !t.result && !t.closedOn);
  }

  /** Persons the case still covers (the dead and the removed are not). */
  coveredPersons(): number {
    return this.view.members.filter((m) => m.covered).length;
  }

  /** The standard the household's category and residence are measured against (R-E1, R-E6). */
  standard(p: PolicyParameters): Money {
    if (this.view.category === 'extreme_poverty')
      return this.view.residence === 'urban'
        ? p.extremePoverty.basicSupportUrban
        : p.extremePoverty.basicSupportRural;
    return this.view.residence === 'urban' ? p.standardUrban : p.standardRural;
  }

  /** Signals are delivered at least once and resent by their senders: each id counts once. */
  hasSeen(key: string): boolean {
    return this.view.seen.includes(key);
  }

  markSeen(key: string) {
    this.view.seen.push(key);
    if (this.view.seen.length > 2000) this.view.seen.shift();
  }

  /**
   * A review or check opened by an event today, flagged at risk some working days before it is due
   * (R-A6 dynamic zeroing; a 14-day data check gets at most 3).
   */
  openTaskToday(
    now: Date,
    t: Pick<CaseTask, 'taskId' | 'kind' | 'due' | 'dueFrom' | 'subject'>,
    by: By = SYSTEM,
  ): CaseTask {
    const today = civilDateOf(now);
    const warn = this.input.deadlines.atRiskWorkingDays;
    const days = t.kind === 'data_check' ? Math.min(3, warn) : warn;
    return this.openTask(
      now,
      { ...t, openedOn: today, atRiskOn: atRiskDate(this.cal, t.due, days, today).date },
      by,
    );
  }

  /** R-O6: `by` is who caused the task (the staff member whose report opened it), else the system. */
  openTask(
    now: Date,
    t: Omit<CaseTask, 'atRisk' | 'overdue'> & { due: Deadline },
    by: By = SYSTEM,
  ): CaseTask {
    const task: CaseTask = { ...t, atRisk: false, overdue: false };
    this.view.tasks.push(task);
    this.record(now, `${t.kind}_opened`, by, t.subject.summary, {
      taskId: t.taskId,
      due: t.due.date,
      simplified: t.simplified,
    });
    return task;
  }

  /** R-O6: every event with who caused it; the running state keeps the latest, Postgres all. */
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
