import { type Deadline, WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import { type CivilDate, endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import { applicationWorkingDays, atRiskDate, stepDeadline } from '../../domain/deadlines';
import {
  type ApplicationContext,
  type ApplicationInput,
  type ApplicationView,
  type DeadlineKind,
  type HistoryEntry,
  type Stage,
  TERMINAL_STAGES,
  type TrackedDeadline,
} from '../contracts';

// The application's view and its deadlines (R-A6, R-T1, R-T2): the base of ApplicationState
// (application-state.ts), which adds the validators (application-checks.ts) and the transitions.
// Time always comes in as an argument (workflow time).

/** The actor of what time or the system does (never a human act, R-O6). */
export const SYSTEM = { sub: 'system', role: 'system' } as const;

export class ApplicationDeadlines {
  protected cal: WorkingCalendar;
  readonly view: ApplicationView;

  constructor(
    readonly input: ApplicationInput,
    readonly ctx: ApplicationContext,
    now: Date,
  ) {
    this.cal = ctx.runtimeYears.reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
    const extensionReasons = input.specialCircumstances.map((s) => `special circumstance: ${s}`);
    this.view = {
      applicationId: input.applicationId,
      category: input.category,
      villageCode: input.villageCode,
      acceptedOn: input.acceptedOn,
      delegated: input.delegated,
      extended: extensionReasons.length > 0,
      extensionReasons,
      stage: 'received',
      policyVersion: ctx.policy.version,
      deadlines: [],
      temporaryGrants: [],
      history: [],
    };
    this.track('overall', input.acceptedOn, this.overallWorkingDays());
    this.track('investigation', input.acceptedOn, ctx.deadlines.investigationWorkingDays);
    this.track('economic_check', input.acceptedOn, ctx.deadlines.economicCheckWorkingDays);
    this.record(now, 'received', input.receivedBy, undefined, { closeRelative: input.closeRelative });
    this.view.stage = 'verifying';
  }

  get stage(): Stage {
    return this.view.stage;
  }

  get terminal(): boolean {
    return TERMINAL_STAGES.includes(this.view.stage);
  }

  // ---- deadlines (R-A6, R-T1, R-T2)

  protected overallWorkingDays(): number {
    return applicationWorkingDays(
      { delegated: this.view.delegated, extended: this.view.extended },
      this.ctx.deadlines,
    );
  }

  protected track(kind: DeadlineKind, from: CivilDate, workingDays: number): TrackedDeadline {
    this.view.deadlines
      .filter((d) => d.kind === kind && !d.metOn && !d.superseded)
      .forEach((d) => {
        d.superseded = true;
      });
    const due = stepDeadline(this.cal, from, workingDays);
    const tracked: TrackedDeadline = {
      kind,
      from,
      workingDays,
      ...due,
      ...this.atRisk(kind, due, from, workingDays),
    };
    this.view.deadlines.push(tracked);
    return tracked;
  }

  protected atRisk(kind: DeadlineKind, due: Deadline, from: CivilDate, workingDays: number) {
    // Steps shorter than the warning period are warned at half their length.
    const n =
      kind === 'overall'
        ? this.ctx.deadlines.atRiskWorkingDays
        : Math.min(this.ctx.deadlines.atRiskWorkingDays, Math.floor(workingDays / 2));
    const at = atRiskDate(this.cal, due, n, from);
    return {
      atRiskOn: at.date,
      atRisk: false,
      overdue: false,
      provisional: due.provisional || at.provisional,
    };
  }

  protected meet(kind: DeadlineKind, on: CivilDate) {
    for (const d of this.view.deadlines) if (d.kind === kind && !d.metOn && !d.superseded) d.metOn = on;
  }

  openDeadlines(): TrackedDeadline[] {
    return this.view.deadlines.filter((d) => !d.metOn && !d.superseded);
  }

  /** The next instant at which a flag or the publicity end changes, for the workflow's timer. */
  nextWakeUp(now: Date): Date | undefined {
    const instants: Date[] = [];
    for (const d of this.openDeadlines()) {
      if (!d.atRisk) instants.push(startOfCivilDay(d.atRiskOn));
      if (!d.overdue) instants.push(endOfCivilDay(d.date));
    }
    if (this.view.stage === 'publicity' && this.view.publicity)
      instants.push(new Date(this.view.publicity.endsAt));
    const future = instants
      .filter((t) => t.getTime() > now.getTime())
      .sort((a, b) => a.getTime() - b.getTime());
    const due = instants.some((t) => t.getTime() <= now.getTime());
    return due ? now : future[0];
  }

  /**
   * Applies the passage of time: publicity that has ended opens the decision (R-A4); deadlines
   * become at risk or overdue (R-A6). Returns what changed so the workflow can notify. Nothing is
   * ever decided by time alone.
   */
  tick(now: Date): {
    flagged: { deadline: TrackedDeadline; flag: 'at_risk' | 'overdue' }[];
    entries: HistoryEntry[];
  } {
    const flagged: { deadline: TrackedDeadline; flag: 'at_risk' | 'overdue' }[] = [];
    const entries: HistoryEntry[] = [];
    const pub = this.view.publicity;
    if (this.view.stage === 'publicity' && pub && now.getTime() >= new Date(pub.endsAt).getTime()) {
      this.view.stage = 'decision';
      this.track('decision', pub.lastDay, this.ctx.deadlines.decisionWorkingDays);
      entries.push(this.record(now, 'publicity_ended', SYSTEM, undefined, { round: pub.round }));
    }
    for (const d of this.openDeadlines()) {
      if (!d.atRisk && now.getTime() >= startOfCivilDay(d.atRiskOn).getTime()) {
        d.atRisk = true;
        flagged.push({ deadline: d, flag: 'at_risk' });
      }
      if (!d.overdue && now.getTime() >= endOfCivilDay(d.date).getTime()) {
        d.overdue = true;
        flagged.push({ deadline: d, flag: 'overdue' });
      }
    }
    return { flagged, entries };
  }

  /** R-T2: a newly published year replaces the fallback; open deadlines are recomputed. */
  applyCalendar(year: YearCalendar, now: Date): HistoryEntry | undefined {
    this.cal = this.cal.withYear(year);
    const changed: string[] = [];
    for (const d of this.openDeadlines()) {
      const due = stepDeadline(this.cal, d.from, d.workingDays);
      if (due.date !== d.date || due.provisional !== d.provisional)
        changed.push(`${d.kind}: ${d.date} → ${due.date}`);
      Object.assign(d, due, this.atRisk(d.kind, due, d.from, d.workingDays));
    }
    this.tick(now);
    return changed.length
      ? this.record(now, 'deadlines_recomputed', SYSTEM, `calendar ${year.year}`, { changed })
      : undefined;
  }

  isAtRisk(): boolean {
    return this.openDeadlines().some((d) => d.atRisk);
  }

  isOverdue(): boolean {
    return this.openDeadlines().some((d) => d.overdue);
  }

  overallDeadline(): TrackedDeadline {
    const open = this.view.deadlines.filter((d) => d.kind === 'overall' && !d.superseded);
    return open[open.length - 1]!;
  }

  /** The household as investigated (R-A2), or as declared at receipt. */
  household() {
    return this.view.investigation?.household ?? this.input.household;
  }

  record(
    now: Date,
    action: string,
    by: HistoryEntry['by'],
    reason?: string,
    details?: Record<string, unknown>,
  ): HistoryEntry {
    const entry: HistoryEntry = {
      seq: this.view.history.length + 1,
      at: now.toISOString(),
      action,
      by,
      stage: this.view.stage,
      ...(reason ? { reason } : {}),
      ...(details ? { details } : {}),
    };
    this.view.history.push(entry);
    return entry;
  }
}
