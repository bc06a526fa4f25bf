import type { Household, IncomeKind, Member } from './household';
import { compare, div, type Exact, type Money, sum } from './money';

// R-A2: what the information check verified (monthly income, financial assets) is the basis of the
// suggestion wherever it exists; a declared figure stands only where the check has no record. Every
// difference between declared and verified data is listed with both values, and the initial
// opinion addresses each one: accept the verified figure, or keep the declared one with a reason.

export type VerifiedLine = { idNumber: string; monthlyIncome: Money; financialAssets: Money };
export const VERIFIED_FIELDS = ['monthlyIncome', 'financialAssets'] as const;
export type VerifiedField = (typeof VERIFIED_FIELDS)[number];

export interface Difference {
  idNumber: string;
  field: VerifiedField;
  declared: Exact;
  verified: Money;
}

export interface Resolution {
  idNumber: string;
  field: VerifiedField;
  use: 'verified' | 'declared';
  /** Required when the declared figure is kept. */
  reason?: string;
}

/** A member's declared monthly income: monthly amounts plus yearly ones / 12, exact. */
export function declaredMonthlyIncome(m: Member): Exact {
  return sum(m.incomes.map((i) => ('monthlyAmount' in i ? i.monthlyAmount : div(i.annualAmount, 12))));
}

/** Every verified figure that differs from the declared one, member by member. */
export function differences(h: Household, verified: VerifiedLine[]): Difference[] {
  const out: Difference[] = [];
  for (const v of verified) {
    const m = h.members.find((x) => x.idNumber === v.idNumber);
    if (!m) continue;
    const income = declaredMonthlyIncome(m);
    if (compare(income, v.monthlyIncome) !== 0)
      out.push({ idNumber: v.idNumber, field: 'monthlyIncome', declared: income, verified: v.monthlyIncome });
    if (compare(m.assets.financial, v.financialAssets) !== 0)
      out.push({
        idNumber: v.idNumber,
        field: 'financialAssets',
        declared: m.assets.financial,
        verified: v.financialAssets,
      });
  }
  return out;
}

/** The differences an opinion leaves open: none chosen, or the declared figure kept without a reason. */
export function unresolved(diffs: Difference[], resolutions: Resolution[]): Difference[] {
  return diffs.filter((d) => {
    const r = resolutions.find((x) => x.idNumber === d.idNumber && x.field === d.field);
    return !r || (r.use === 'declared' && !r.reason?.trim());
  });
}

const kept = (resolutions: Resolution[], idNumber: string, field: VerifiedField) =>
  resolutions.some((r) => r.idNumber === idNumber && r.field === field && r.use === 'declared');

/**
 * The household the suggestion is computed on: each verified figure replaces the declared one unless
 * the opinion kept the declared figure. A verified income takes the kind of the member's largest
 * declared income (so exemptions and employment costs still apply to it), else counts as `other`.
 */
export function verifiedHousehold(
  h: Household,
  verified: VerifiedLine[],
  resolutions: Resolution[] = [],
): Household {
  const members = h.members.map((m) => {
    const v = verified.find((x) => x.idNumber === m.idNumber);
    if (!v) return m;
    let next = m;
    if (
      !kept(resolutions, m.idNumber, 'monthlyIncome') &&
      compare(declaredMonthlyIncome(m), v.monthlyIncome) !== 0
    )
      next = {
        ...next,
        incomes: [{ kind: mainKind(m), monthlyAmount: v.monthlyIncome, source: 'information check' }],
      };
    if (!kept(resolutions, m.idNumber, 'financialAssets'))
      next = { ...next, assets: { ...next.assets, financial: v.financialAssets } };
    return next;
  });
  return { ...h, members };
}

function mainKind(m: Member): IncomeKind {
  const monthly = (i: Member['incomes'][number]) =>
    'monthlyAmount' in i ? i.monthlyAmount : div(i.annualAmount, 12);
  const largest = [...m.incomes].sort((a, b) => compare(monthly(b), monthly(a)))[0];
  return largest?.kind ?? 'other';
}
