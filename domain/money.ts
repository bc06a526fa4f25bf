import Decimal from 'decimal.js';

// Money is never a JS number (STYLE.md "Money and time"). At every boundary it is a decimal string
// with at most 2 fraction digits; inside the domain, intermediate figures are `Exact` decimal strings
// that are never rounded until `roundMoney`, the one named rounding place (R-E1).
export type Money = string;
/** An unrounded decimal string (intermediate figure, e.g. a per-capita income or annual/12). */
export type Exact = string;

/** A factor: a decimal string, or a safe integer such as a household size. */
export type Operand = Exact | number;

// 40 significant digits: sums and products of yuan amounts stay exact; only `div` can hit the limit.
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -50, toExpPos: 50 });
type D = InstanceType<typeof D>;

export const MONEY = /^(0|[1-9]\d*)(\.\d{1,2})?$/;
export const SIGNED_MONEY = /^-?(0|[1-9]\d*)(\.\d{1,2})?$/;
export const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;
const SIGNED_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Well-formed strings, for refinements that must not run Decimal on anything else. */
export const isMoney = (s: string): boolean => MONEY.test(s);
export const isDecimal = (s: string): boolean => DECIMAL.test(s);
export type RoundingRule = { scale: 0 | 1 | 2; mode: 'half_up' | 'up' | 'down' };
/** R-E1 default: to 0.01 yuan, half up. */
export const DEFAULT_ROUNDING: RoundingRule = { scale: 2, mode: 'half_up' };

// 'up' and 'down' are away from / towards zero, like half_up's tie-break (decimal.js semantics).
const MODES = { half_up: D.ROUND_HALF_UP, up: D.ROUND_UP, down: D.ROUND_DOWN } as const;

function dec(x: Operand): D {
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x)) throw new RangeError(`money: only safe integers may be numbers, got ${x}`);
    return new D(x);
  }
  if (!SIGNED_DECIMAL.test(x)) throw new RangeError(`money: not a decimal string: "${x}"`);
  return new D(x);
}

// toFixed() never uses exponent notation; "-0" is normalised so equal values print equally.
function out(x: D): Exact {
  return x.isZero() ? '0' : x.toFixed();
}

export const add = (a: Operand, b: Operand): Exact => out(dec(a).plus(dec(b)));
export const sub = (a: Operand, b: Operand): Exact => out(dec(a).minus(dec(b)));
export const mul = (a: Operand, b: Operand): Exact => out(dec(a).times(dec(b)));
/** Division at the internal precision (40 significant digits); no money rounding. */
export function div(a: Operand, b: Operand): Exact {
  const divisor = dec(b);
  if (divisor.isZero()) throw new RangeError('money: division by zero');
  return out(dec(a).dividedBy(divisor));
}
export const sum = (list: readonly Operand[]): Exact =>
  out(list.reduce<D>((acc, x) => acc.plus(dec(x)), new D(0)));
export const neg = (a: Operand): Exact => out(dec(a).negated());

export const compare = (a: Operand, b: Operand): -1 | 0 | 1 => dec(a).comparedTo(dec(b)) as -1 | 0 | 1;
export const isZero = (a: Operand): boolean => dec(a).isZero();
export const isNegative = (a: Operand): boolean => !dec(a).isZero() && dec(a).isNegative();
export const max = (a: Operand, b: Operand): Exact => (compare(a, b) >= 0 ? out(dec(a)) : out(dec(b)));
export const min = (a: Operand, b: Operand): Exact => (compare(a, b) <= 0 ? out(dec(a)) : out(dec(b)));

/** The one rounding place (R-E1): round to the rule's scale, printed with exactly 2 decimals. */
export function roundMoney(x: Operand, rule: RoundingRule = DEFAULT_ROUNDING): Money {
  const r = dec(x).toDecimalPlaces(rule.scale, MODES[rule.mode]);
  return r.isZero() ? '0.00' : r.toFixed(2);
}

/**
 * Canonical 2-decimal form of a figure that is already money ("5" → "5.00"). Refuses a value with
 * more than 2 fraction digits instead of rounding it: rounding happens only in `roundMoney`.
 */
export function toMoney(x: Operand): Money {
  const d = dec(x);
  if (d.decimalPlaces() > 2) throw new RangeError(`money: ${x} has more than 2 decimals; use roundMoney`);
  return d.isZero() ? '0.00' : d.toFixed(2);
}
