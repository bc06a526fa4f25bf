import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import { addDays, addMonths, compareDates, dayInMonth } from '../../domain/dates';
import {
  actionDeadlineAfterDays,
  actionDeadlineAfterMonths,
  applicationDeadline,
  atRiskDate,
  comparisonCheckDue,
  DEFAULT_DEADLINE_PARAMETERS,
  deadlineInstant,
  deathReviewDue,
  mayDecideAfterPublicity,
  paymentDate,
  publicityEnds,
  rejectionNoticeDue,
  reviewDue,
  rosterDate,
  stepDeadline,
  townshipForwardDue,
  visitReportDue,
} from '../../domain/deadlines';

// Every expected date below was checked against node_modules/chinese-days/dist/chinese-days.json.
const cal = WorkingCalendar.builtin();
const known = (date: string) => ({ date, provisional: false });
const plain = { delegated: false, extended: false };
const civilDate = fc.integer({ min: 0, max: 8900 }).map((i) => addDays('2003-10-01', i));

describe('R-A6 application deadline', () => {
  test('R-A6: 30 working days across Spring Festival 2026 (make-up 02-14 and 02-28 count)', () => {
    expect(applicationDeadline(cal, '2026-02-02', plain)).toEqual(known('2026-03-20'));
    expect(applicationDeadline(cal, '2026-02-13', plain)).toEqual(known('2026-04-02'));
  });

  test('R-A6: delegated approval is due in 20 working days', () => {
    expect(applicationDeadline(cal, '2026-02-02', { delegated: true, extended: false })).toEqual(
      known('2026-03-06'),
    );
    expect(applicationDeadline(cal, '2026-09-14', { delegated: true, extended: false })).toEqual(
      known('2026-10-16'),
    );
  });

  test('R-A6: an extended application is due in 45 working days, even when delegated', () => {
    expect(applicationDeadline(cal, '2026-02-02', { delegated: false, extended: true })).toEqual(
      known('2026-04-13'),
    );
    expect(applicationDeadline(cal, '2026-09-14', { delegated: true, extended: true })).toEqual(
      known('2026-11-20'),
    );
  });

  test('R-A6: 30 working days across Mid-autumn and National Day 2026 (make-up 09-20 and 10-10 count)', () => {
    expect(applicationDeadline(cal, '2026-09-14', plain)).toEqual(known('2026-10-30'));
  });

  test('R-A6/R-T2: a deadline in an unpublished year is provisional and moves when the year arrives', () => {
    const before = applicationDeadline(cal, '2026-11-23', plain);
    expect(before).toEqual({ date: '2027-01-04', provisional: true });
    const y2027: YearCalendar = {
      year: 2027,
      holidays: ['2027-01-01'],
      makeUpWorkdays: [],
      source: 'runtime',
    };
    expect(applicationDeadline(cal.withYear(y2027), '2026-11-23', plain)).toEqual(known('2027-01-05'));
  });

  test('R-A6: the day counts are parameters', () => {
    const params = { ...DEFAULT_DEADLINE_PARAMETERS, applicationWorkingDays: 1 };
    expect(applicationDeadline(cal, '2026-02-13', plain, params)).toEqual(known('2026-02-14'));
    expect(DEFAULT_DEADLINE_PARAMETERS).toMatchObject({
      applicationWorkingDays: 30,
      delegatedWorkingDays: 20,
      extendedWorkingDays: 45,
      atRiskWorkingDays: 5,
    });
  });

  test('R-A2/R-A3/R-A5: step deadlines count working days', () => {
    const p = DEFAULT_DEADLINE_PARAMETERS;
    expect(stepDeadline(cal, '2026-09-14', p.investigationWorkingDays)).toEqual(known('2026-09-28'));
    expect(stepDeadline(cal, '2026-09-14', p.initialOpinionWorkingDays)).toEqual(known('2026-09-20'));
  });

  test('R-A6: an application is at risk 5 working days before its deadline, never before receipt', () => {
    expect(atRiskDate(cal, known('2026-03-20'), 5)).toEqual(known('2026-03-13'));
    expect(atRiskDate(cal, known('2026-02-27'), 5)).toEqual(known('2026-02-13'));
    expect(atRiskDate(cal, known('2026-10-12'), 5)).toEqual(known('2026-09-29'));
    expect(atRiskDate(cal, known('2026-03-20'), 5, '2026-03-16')).toEqual(known('2026-03-16'));
    expect(atRiskDate(cal, known('2026-03-20'), 0)).toEqual(known('2026-03-20'));
    expect(atRiskDate(cal, { date: '2027-01-04', provisional: true }, 5).provisional).toBe(true);
  });

  test.prop([civilDate, fc.integer({ min: 1, max: 45 }), fc.integer({ min: 1, max: 10 })])(
    'R-A6: the at-risk date leaves exactly N working days, or is the start',
    (start, days, n) => {
      const deadline = stepDeadline(cal, start, days);
      const risk = atRiskDate(cal, deadline, n, start);
      if (n < days) expect(cal.workingDaysBetween(risk.date, deadline.date)).toBe(n);
      else expect(risk.date).toBe(start);
    },
  );

  test('R-A7: a rejection notice is due 3 working days after the decision', () => {
    expect(rejectionNoticeDue(cal, '2026-09-30')).toEqual(known('2026-10-10'));
  });
});

