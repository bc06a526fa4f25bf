import { ApplicationFailure } from '@temporalio/common';
import { WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import {
  type CivilDate,
  civilDateOf,
  compareDates,
  endOfCivilDay,
  startOfCivilDay,
} from '../../domain/dates';
import { atRiskDate, registerVisitDue } from '../../domain/deadlines';
import {
  FAILURE,
  type MonitoringHit,
  type ReferralAnswerInput,
  type ReferralInput,
  type RegisterActor,
  type RegisterFinding,
  type RegisterHistoryEntry,
  type RegisterInput,
  type RegisterTask,
  type RegisterView,
  type Visit,
  type VisitInput,
} from '../contracts';

/** A flag a task raised, for the supervisors (R-O3). */
export type RegisterAlert = { task: RegisterTask; flag: 'at_risk' | 'overdue' };

const SYSTEM: RegisterActor = { sub: 'system', role: 'system' };
const SEEN_MEMORY = 2000;

const invalid = (message: string, type: string = FAILURE.invalidStep) =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

/**
 * One household's register entry (R-L1 … R-L3) as a state object: check* are the Update validators,
 * apply* the transitions. Pure: time comes in as arguments, effects (alerts) are queued.
 */
export class RegisterState {
  readonly view: RegisterView;
  readonly unsaved: RegisterHistoryEntry[] = [];
  readonly alerts: RegisterAlert[] = [];
  private cal: WorkingCalendar;

  constructor(
    readonly input: RegisterInput,
    now: Date,
  ) {
    this.cal = input.runtimeYears.reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
    this.view = input.carried ?? {
      householdKey: input.householdKey,
      countyCode: input.countyCode,
      villageCode: input.villageCode,
      registeredOn: civilDateOf(now),
      groups: [],
      countyGroups: [],
      sources: [],
      members: [],
      tasks: [],
      visits: [],
      referrals: [],
      seen: [],
      revision: 0,
      historySeq: 0,
    };
  }

  snapshot(): RegisterView {
    return JSON.parse(JSON.stringify(this.view)) as RegisterView; // no structuredClone in the workflow sandbox
  }

  hasSeen(id: string) {
    return this.view.seen.includes(id);
  }

  private markSeen(id: string) {
    this.view.seen.push(id);
    if (this.view.seen.length > SEEN_MEMORY) this.view.seen.shift();
  }

  private record(now: Date, action: string, by: RegisterActor, details?: Record<string, unknown>) {
    this.unsaved.push({ seq: ++this.view.historySeq, at: now.toISOString(), action, by, details });
  }

  openTasks() {
    return this.view.tasks.filter((t) => !t.closedOn);
  }

  /** R-O7: this entry took over one named by a reversible key (relocation.ts), recorded once. */
  applyRelocated(replaced: string, by: RegisterActor, now: Date) {
    this.markSeen(`relocated:${replaced}`);
    this.record(now, 'relocated', by, { reason: 'keyed id (R-O7)' });
  }

  /** R-L1: found again (or its groups changed): one entry, the groups and every way it was found. */
  applyFinding(f: RegisterFinding, now: Date): boolean {
    if (this.hasSeen(`finding:${f.findingId}`)) return false;
    this.markSeen(`finding:${f.findingId}`);
    const v = this.view;
    const remove = new Set(f.remove ?? []);
    v.groups = [...new Set([...v.groups.filter((g) => !remove.has(g)), ...f.add])].sort();
    if (f.countyGroup && !v.countyGroups.includes(f.countyGroup)) v.countyGroups.push(f.countyGroup);
    if (!v.sources.some((s) => s.source === f.source && s.ref === f.ref))
      v.sources.push({ source: f.source, on: f.on, ref: f.ref, by: f.by.sub });
    for (const m of f.members) {
      const known = v.members.find((x) => x.idNumber === m.idNumber);
      if (known) Object.assign(known, m);
      else v.members.push({ ...m });
    }
    if (v.revision === 0) v.villageCode = f.villageCode;
    this.record(now, 'found', f.by, { source: f.source, ref: f.ref, add: f.add, remove: f.remove });
    return true;
  }

  /**
   * R-L2: a hit for someone of the household opens a visit due 15 working days after the warning was
   * detected, as R-M6 counts its checks (or joins the open one, whose due date its detection may bring
   * forward). `fromDetection` is the workflow's patch decision: entries that took hits before counted
   * from the day the hit arrived.
   */
  applyHit(h: MonitoringHit, now: Date): boolean {
    if (this.hasSeen(`hit:${h.hitId}`)) return false;
    this.markSeen(`hit:${h.hitId}`);
    const today = civilDateOf(now);
    const reason = { hitId: h.hitId, kind: h.kind, detectedOn: h.detectedOn };
    const open = this.openTasks()[0];
    if (open) {
      open.reasons.push(reason);
      if (compareDates(h.detectedOn, open.countedFrom) < 0)
        Object.assign(open, { countedFrom: h.detectedOn }, this.deadline(h.detectedOn, today));
    } else {
      // R-L2: due 15 working days after the warning was detected, as an R-M6 check is.
      this.view.tasks.push({
        taskId: `visit-${this.view.tasks.length + 1}`,
        kind: 'visit',
        openedOn: today,
        countedFrom: h.detectedOn,
        ...this.deadline(h.detectedOn, today),
        atRisk: false,
        overdue: false,
        reasons: [reason],
      });
    }
    // R-O6: the integration that sent the hit caused the warning.
    this.record(now, 'warning', h.reportedBy ?? SYSTEM, { hitId: h.hitId, kind: h.kind, source: h.source });
    return true;
  }

  /** R-L2: a visit's due date counted from `from`, and the day it turns at risk (flagged from `since`). */
  private deadline(from: CivilDate, since: CivilDate): Pick<RegisterTask, 'due' | 'atRiskOn'> {
    const due = registerVisitDue(this.cal, from, this.input.deadlines);
    return { due, atRiskOn: atRiskDate(this.cal, due, this.input.deadlines.atRiskWorkingDays, since).date };
  }

  checkVisit(i: VisitInput, now: Date) {
    if (compareDates(i.visitedOn, civilDateOf(now)) > 0) throw invalid('visitedOn is in the future');
    // R-L2: a visit dated before a warning it would close does not answer that warning.
    const detected = this.openTasks()
      .flatMap((t) => t.reasons.map((r) => r.detectedOn))
      .sort()
      .at(-1);
    if (detected && compareDates(i.visitedOn, detected) < 0)
      throw invalid(`visitedOn ${i.visitedOn} is before the warning it would answer (detected ${detected})`);
    if (i.application && compareDates(i.application.acceptedOn, civilDateOf(now)) > 0)
      throw invalid('application.acceptedOn is in the future');
    if (i.application && !i.application.household.members.some((m) => this.isMember(m.idNumber)))
      throw invalid('the application names none of the registered household members');
  }

  private isMember(idNumber: string) {
    return this.view.members.some((m) => m.idNumber === idNumber);
  }

  /** R-L2: the visit closes the open warnings; its groups change as it found; an application follows. */
  applyVisit(i: VisitInput, now: Date, application?: Pick<Visit, 'applicationId' | 'applicationRefused'>) {
    if (this.hasSeen(`visit:${i.visitId}`)) return;
    this.markSeen(`visit:${i.visitId}`);
    const open = this.openTasks();
    for (const t of open) {
      t.closedOn = i.visitedOn;
      t.visitId = i.visitId;
    }
    const remove = new Set(i.remove ?? []);
    this.view.groups = [
      ...new Set([...this.view.groups.filter((g) => !remove.has(g)), ...(i.add ?? [])]),
    ].sort();
    this.view.visits.push({
      visitId: i.visitId,
      on: i.visitedOn,
      by: i.actor.sub,
      findings: i.findings,
      closedTasks: open.map((t) => t.taskId),
      ...application,
    });
    this.record(now, 'visited', i.actor, {
      visitId: i.visitId,
      closedTasks: open.map((t) => t.taskId),
      applicationId: application?.applicationId,
    });
  }

  checkReferral(r: ReferralInput, now: Date) {
    if (compareDates(r.referredOn, civilDateOf(now)) > 0) throw invalid('referredOn is in the future');
    const known = this.view.referrals.find((x) => x.referralId === r.referralId);
    if (known && (known.department !== r.department || known.need !== r.need))
      throw invalid(`referral ${r.referralId} was recorded with other details`, FAILURE.wrongStage);
  }

  /** R-L3: the need is pushed to the responsible department and recorded. */
  applyReferral(r: ReferralInput, now: Date) {
    if (this.view.referrals.some((x) => x.referralId === r.referralId)) return;
    const { actor, ...rest } = r;
    this.view.referrals.push({ ...rest, by: actor.sub });
    this.record(now, 'referred', actor, { referralId: r.referralId, department: r.department });
  }

  checkAnswer(a: ReferralAnswerInput, now: Date) {
    const r = this.view.referrals.find((x) => x.referralId === a.referralId);
    if (!r) throw invalid(`no referral ${a.referralId}`, FAILURE.notFound);
    if (r.answer) throw invalid(`referral ${a.referralId} is already answered`, FAILURE.wrongStage);
    if (compareDates(a.answeredOn, civilDateOf(now)) > 0) throw invalid('answeredOn is in the future');
    if (compareDates(a.answeredOn, r.referredOn) < 0) throw invalid('answeredOn is before the referral');
  }

  /** R-L3: the department's answer, recorded with the referral. */
  applyAnswer(a: ReferralAnswerInput, now: Date) {
    const r = this.view.referrals.find((x) => x.referralId === a.referralId)!;
    r.answer = { outcome: a.outcome, text: a.answer, on: a.answeredOn, by: a.actor.sub };
    this.record(now, 'referral_answered', a.actor, { referralId: a.referralId, outcome: a.outcome });
  }

  /** R-T2: a year's calendar arrived; visits due on a provisional (Monday–Friday) count are recomputed. */
  applyCalendar(year: YearCalendar, now: Date) {
    this.cal = this.cal.withYear(year);
    const years = this.input.runtimeYears.filter((y) => y.year !== year.year);
    this.input.runtimeYears.splice(0, this.input.runtimeYears.length, ...years, year);
    const today = civilDateOf(now);
    for (const t of this.openTasks()) {
      if (!t.due.provisional) continue;
      // Counted from detection, or from opening on visits opened before that rule (R-L2).
      Object.assign(t, this.deadline(t.countedFrom, t.openedOn));
      // A later date takes back a flag raised on the provisional one.
      if (compareDates(t.atRiskOn, today) > 0) t.atRisk = false;
      if (compareDates(t.due.date, today) >= 0) t.overdue = false;
    }
    this.record(now, 'calendar_updated', SYSTEM, { year: year.year });
  }

  /** Time: open visits turn at risk, then overdue (R-L2, like every task, R-O3). */
  tick(now: Date) {
    const today = civilDateOf(now);
    for (const t of this.openTasks()) {
      if (!t.atRisk && compareDates(t.atRiskOn, today) <= 0) {
        t.atRisk = true;
        this.alerts.push({ task: t, flag: 'at_risk' });
        this.record(now, 'visit_at_risk', SYSTEM, { taskId: t.taskId, due: t.due.date });
      }
      if (!t.overdue && compareDates(t.due.date, today) < 0) {
        t.overdue = true;
        this.alerts.push({ task: t, flag: 'overdue' });
        this.record(now, 'visit_overdue', SYSTEM, { taskId: t.taskId, due: t.due.date });
      }
    }
  }

  nextWakeUp(now: Date): Date | undefined {
    const instants: Date[] = [];
    for (const t of this.openTasks()) {
      if (!t.atRisk) instants.push(startOfCivilDay(t.atRiskOn));
      if (!t.overdue) instants.push(endOfCivilDay(t.due.date));
    }
    const first = instants.sort((a, b) => a.getTime() - b.getTime())[0];
    return first && first.getTime() <= now.getTime() ? now : first;
  }
}
