import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { TemporaryAssistanceState } from '../../workflows/temporary-assistance/state';
import { at, refusal } from '../helpers/application-state-kit';
import { unpublishedYear, weekdayOnOrAfter } from '../helpers/calendar';
import { actor, COUNTY } from '../helpers/fixtures';
import { temporaryInput } from '../helpers/temporary-assistance';

// R-A10 on the state object alone (no Temporal, no Postgres). Received on Friday 2026-03-06: the
// next week has no holiday, so a township grant decided that day is documented by 03-13.

const RECEIVED = '2026-03-06';
const clerk = actor('township_staff', undefined, 'clerk-1');
const county = actor('county_staff', COUNTY, 'county-1');
const received = () => new TemporaryAssistanceState(temporaryInput(RECEIVED), at(RECEIVED));
const grant = (amount: string, by = clerk) => ({ actor: by, approve: true, amount, reasons: 'house fire' });

describe('TemporaryAssistanceState (no server)', () => {
  it('R-A10: the township grants within its limit, pays first and documents within 5 working days', () => {
    const s = received();
    s.checkDecision(grant('800.00'));
    s.applyDecision(grant('800.00'), at(RECEIVED), '0.00');
    expect(s.view).toMatchObject({
      stage: 'granted',
      decision: { approve: true, level: 'township', amount: '800.00', on: RECEIVED },
      documentation: { due: { date: '2026-03-13' }, atRiskOn: '2026-03-11', atRisk: false, overdue: false },
    });
    expect(s.needsPayment).toBe(true);
    expect(s.needsNotice).toBe(true);
  });

  it('R-A10: above the township’s per-grant limit the county decides (a township decision is refused)', () => {
    const s = received();
    expect(refusal(() => s.checkDecision(grant('1000.01')))).toBe('WrongRole in received');
    s.checkDecision(grant('2500.00', county));
    s.applyDecision(grant('2500.00', county), at(RECEIVED));
    // A county grant is decided on its documents: nothing is documented afterwards.
    expect(s.view.decision?.level).toBe('county');
    expect(s.view.documentation).toBeUndefined();
  });

  it('R-A10: R-A1 does not apply — no enrolment is asked for; anyone may apply', () => {
    const s = received();
    expect(s.view.history.map((e) => e.action)).toEqual(['received']);
    // R-O7: the audit trail names the hardship's kind and amount, never the person.
    expect(JSON.stringify(s.unsaved)).not.toContain('李四');
  });

  it('R-A10: a decision is taken once, by township or county staff reaching the village', () => {
    const s = received();
    expect(refusal(() => s.checkDecision(grant('100.00', actor('supervisor', COUNTY))))).toBe(
      'WrongRole in received',
    );
    expect(refusal(() => s.checkDecision(grant('100.00', actor('township_staff', '140802102'))))).toBe(
      'WrongRole in received',
    );
    expect(refusal(() => s.checkDecision({ actor: clerk, approve: true, reasons: 'x' }))).toBe(
      'InvalidStep in received',
    );
    const refuse = { actor: clerk, approve: false, reasons: 'no sudden hardship' };
    s.checkDecision(refuse);
    s.applyDecision(refuse, at(RECEIVED));
    expect(s.view.stage).toBe('rejected');
    expect(s.needsPayment).toBe(false);
    expect(s.needsNotice).toBe(true);
    expect(refusal(() => s.checkDecision(grant('100.00')))).toBe('WrongStage in rejected');
  });

  it('R-A10 R-O3: the documentation goes at risk, then overdue; documented late it stays overdue and closes once paid', () => {
    const s = received();
    s.applyDecision(grant('800.00'), at(RECEIVED), '0.00');
    s.paymentSent({ lineId: 'L', amount: '800.00', month: '2026-03' }, at(RECEIVED));
    expect(s.tick(at('2026-03-10', '23:59'))).toEqual([]);
    expect(s.nextWakeUp()).toEqual(at('2026-03-11', '00:00'));
    expect(s.tick(at('2026-03-11', '00:00'))).toEqual(['at_risk']);
    expect(s.tick(at('2026-03-13', '23:59'))).toEqual([]);
    expect(s.tick(at('2026-03-14', '00:01'))).toEqual(['overdue']);
    expect(s.nextWakeUp()).toBeUndefined();

    const paid = {
      actor: clerk,
      resultId: 'r1',
      outcome: 'paid' as const,
      reportedAt: '2026-03-09T10:00:00+08:00',
    };
    s.checkPaymentResult(paid);
    s.applyPaymentResult(paid, 'applied', at('2026-03-16'));
    expect(s.view.stage).toBe('granted'); // the documentation is still missing
    const doc = {
      actor: clerk,
      documentedOn: '2026-03-16',
      summary: 'fire brigade report',
      documents: ['report'],
    };
    expect(
      refusal(() => s.checkDocumentation({ ...doc, documentedOn: '2026-03-05' }, at('2026-03-16'))),
    ).toBe('InvalidStep in granted');
    expect(refusal(() => s.checkDocumentation({ ...doc, actor: county }, at('2026-03-16')))).toBe(
      'WrongRole in granted',
    );
    s.checkDocumentation(doc, at('2026-03-16'));
    s.applyDocumentation(doc, at('2026-03-16'));
    expect(s.view.documentation).toMatchObject({ late: true, overdue: true, atRisk: false });
    expect(s.view.stage).toBe('closed');
  });

  it('R-A10: a payment result before the line is written is refused; a failed line keeps the request open', () => {
    const s = received();
    const failed = {
      actor: clerk,
      resultId: 'r1',
      outcome: 'failed' as const,
      reportedAt: '2026-03-07T10:00:00Z',
    };
    expect(refusal(() => s.checkPaymentResult(failed))).toBe('WrongStage in received');
    s.applyDecision(grant('500.00', county), at(RECEIVED));
    s.paymentSent({ lineId: 'L', amount: '500.00', month: '2026-03' }, at(RECEIVED));
    s.applyPaymentResult(failed, 'applied', at('2026-03-07'));
    expect(s.view).toMatchObject({ stage: 'granted', payment: { status: 'failed' } });
    s.applyPaymentResult({ ...failed, resultId: 'r2', outcome: 'paid' }, 'applied', at('2026-03-09'));
    expect(s.view).toMatchObject({ stage: 'closed', payment: { status: 'paid' } });
    // R-M1: closed as paid, the request still takes a return for 45 days.
    expect(s.returnWindowEnd()).toEqual(new Date(at('2026-03-10', '00:00').getTime() + 45 * 86_400_000));
    s.checkPaymentResult({ ...failed, resultId: 'r3', outcome: 'returned' });
    s.applyPaymentResult({ ...failed, resultId: 'r3', outcome: 'returned' }, 'applied', at('2026-03-20'));
    expect(s.view).toMatchObject({ stage: 'closed', payment: { status: 'returned' } });
    expect(s.returnWindowEnd()).toBeUndefined();
  });

  it('R-T2: documentation due in a year not yet published is provisional and recounted when the year arrives', () => {
    const year = unpublishedYear();
    const on = weekdayOnOrAfter(`${year}-03-02`);
    const s = new TemporaryAssistanceState(temporaryInput(on), at(on));
    s.applyDecision(grant('800.00'), at(on), '0.00');
    expect(s.view.documentation?.due.provisional).toBe(true);
    const holiday = WorkingCalendar.empty().addWorkingDays(on, 1).date;
    const published = { year, holidays: [holiday], makeUpWorkdays: [], source: 'runtime' as const };
    s.applyCalendar(published, at(on));
    expect(s.view.documentation?.due).toEqual(
      WorkingCalendar.builtin().withYear(published).addWorkingDays(on, 5),
    );
    expect(s.view.documentation?.due.provisional).toBe(false);
  });
});
