import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { paymentDate, rosterDate } from '../../domain/deadlines';

const cal = WorkingCalendar.builtin();

describe('R-M1 roster and payment dates', () => {
  it.each([
    // [month, roster date, payment date, why]
    ['2026-01', '2026-01-05', '2026-01-09', 'the 10th is a Saturday: pay on Friday the 9th'],
    ['2026-07', '2026-07-03', '2026-07-10', 'the 5th is a Sunday: roster on Friday the 3rd'],
    [
      '2026-10',
      '2026-09-30',
      '2026-10-10',
      'the 5th is in the National Day holiday; the 10th is a make-up working Saturday',
    ],
    ['2025-05', '2025-04-30', '2025-05-09', 'the 5th is a Labour Day holiday (Monday); the 10th a Saturday'],
    ['2024-02', '2024-02-05', '2024-02-09', 'the 10th is the first day of the Spring Festival holiday'],
    ['2026-11', '2026-11-05', '2026-11-10', 'ordinary working days'],
  ])('R-M1: %s — roster %s, payment %s (%s)', (month, roster, pay) => {
    expect(rosterDate(cal, month)).toEqual({ date: roster, provisional: false });
    expect(paymentDate(cal, month)).toEqual({ date: pay, provisional: false });
  });

  it('R-M1 R-T2: a month of a year the calendar does not know is computed Monday–Friday and provisional', () => {
    const d = paymentDate(cal, '2031-05');
    expect(d.provisional).toBe(true);
    expect(d.date).toBe('2031-05-09'); // the 10th is a Saturday
  });
});