describe('R-A4 publicity', () => {
  test('R-A4: publicity ends at 24:00 of the 7th day after posting', () => {
    const end = publicityEnds('2026-03-02');
    expect(end.lastDay).toBe('2026-03-09');
    expect(end.endsAt.toISOString()).toBe('2026-03-09T16:00:00.000Z');
  });

  test('R-A4: publicity is a minimum duration, not moved off a holiday', () => {
    expect(publicityEnds('2026-09-24').lastDay).toBe('2026-10-01');
  });

  test('R-A4: no decision before publicity has ended', () => {
    expect(mayDecideAfterPublicity('2026-03-02', new Date('2026-03-09T15:59:59.999Z'))).toBe(false);
    expect(mayDecideAfterPublicity('2026-03-02', new Date('2026-03-09T16:00:00.000Z'))).toBe(true);
  });
});

describe('R-T1 action deadlines', () => {
  test('R-M2: the death review is due 3 months after death, moved to the next working day', () => {
    expect(deathReviewDue(cal, '2026-07-05')).toEqual(known('2026-10-08'));
    expect(deathReviewDue(cal, '2026-08-31')).toEqual(known('2026-11-30'));
    // 30 Nov + 3 months clamps to 28 Feb, here a make-up Saturday, so it stays.
    expect(deathReviewDue(cal, '2025-11-30')).toEqual(known('2026-02-28'));
    // 2027-02-28 is a Sunday in an unpublished year.
    expect(deathReviewDue(cal, '2026-11-30')).toEqual({ date: '2027-03-01', provisional: true });
  });

  test('R-M6: a comparison hit is checked within 14 days, moved off the National Day holiday', () => {
    expect(comparisonCheckDue(cal, '2026-09-17')).toEqual(known('2026-10-08'));
    expect(comparisonCheckDue(cal, '2026-03-02')).toEqual(known('2026-03-16'));
  });

  test('R-M4: a re-review aims at 2 months and must close within 3', () => {
    expect(reviewDue(cal, '2026-07-31')).toEqual({
      target: known('2026-09-30'),
      latest: known('2026-11-02'),
    });
  });

  test.prop([civilDate, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 24 })])(
    'R-T1: an action deadline is the first working day on or after the last day of the period',
    (from, days, months) => {
      for (const [deadline, lastDay] of [
        [actionDeadlineAfterDays(cal, from, days), addDays(from, days)],
        [actionDeadlineAfterMonths(cal, from, months), addMonths(from, months)],
      ] as const) {
        expect(compareDates(deadline.date, lastDay)).toBeGreaterThanOrEqual(0);
        expect(cal.isWorkingDay(deadline.date).working).toBe(true);
        expect(cal.workingDaysBetween(lastDay, deadline.date)).toBe(
          cal.isWorkingDay(lastDay).working ? 0 : 1,
        );
      }
    },
  );
});

describe('R-M1/R-M7 monthly dates', () => {
  // month → [roster, payment, visit report, township forward], 2026 as published.
  const y2026: Record<string, [string, string, string, string]> = {
    '2026-01': ['2026-01-05', '2026-01-09', '2026-01-20', '2026-01-26'], // 10th Saturday
    '2026-02': ['2026-02-05', '2026-02-10', '2026-02-24', '2026-02-25'], // 20th in Spring Festival
    '2026-04': ['2026-04-03', '2026-04-10', '2026-04-20', '2026-04-27'], // 5th Qingming (Sunday)
    '2026-05': ['2026-04-30', '2026-05-09', '2026-05-20', '2026-05-25'], // Labour Day; 10th Sunday, 9th make-up
    '2026-06': ['2026-06-05', '2026-06-10', '2026-06-22', '2026-06-25'], // 20th Dragon Boat
    '2026-09': ['2026-09-04', '2026-09-10', '2026-09-20', '2026-09-28'], // 20th make-up Sunday; 25th Mid-autumn
    '2026-10': ['2026-09-30', '2026-10-10', '2026-10-20', '2026-10-26'], // 5th National Day; 10th make-up
    '2026-12': ['2026-12-04', '2026-12-10', '2026-12-21', '2026-12-25'],
  };

  test.each(Object.entries(y2026))(
    'R-M1/R-M7: %s roster, payment, visit report and forwarding',
    (month, dates) => {
      expect([
        rosterDate(cal, month),
        paymentDate(cal, month),
        visitReportDue(cal, month),
        townshipForwardDue(cal, month),
      ]).toEqual(dates.map(known));
    },
  );

  test('R-M1: when the 10th is a statutory holiday, pay on the last working day before it', () => {
    // 2016-02-10 (Wednesday, Spring Festival): the last working day is the make-up Saturday 02-06.
    expect(paymentDate(cal, '2016-02')).toEqual(known('2016-02-06'));
    // 2013-06-10 (Monday, Dragon Boat): 06-08 and 06-09 were make-up days.
    expect(paymentDate(cal, '2013-06')).toEqual(known('2013-06-09'));
    // 2024-06-10 (Monday, Dragon Boat).
    expect(paymentDate(cal, '2024-06')).toEqual(known('2024-06-07'));
    expect(paymentDate(cal, '2027-01')).toEqual({ date: '2027-01-08', provisional: true });
  });

  test.prop([civilDate.map((d) => d.slice(0, 7))])(
    'R-M1: the payment date is the last working day on or before the 10th',
    (month) => {
      const tenth = dayInMonth(month, 10);
      const pay = paymentDate(cal, month).date;
      expect(cal.isWorkingDay(pay).working).toBe(true);
      expect(cal.workingDaysBetween(pay, tenth)).toBe(0);
    },
  );

  test('R-T1: a deadline ends at 24:00 Asia/Shanghai', () => {
    expect(deadlineInstant(known('2026-03-20')).toISOString()).toBe('2026-03-20T16:00:00.000Z');
  });
});
