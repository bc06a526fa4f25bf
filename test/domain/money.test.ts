import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  add,
  compare,
  div,
  isNegative,
  isZero,
  max,
  min,
  mul,
  neg,
  roundMoney,
  sub,
  sum,
  toMoney,
} from '../../domain/money';
import { moneySchema, signedMoneySchema } from '../../domain/money-schema';

// A decimal string with up to 4 fraction digits, built from an integer so no float is involved.
const decimal = fc
  .tuple(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.integer({ min: 0, max: 4 }))
  .map(([units, scale]) => {
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
    const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return negative ? `-${body}` : body;
  });
const cents = fc
  .bigInt({ min: 0n, max: 10n ** 12n })
  .map((c) => toMoney(`${c / 100n}.${`${c % 100n}`.padStart(2, '0')}`));

describe('money', () => {
  test('R-E1: money schemas accept decimal strings with at most 2 decimals', () => {
    for (const ok of ['0', '0.5', '733.33', '1000000.00'])
      expect(moneySchema.safeParse(ok).success).toBe(true);
    for (const bad of ['-1.00', '1.005', '01.00', '1e3', '', ' 1', '1.', '.5', 'NaN']) {
      expect(moneySchema.safeParse(bad).success).toBe(false);
    }
    expect(signedMoneySchema.safeParse('-12.30').success).toBe(true);
    expect(signedMoneySchema.safeParse('-12.345').success).toBe(false);
  });

  test('R-E1: toMoney prints exactly 2 decimals and refuses to round', () => {
    expect(toMoney('5')).toBe('5.00');
    expect(toMoney('733.3')).toBe('733.30');
    expect(toMoney('-0')).toBe('0.00');
    expect(() => toMoney('100.005')).toThrow(RangeError);
  });

  test('R-E1: roundMoney is the one rounding place, half up by default', () => {
    expect(roundMoney('2099.985')).toBe('2099.99');
    expect(roundMoney('2099.984999')).toBe('2099.98');
    expect(roundMoney('12.345', { scale: 2, mode: 'down' })).toBe('12.34');
    expect(roundMoney('12.341', { scale: 2, mode: 'up' })).toBe('12.35');
    expect(roundMoney('12.5', { scale: 0, mode: 'half_up' })).toBe('13.00');
    expect(roundMoney('12.45', { scale: 1, mode: 'half_up' })).toBe('12.50');
    expect(roundMoney('-0.004')).toBe('0.00');
  });

  test('R-E1: arithmetic is exact decimal, not binary floating point', () => {
    expect(add('0.1', '0.2')).toBe('0.3');
    expect(mul('733.33', 3)).toBe('2199.99');
    expect(div('1200.06', 12)).toBe('100.005');
    expect(div('1', '10000000000')).toBe('0.0000000001'); // never exponent notation
    expect(sum([])).toBe('0');
    expect(sum(['1.10', '2.20', '-0.30'])).toBe('3');
    expect(neg('0')).toBe('0');
    expect(max('1.5', '1.50')).toBe('1.5');
    expect(min('-1', '0')).toBe('-1');
    expect(isZero('0.00')).toBe(true);
    expect(isNegative('-0.00')).toBe(false);
    expect(() => mul('1', 0.1)).toThrow(RangeError); // a JS fraction is never money
    expect(() => div('1', '0')).toThrow(RangeError);
    expect(() => add('1,00', '1')).toThrow(RangeError);
  });

  test.prop([decimal, decimal])('R-E1: sub undoes add', (a, b) => {
    expect(compare(sub(add(a, b), b), a)).toBe(0);
    expect(compare(add(sub(a, b), b), a)).toBe(0);
  });

  test.prop([decimal, decimal])('R-E1: add commutes and neg is its inverse', (a, b) => {
    expect(add(a, b)).toBe(add(b, a));
    expect(add(a, neg(a))).toBe('0');
  });

  test.prop([fc.array(decimal)])('R-E1: sum equals repeated add', (list) => {
    expect(sum(list)).toBe(list.reduce((acc, x) => add(acc, x), '0'));
  });

  test.prop([decimal, fc.integer({ min: 1, max: 1000 })])(
    'R-E1: div undoes mul by a household size',
    (a, n) => {
      expect(compare(div(mul(a, n), n), a)).toBe(0);
    },
  );

  test.prop([decimal])('R-E1: rounding is idempotent, bounded by down/up, within half a cent', (x) => {
    const r = roundMoney(x);
    expect(roundMoney(r)).toBe(r);
    expect(compare(roundMoney(x, { scale: 2, mode: 'down' }), x) <= 0 || isNegative(x)).toBe(true);
    expect(compare(roundMoney(x, { scale: 2, mode: 'up' }), x) >= 0 || isNegative(x)).toBe(true);
    const error = sub(r, x);
    expect(compare(isNegative(error) ? neg(error) : error, '0.005')).toBeLessThanOrEqual(0);
    expect(moneySchema.safeParse(r).success || isNegative(r)).toBe(true);
  });

  test.prop([cents])('R-E1: toMoney is canonical and passes the schema', (m) => {
    expect(m).toMatch(/^\d+\.\d{2}$/);
    expect(toMoney(m)).toBe(m);
    expect(moneySchema.safeParse(m).success).toBe(true);
  });
});
