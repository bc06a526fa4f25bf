import { WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import { civilDateOf, compareDates, endOfCivilDay, monthOf, startOfCivilDay } from '../../domain/dates';
import type { Money } from '../../domain/money';
import type { Actor } from '../../domain/roles';
import { documentationDue } from '../../domain/temporary-assistance';
import type {
  TemporaryAssistanceEntry,
  TemporaryAssistanceInput,
  TemporaryAssistanceView,
  TemporaryDecisionInput,
  TemporaryDocumentationInput,
  TemporaryPayment,
  TemporaryPaymentResultInput,
} from '../contracts';
import { checkDecision, checkDocumentation, checkPaymentResult, levelOf } from './checks';

// One request for temporary assistance (R-A10) as a state object: `check*` are the Updates'
// validators (they never mutate), `apply*` the transitions, each recorded with its actor (R-O6).
// Time only raises the documentation's flags (R-O3). No enrolment is held: anyone may apply,
// members of households in support included (R-A1 does not apply).

const SYSTEM = { sub: 'system', role: 'system' } as const;
/** R-M1: after a grant closed as paid, the bank may still return it; the request waits this long. */
export const RETURN_WAIT_DAYS = 45;

export type Flag = 'at_risk' | 'overdue';

export class TemporaryAssistanceState {
  readonly view: TemporaryAssistanceView;
  unsaved: TemporaryAssistanceEntry[] = [];
  private cal: WorkingCalendar;

  constructor(
    readonly input: TemporaryAssistanceInput,
    now: Date,
  ) {
    this.cal = calendarOf(input.runtimeYears);
    const { receivedBy, runtimeYears: _years, ...rest } = input;
    this.view = { ...rest, receivedBy: receivedBy.sub, stage: 'received', history: [] };
    // R-O7: the audit trail names the hardship's kind and the amount, never the person.
    this.record(now, 'received', receivedBy, undefined, {
      hardshipKind: input.hardshipKind,
      amountAsked: input.amountAsked,
      persons: input.members.length,
      source: input.source,
      limitsVersion: input.limits.version,
    });
  }

  /** Decided and every effect of it done: the workflow may end. */
  get done(): boolean {
    const terminal = this.view.stage === 'closed' || this.view.stage === 'rejected';
    return terminal && !this.needsNotice && !this.needsReferralAnswer;
  }

  /**
   * R-M1: a grant closed as paid may still come back from the bank (a return is never lost): the
   * request takes the bank's result until this instant, then ends.
   */
  returnWindowEnd(): Date | undefined {
    const v = this.view;
    if (v.stage !== 'closed' || v.payment?.status !== 'paid' || !v.closedOn) return undefined;
    return new Date(endOfCivilDay(v.closedOn).getTime() + RETURN_WAIT_DAYS * 86_400_000);
  }

  /** R-L3: the register's referral that opened the request is answered with the decision. */
  get needsReferralAnswer(): boolean {
    return (
      this.view.source.kind === 'referral' && this.view.decision !== undefined && !this.view.referralAnswered
    );
  }

  /** Who decided, as the history recorded them (the actor of the register's answer, R-O6). */
  decider(): Actor {
    const e = [...this.view.history].reverse().find((x) => x.action === 'granted' || x.action === 'rejected');
    return e!.by as Actor;
  }

  /** R-A10: an approval is paid at once, once. */
  get needsPayment(): boolean {
    return this.view.decision?.approve === true && !this.view.payment;
  }

  /** The written decision notice, granted or refused. */
  get needsNotice(): boolean {
    return this.view.decision !== undefined && !this.view.noticeId;
  }

  // ---- validators (checks.ts: functions over the view)
  checkDecision(d: TemporaryDecisionInput): void {
    checkDecision(this.view, d);
  }

  checkDocumentation(i: TemporaryDocumentationInput, now: Date): void {
    checkDocumentation(this.view, i, now);
  }

  checkPaymentResult(r: TemporaryPaymentResultInput): void {
    checkPaymentResult(this.view, r);
  }

  // ---- transitions
  /** `grantedThisYear`: what the household had before (an approval checked it against the limits). */
  applyDecision(d: TemporaryDecisionInput, now: Date, grantedThisYear?: Money): void {
    const on = civilDateOf(now);
    const level = levelOf(d.actor);
    this.view.decision = {
      approve: d.approve,
      level,
      ...(d.approve ? { amount: d.amount, grantedThisYear } : {}),
      reasons: d.reasons,
      on,
      by: d.actor.sub,
    };
    if (!d.approve) {
      this.view.stage = 'rejected';
      this.view.closedOn = on;
      this.record(now, 'rejected', d.actor, d.reasons, { level });
      return;
    }
    this.view.stage = 'granted';
    // R-A10: paid first from the township's reserve fund, documented afterwards.
    if (level === 'township') {
      const { due, atRiskOn } = documentationDue(this.cal, on, this.view.limits);
      this.view.documentation = { due, atRiskOn, atRisk: false, overdue: false };
    }
    this.record(now, 'granted', d.actor, d.reasons, {
      level,
      amount: d.amount,
      grantedThisYear,
      documentationDue: this.view.documentation?.due.date,
    });
  }

  paymentSent(p: Omit<TemporaryPayment, 'status' | 'sentOn'>, now: Date): void {
    this.view.payment = { ...p, status: 'sent', sentOn: civilDateOf(now) };
    this.record(now, 'payment_sent', SYSTEM, undefined, {
      lineId: p.lineId,
      amount: p.amount,
      month: p.month,
    });
  }

  referralAnswered(answered: boolean, now: Date): void {
    this.view.referralAnswered = true;
    this.record(now, answered ? 'referral_answered' : 'referral_already_answered', SYSTEM);
  }

  noticeIssued(noticeId: string, now: Date): void {
    this.view.noticeId = noticeId;
    this.record(now, 'notice_issued', SYSTEM, undefined, { noticeId });
  }

  applyDocumentation(i: TemporaryDocumentationInput, now: Date): void {
    const doc = this.view.documentation!;
    const late = compareDates(i.documentedOn, doc.due.date) > 0;
    Object.assign(doc, {
      documentedOn: i.documentedOn,
      by: i.actor.sub,
      summary: i.summary,
      documents: i.documents,
      late,
      atRisk: false,
    });
    if (late) doc.overdue = true;
    this.record(now, 'documented', i.actor, i.summary, {
      documentedOn: i.documentedOn,
      documents: i.documents.length,
      late,
    });
    this.maybeClose(now, i.actor);
  }

  /** The bank's result as the payment's writer applied it (`applied`), or seen before (no change). */
  applyPaymentResult(r: TemporaryPaymentResultInput, outcome: string, now: Date): void {
    const p = this.view.payment!;
    if (outcome === 'applied') {
      p.status = r.outcome;
      p.result = { resultId: r.resultId, outcome: r.outcome, on: r.reportedAt, reason: r.reason };
    }
    this.record(now, `payment_${r.outcome}`, r.actor, r.reason, { resultId: r.resultId, outcome });
    this.maybeClose(now, r.actor);
  }

  /**
   * R-T2: a year's calendar arrived (new, or a correction): an open documentation deadline is
   * counted again from its decision.
   */
  applyCalendar(year: YearCalendar, now: Date): boolean {
    this.cal = this.cal.withYear(year);
    const years = this.input.runtimeYears.filter((y) => y.year !== year.year);
    this.input.runtimeYears.splice(0, this.input.runtimeYears.length, ...years, year);
    const doc = this.view.documentation;
    if (!doc || doc.documentedOn) return false;
    const { due, atRiskOn } = documentationDue(this.cal, this.view.decision!.on, this.view.limits);
    const today = civilDateOf(now);
    Object.assign(doc, { due, atRiskOn });
    // A later date takes back a flag raised on the provisional one.
    if (compareDates(atRiskOn, today) > 0) doc.atRisk = false;
    if (compareDates(due.date, today) >= 0) doc.overdue = false;
    this.record(now, 'calendar_updated', SYSTEM, undefined, { year: year.year, due: due.date });
    return true;
  }

  /** R-O3: flags raised by time on open documentation (each once per deadline). */
  tick(now: Date): Flag[] {
    const doc = this.view.documentation;
    if (!doc || doc.documentedOn) return [];
    if (!doc.overdue && now.getTime() > endOfCivilDay(doc.due.date).getTime()) {
      doc.overdue = true;
      doc.atRisk = false;
      this.record(now, 'documentation_overdue', SYSTEM, undefined, { due: doc.due.date });
      return ['overdue'];
    }
    if (!doc.atRisk && !doc.overdue && now.getTime() >= startOfCivilDay(doc.atRiskOn).getTime()) {
      doc.atRisk = true;
      this.record(now, 'documentation_at_risk', SYSTEM, undefined, { due: doc.due.date });
      return ['at_risk'];
    }
    return [];
  }

  /** The next instant a flag may be raised (none once documented or overdue). */
  nextWakeUp(): Date | undefined {
    const doc = this.view.documentation;
    if (!doc || doc.documentedOn || doc.overdue) return undefined;
    if (!doc.atRisk) return startOfCivilDay(doc.atRiskOn);
    return new Date(endOfCivilDay(doc.due.date).getTime() + 1);
  }

  /** The ledger month of the grant: the month of its decision. */
  paymentMonth(): string {
    return monthOf(this.view.decision!.on);
  }

  snapshot(): TemporaryAssistanceView {
    return JSON.parse(JSON.stringify(this.view)) as TemporaryAssistanceView;
  }

  /** Closed once the money is settled at the bank (paid, or returned) and a township grant documented. */
  private maybeClose(now: Date, by: Actor) {
    const v = this.view;
    if (v.stage !== 'granted') return;
    const settled = v.payment?.status === 'paid' || v.payment?.status === 'returned';
    if (!settled || (v.documentation && !v.documentation.documentedOn)) return;
    v.stage = 'closed';
    v.closedOn = civilDateOf(now);
    this.record(now, 'closed', by);
  }

  private record(
    now: Date,
    action: string,
    by: TemporaryAssistanceEntry['by'],
    reason?: string,
    details?: Record<string, unknown>,
  ) {
    const entry: TemporaryAssistanceEntry = {
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
