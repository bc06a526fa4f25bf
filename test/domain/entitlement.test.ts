import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import {
  amountAfterStandardChange,
  isRostered,
  type RateEntry,
  rateFor,
  rosterCutoff,
  rosteredMonthsSince,
  settle,
  taperMonths,
} from '../../domain/entitlement';
import { add, sub } from '../../domain/money';

const cal = WorkingCalendar.builtin();
const rate = (fromMonth: string, monthlyAmount: string, key = fromMonth): RateEntry => ({
  key,
  fromMonth,
  monthlyAmount,
  persons: 2,
  reason: 'test',
  parameterVersion: 'v',
});

describe('entitlement over time', () => {
  it('R-A8: the rate for a month is the latest entry from on or before it; a later entry for the same month wins', () => {
    const rates = [rate('2026-01', '1000.00'), rate('2026-05', '1100.00'), rate('2026-05', '1050.00', 'fix')];
    expect(rateFor(rates, '2025-12')).toBeUndefined();
    expect(rateFor(rates, '2026-04')?.monthlyAmount).toBe('1000.00');
    expect(rateFor(rates, '2026-05')?.monthlyAmount).toBe('1050.00');
    expect(rateFor(rates, '2027-01')?.monthlyAmount).toBe('1050.00');
  });

  it('R-M1: a month is rostered from its roster date on (last working day on or before the 5th)', () => {
    // October 2026: the 5th is in the National Day holiday, so the roster moves back to 30 September.
    expect(rosterCutoff(cal, '2026-10')).toBe('2026-09-30');
    expect(isRostered(cal, '2026-10', '2026-09-29')).toBe(false);
    expect(isRostered(cal, '2026-10', '2026-09-30')).toBe(true);
    expect(rosteredMonthsSince(cal, '2026-08', '2026-10-01')).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(rosteredMonthsSince(cal, '2026-08', '2026-09-03')).toEqual(['2026-08']);
  });

  it('R-M2 / R-M8: settling rostered months splits back-pay from recovery and ignores months before the change', () => {
    const paid = ['2026-01', '2026-02', '2026-03', '2026-04'].map((month) => ({
      month,
      amount: '1000.00',
      persons: 2,
      status: 'regular' as const,
    }));
    const s = settle(paid, '2026-02', (m) => (m === '2026-04' ? '0.00' : '1100.00'));
    expect(s).toEqual({
      backPay: '200.00',
      recovery: '1000.00',
      lines: [
        { month: '2026-02', paid: '1000.00', due: '1100.00', difference: '100.00' },
        { month: '2026-03', paid: '1000.00', due: '1100.00', difference: '100.00' },
        { month: '2026-04', paid: '1000.00', due: '0.00', difference: '-1000.00' },
      ],
    });
  });

  prop.prop([
    fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 24 }),
    fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 24, maxLength: 24 }),
  ])('R-M8: paid + back-pay − recovery equals what is due, to the fen', (paidFen, dueFen) => {
    const fen = (n: number) => (n / 100).toFixed(2);
    const months = paidFen.map((p, i) => ({
      month: `2026-${String((i % 12) + 1).padStart(2, '0')}`.replace(
        '2026',
        String(2026 + Math.floor(i / 12)),
      ),
      amount: fen(p),
      persons: 1,
      status: 'regular' as const,
    }));
    const due = (m: string) => fen(dueFen[months.findIndex((x) => x.month === m)]!);
    const s = settle(months, months[0]!.month, due);
    const paid = months.reduce((a, m) => add(a, m.amount), '0');
    const owed = months.reduce((a, m) => add(a, due(m.month)), '0');
    expect(sub(add(paid, s.backPay), s.recovery)).toBe(sub(owed, '0'));
  });

  it('R-M3: six payments after the month of the report, then exit', () => {
    expect(taperMonths('2026-11-23', 6)).toEqual({
      firstMonth: '2026-12',
      lastMonth: '2027-05',
      exitMonth: '2027-06',
    });
    expect(taperMonths('2026-12-31', 6).firstMonth).toBe('2027-01');
  });

  it('R-M8: a standard change moves the amount by the difference times the persons, never below zero', () => {
    expect(amountAfterStandardChange('1000.00', '650.00', '700.00', 2)).toBe('1100.00');
    expect(amountAfterStandardChange('40.00', '700.00', '650.00', 1)).toBe('0.00');
    expect(amountAfterStandardChange('300.50', '650.00', '650.00', 3)).toBe('300.50');
  });
});
