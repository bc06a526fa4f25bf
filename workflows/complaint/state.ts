import { ApplicationFailure } from '@temporalio/common';
import { WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import {
  complaintAtRiskOn,
  complaintDeadline,
  complaintParameters,
  extendedComplaintDeadline,
} from '../../domain/complaints';
import { civilDateOf, compareDates, endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import { reaches } from '../../domain/region';
import type { Actor, Role } from '../../domain/roles';
import {
  type AnswerInput,
  type AssignmentInput,
  type ComplaintEntry,
  type ComplaintInput,
  type ComplaintView,
  type ExtensionInput,
  FAILURE,
  type FindingInput,
} from '../contracts';

// One complaint (R-O4) as a state object: `check*` are the Updates' validators (they never mutate),
// `apply*` the transitions, each recorded with its actor (R-O6). Time only raises flags (R-O3).

const SYSTEM = { sub: 'system', role: 'system' } as const;
const STAFF: readonly Role[] = ['township_staff', 'county_staff', 'supervisor'];
const INVESTIGATORS: readonly Role[] = ['township_staff', 'county_staff'];

export type Flag = 'at_risk' | 'overdue';

export class ComplaintState {
  readonly view: ComplaintView;
  unsaved: ComplaintEntry[] = [];
  private cal: WorkingCalendar;
  private readonly params;

  constructor(
    readonly input: ComplaintInput,
    now: Date,
  ) {
    this.params = complaintParameters(input.deadlines);
    this.cal = calendarOf(input.runtimeYears);
    const due = complaintDeadline(this.cal, input.receivedOn, this.params);
    this.view = {
      complaintId: input.complaintId,
      source: input.source,
      receivedOn: input.receivedOn,
      complainant: input.complainant,
      subject: input.subject,
      villageCode: input.villageCode,
      summary: input.summary,
      receivedBy: input.receivedBy.sub,
      ...(input.repeatOf ? { repeatOf: input.repeatOf } : {}),
      stage: 'received',
      deadline: {
        kind: input.complainant.anonymous ? 'finding' : 'answer',
        ...due,
        atRiskOn: complaintAtRiskOn(this.cal, due, input.receivedOn, this.params),
      },
      atRisk: false,
      overdue: false,
      history: [],
    };
    // R-O7: the complainant is never in the audit trail; only whether there is one.
    this.record(now, 'received', input.receivedBy, undefined, {
      source: input.source,
      anonymous: input.complainant.anonymous,
      subject: input.subject,
      repeatOf: input.repeatOf,
    });
  }

  get closed(): boolean {
    return this.view.stage === 'closed';
  }

  // ---- validators
  private refuse(type: string, message: string): ApplicationFailure {
    return ApplicationFailure.create({
      type,
      message,
      nonRetryable: true,
      details: [{ stage: this.view.stage }],
    });
  }
  private guard(actor: Actor, roles: readonly Role[], what: string) {
    if (this.closed) throw this.refuse(FAILURE.wrongStage, `complaint ${this.view.complaintId} is closed`);
    if (!roles.includes(actor.role)) throw this.refuse(FAILURE.wrongRole, `${what}: not for ${actor.role}`);
    if (!reaches(actor.region, this.view.villageCode))
      throw this.refuse(FAILURE.wrongRole, `region ${actor.region} does not reach this complaint`);
  }

  checkAssignment(a: AssignmentInput): void {
    this.guard(a.actor, STAFF, 'assignment');
    if (this.view.stage === 'found')
      throw this.refuse(FAILURE.wrongStage, 'the finding is recorded; only the answer remains');
  }

  checkFinding(f: FindingInput): void {
    this.guard(f.actor, INVESTIGATORS, 'a finding is recorded by township or county staff');
    if (this.view.stage !== 'assigned')
      throw this.refuse(FAILURE.wrongStage, `a finding needs an assigned handler (stage ${this.view.stage})`);
  }

  checkAnswer(a: AnswerInput, now: Date): void {
    this.guard(a.actor, INVESTIGATORS, 'the answer is given by township or county staff');
    if (this.view.complainant.anonymous)
      throw this.refuse(
        FAILURE.invalidStep,
        'an anonymous tip-off has no one to answer; it closes with its finding',
      );
    if (this.view.stage !== 'found')
      throw this.refuse(FAILURE.wrongStage, `the answer carries the finding (stage ${this.view.stage})`);
    if (compareDates(a.answeredOn, civilDateOf(now)) > 0)
      throw this.refuse(FAILURE.invalidStep, `answeredOn ${a.answeredOn} is in the future`);
    if (compareDates(a.answeredOn, this.view.finding!.on) < 0)
      throw this.refuse(FAILURE.invalidStep, `answeredOn ${a.answeredOn} is before the finding`);
  }

  checkExtension(e: ExtensionInput, now: Date): void {
    this.guard(
      e.actor,
      ['county_staff', 'supervisor'],
      'an extension is granted by county staff or a supervisor',
    );
    if (this.view.extension)
      throw this.refuse(
        FAILURE.wrongStage,
        `the deadline was already extended once on ${this.view.extension.on}`,
      );
    if (now.getTime() > endOfCivilDay(this.view.deadline.date).getTime())
      throw this.refuse(FAILURE.invalidStep, `the deadline ${this.view.deadline.date} has passed`);
  }

  // ---- transitions
  applyAssignment(a: AssignmentInput, now: Date): void {
    const previous = this.view.handler?.sub;
    this.view.handler = { sub: a.handler, assignedBy: a.actor.sub, on: civilDateOf(now), note: a.note };
    this.view.stage = 'assigned';
    this.record(now, previous ? 'reassigned' : 'assigned', a.actor, a.note, { handler: a.handler, previous });
  }

  applyFinding(f: FindingInput, now: Date): void {
    const on = civilDateOf(now);
    this.view.finding = {
      outcome: f.outcome,
      summary: f.summary,
      by: f.actor.sub,
      on,
      spotCheckRequested: f.spotCheckRequested,
    };
    this.record(now, 'finding', f.actor, f.summary, {
      outcome: f.outcome,
      dataCheckCaseId: f.dataCheckCaseId,
      spotCheckRequested: f.spotCheckRequested,
    });
    if (this.view.complainant.anonymous) this.close(now, f.actor, 'closed_with_finding');
    else this.view.stage = 'found';
  }

  dataCheckSent(caseId: string, taskId: string, opened: boolean, by: Actor, now: Date): void {
    const status = opened ? 'opened' : 'not_running';
    this.view.finding!.dataCheck = { caseId, taskId, status };
    this.record(now, opened ? 'data_check_opened' : 'data_check_not_opened', by, undefined, {
      caseId,
      taskId,
    });
  }

  applyAnswer(a: AnswerInput, now: Date): void {
    const late = compareDates(a.answeredOn, this.view.deadline.date) > 0;
    this.view.answer = { on: a.answeredOn, channel: a.channel, summary: a.summary, by: a.actor.sub, late };
    if (late) this.view.overdue = true;
    this.record(now, 'answered', a.actor, a.summary, { answeredOn: a.answeredOn, channel: a.channel, late });
    this.close(now, a.actor, 'closed');
  }

  applyExtension(e: ExtensionInput, now: Date): void {
    const previous = this.view.deadline;
    const due = extendedComplaintDeadline(this.cal, previous, this.params);
    this.view.extension = {
      reason: e.reason,
      by: e.actor.sub,
      on: civilDateOf(now),
      previousDate: previous.date,
    };
    this.view.deadline = {
      ...previous,
      ...due,
      atRiskOn: complaintAtRiskOn(this.cal, due, this.view.receivedOn, this.params),
    };
    this.view.atRisk = false;
    this.record(now, 'extended', e.actor, e.reason, { from: previous.date, to: due.date });
  }

  /**
   * R-T2: a year's calendar arrived — a new year or a correction of a known one: the open deadline is
   * computed again.
   */
  applyCalendar(year: YearCalendar, now: Date): boolean {
    this.cal = this.cal.withYear(year);
    const years = this.input.runtimeYears.filter((y) => y.year !== year.year);
    this.input.runtimeYears.splice(0, this.input.runtimeYears.length, ...years, year);
    if (this.closed) return false;
    let due = complaintDeadline(this.cal, this.view.receivedOn, this.params);
    if (this.view.extension) due = extendedComplaintDeadline(this.cal, due, this.params);
    this.view.deadline = {
      ...this.view.deadline,
      ...due,
      atRiskOn: complaintAtRiskOn(this.cal, due, this.view.receivedOn, this.params),
    };
    this.record(now, 'calendar_updated', SYSTEM, undefined, { year: year.year, deadline: due.date });
    return true;
  }

  /** R-O3: flags raised by time on an open complaint (each once per deadline). */
  tick(now: Date): Flag[] {
    if (this.closed) return [];
    const raised: Flag[] = [];
    const d = this.view.deadline;
    if (!this.view.overdue && now.getTime() > endOfCivilDay(d.date).getTime()) {
      this.view.overdue = true;
      raised.push('overdue');
      this.record(now, 'overdue', SYSTEM, undefined, { deadline: d.date });
    } else if (
      !this.view.atRisk &&
      !this.view.overdue &&
      now.getTime() >= startOfCivilDay(d.atRiskOn).getTime()
    ) {
      this.view.atRisk = true;
      raised.push('at_risk');
      this.record(now, 'at_risk', SYSTEM, undefined, { deadline: d.date });
    }
    return raised;
  }

  /** The next instant a flag may be raised (none once closed or overdue). */
  nextWakeUp(): Date | undefined {
    if (this.closed || this.view.overdue) return undefined;
    const d = this.view.deadline;
    if (!this.view.atRisk) return startOfCivilDay(d.atRiskOn);
    return new Date(endOfCivilDay(d.date).getTime() + 1);
  }

  snapshot(): ComplaintView {
    return JSON.parse(JSON.stringify(this.view)) as ComplaintView;
  }

  private close(now: Date, by: Actor, action: string) {
    this.view.stage = 'closed';
    this.view.closedOn = civilDateOf(now);
    this.view.atRisk = false;
    this.record(now, action, by);
  }

  private record(
    now: Date,
    action: string,
    by: ComplaintEntry['by'],
    reason?: string,
    details?: Record<string, unknown>,
  ) {
    const entry: ComplaintEntry = {
      seq: this.view.history.length + 1,
      at: now.toISOString(),
      action,
      by: by.role === 'system' ? SYSTEM : { sub: by.sub, role: by.role, region: (by as Actor).region },
      stage: this.view.stage,
      reason,
      details,
    };
    this.view.history.push(entry);
    this.unsaved.push(entry);
  }
}

function calendarOf(years: YearCalendar[]): WorkingCalendar {
  let cal = WorkingCalendar.builtin();
  for (const y of years) cal = cal.withYear(y);
  return cal;
}
