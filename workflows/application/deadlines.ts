import { type Deadline, WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import { type CivilDate, endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import {
  applicationWorkingDays,
  atRiskDate,
  type DeadlineParameters,
  stepDeadline,
} from '../../domain/deadlines';
import type { ApplicationView, DeadlineKind, TrackedDeadline } from '../contracts';

// The application's deadlines (R-A6, R-T1, R-T2), one part of its state beside the record: each
// step's deadline in working days on the calendar (view.deadlines), met, superseded, flagged at risk
// and overdue, and counted again when a year's calendar arrives. Nothing is decided by a deadline.

export type Flagged = { deadline: TrackedDeadline; flag: 'at_risk' | 'overdue' };

export class ApplicationDeadlines {
  private cal: WorkingCalendar;

  constructor(
    private readonly view: ApplicationView,
    private readonly params: DeadlineParameters,
    runtimeYears: YearCalendar[],
  ) {
    this.cal = runtimeYears.reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
  }

  /** R-A6: the whole procedure's working days (delegated, extended). */
  overallWorkingDays(): number {
    return applicationWorkingDays(
      { delegated: this.view.delegated, extended: this.view.extended },
      this.params,
    );
  }

  /** A step's deadline from a day; the one of that kind still open is superseded. */
  track(kind: DeadlineKind, from: CivilDate, workingDays: number): TrackedDeadline {
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

  private atRisk(kind: DeadlineKind, due: Deadline, from: CivilDate, workingDays: number) {
    // Steps shorter than the warning period are warned at half their length.
    const n =
      kind === 'overall'
        ? this.params.atRiskWorkingDays
        : Math.min(this.params.atRiskWorkingDays, Math.floor(workingDays / 2));
    const at = atRiskDate(this.cal, due, n, from);
    return {
      atRiskOn: at.date,
      atRisk: false,
      overdue: false,
      provisional: due.provisional || at.provisional,
    };
  }

  /** One clock: a step is met on the day it happened. */
  meet(kind: DeadlineKind, on: CivilDate) {
    for (const d of this.view.deadlines) if (d.kind === kind && !d.metOn && !d.superseded) d.metOn = on;
  }

  /** The open deadlines (of one kind, when given) no longer run. */
  supersede(kind?: DeadlineKind) {
    for (const d of this.open()) if (!kind || d.kind === kind) d.superseded = true;
  }

  open(): TrackedDeadline[] {
    return this.view.deadlines.filter((d) => !d.metOn && !d.superseded);
  }

  overall(): TrackedDeadline {
    const open = this.view.deadlines.filter((d) => d.kind === 'overall' && !d.superseded);
    return open[open.length - 1]!;
  }

  anyAtRisk(): boolean {
    return this.open().some((d) => d.atRisk);
  }

  anyOverdue(): boolean {
    return this.open().some((d) => d.overdue);
  }

  /** The instants at which an open deadline becomes at risk or overdue. */
  instants(): Date[] {
    const instants: Date[] = [];
    for (const d of this.open()) {
      if (!d.atRisk) instants.push(startOfCivilDay(d.atRiskOn));
      if (!d.overdue) instants.push(endOfCivilDay(d.date));
    }
    return instants;
  }

  /** R-A6: open deadlines become at risk or overdue; answers what was flagged now. */
  flag(now: Date): Flagged[] {
    const flagged: Flagged[] = [];
    for (const d of this.open()) {
      if (!d.atRisk && now.getTime() >= startOfCivilDay(d.atRiskOn).getTime()) {
        d.atRisk = true;
        flagged.push({ deadline: d, flag: 'at_risk' });
      }
      if (!d.overdue && now.getTime() >= endOfCivilDay(d.date).getTime()) {
        d.overdue = true;
        flagged.push({ deadline: d, flag: 'overdue' });
      }
    }
    return flagged;
  }

  /** R-T2: a newly published year replaces the fallback; answers the open deadlines that moved. */
  recompute(year: YearCalendar): string[] {
    this.cal = this.cal.withYear(year);
    const changed: string[] = [];
    for (const d of this.open()) {
      const due = stepDeadline(this.cal, d.from, d.workingDays);
      if (due.date !== d.date || due.provisional !== d.provisional)
        changed.push(`${d.kind}: ${d.date} → ${due.date}`);
      Object.assign(d, due, this.atRisk(d.kind, due, d.from, d.workingDays));
    }
    return changed;
  }
}
