import type { CivilDate } from './dates';
import type { Disability, ExpenseKind, Household, Income, Member } from './household';
import { expenseKinds } from './household';
import { ageOn, validateIdNumber } from './idnumber';
import { compare, div, type Exact, isZero, type Money, max, min, mul, roundMoney, sub, sum } from './money';
import type { PolicyParameters } from './policy';

// Eligibility and amount, R-E1…R-E6. Every figure stays an exact decimal; the only rounding is the
// final `roundMoney(…, policy.rounding)` of an amount (R-E1). Per-capita comparisons are made as
// totals (income < standard × size), so no per-capita figure is ever computed for a decision.

export type Category = 'dibao' | 'marginal' | 'extreme_poverty' | 'expenditure_type' | 'not_eligible';
export type Reason = { rule: string; text: string };
export type SinglePersonEnrolment = { idNumber: string; monthlyAmount: Money; reason: Reason };
export type Deductions = Record<ExpenseKind, Exact> & { employmentCost: Exact; rigidTotal: Exact };
export type Assessment = {
  suggestedCategory: Category;
  monthlyAmount: Money;
  /** counted income / size, exact, for display only (never used for a decision). */
  perCapitaIncome: Exact;
  /** Non-exempt income before deductions. */
  grossIncome: Exact;
  /** Income left out under R-E4 / the county's exemptions. */
  exemptIncome: Exact;
  /** R-E1 "household monthly income": gross income less employment costs (R-E5, 002 §二). */
  countedIncome: Exact;
  deductions: Deductions;
  /** countedIncome less capped rigid spending, floored at zero: the basis of the amount (R-E5). */
  assessedIncome: Exact;
  standard: Money;
  householdSize: number;
  /** ID numbers of the people assessed: the household, or one person under R-E4. */
  assessedMembers: string[];
  singlePersonEnrolments: SinglePersonEnrolment[];
  reasons: Reason[];
  parameterVersion: string;
};

const monthly = (i: Income): Exact => ('monthlyAmount' in i ? i.monthlyAmount : div(i.annualAmount, 12));

/** R-E3 / R-E4 [001 §一] severe (重度): grade 1–2 of any type, grade 3 intellectual or mental only. */
export function isSevereDisability(d: Disability | undefined): boolean {
  if (d === undefined) return false;
  return d.grade <= 2 || (d.grade === 3 && (d.type === 'intellectual' || d.type === 'mental'));
}

/** R-E4: an adult (18+ on `asOf`) with a severe disability and no work ability. */
export function isDisabledAdultWithoutWork(m: Member, asOf: CivilDate): boolean {
  if (!isSevereDisability(m.disability) || m.ableToWork) return false;
  const id = validateIdNumber(m.idNumber);
  return id.ok && ageOn(id.birthDate, asOf) >= 18;
}

/** R-E3: a severe disability (grade 1–2 of any type, grade 3 intellectual or mental) or a serious illness. */
export function qualifiesForSinglePerson(m: Member): boolean {
  return isSevereDisability(m.disability) || m.seriousIllness;
}

/** R-E6 [001 §一]: intellectual/mental 1–3, physical 1–2, visual 1 ('multiple' is not listed). */
export function qualifyingExtremePovertyDisability(d: Disability | undefined): boolean {
  if (d === undefined) return false;
  if (d.type === 'intellectual' || d.type === 'mental') return d.grade <= 3;
  if (d.type === 'physical') return d.grade <= 2;
  return d.type === 'visual' && d.grade === 1;
}

// The figures of an assessed unit (a household, or one person assessed alone).
function figures(unit: readonly Member[], h: Household, p: PolicyParameters, asOf: CivilDate) {
  const reasons: Reason[] = [];
  const gross: Exact[] = [];
  const exempt: Exact[] = [];
  const employment: Exact[] = [];
  const cost = p.employmentCostDeduction;
  for (const m of unit) {
    // R-E1: the county's exempt kinds are no "household income"; R-E4 adds support money.
    const r4 = isDisabledAdultWithoutWork(m, asOf) ? p.incomeExemptions.disabledAdultWithoutWork : [];
    const exemptions = [
      { rule: 'R-E1', kinds: p.incomeExemptions.always },
      { rule: 'R-E4', kinds: r4.filter((k) => !p.incomeExemptions.always.includes(k)) },
    ];
    for (const { rule, kinds } of exemptions) {
      const freed = sum(m.incomes.filter((i) => kinds.includes(i.kind)).map(monthly));
      if (!isZero(freed)) reasons.push({ rule, text: `${m.name}: ${freed} exempt (${kinds.join(', ')})` });
      exempt.push(freed);
    }
    const own = m.incomes.filter((i) => !p.incomeExemptions.always.includes(i.kind) && !r4.includes(i.kind));
    gross.push(sum(own.map(monthly)));
    const earned = sum(own.filter((i) => cost.kinds.includes(i.kind)).map(monthly));
    // A fixed deduction never exceeds the earnings, so more earnings never lower the counted income.
    employment.push(
      cost.mode === 'fraction' ? mul(earned, cost.fraction) : min(earned, cost.amountPerEarner),
    );
  }
  const rigid = Object.fromEntries(
    expenseKinds.map((k) => {
      const spent = sum(
        unit.flatMap((m) => m.rigidExpenses.filter((e) => e.kind === k).map((e) => e.monthlyAmount)),
      );
      return [k, min(spent, p.expenseDeductions[k])];
    }),
  ) as Record<ExpenseKind, Exact>;
  const deductions: Deductions = {
    ...rigid,
    employmentCost: sum(employment),
    rigidTotal: sum(Object.values(rigid)),
  };
  const counted = sub(sum(gross), deductions.employmentCost);
  if (!isZero(deductions.employmentCost)) {
    reasons.push({
      rule: 'R-E5',
      text: `employment costs of ${deductions.employmentCost} deducted from earned income`,
    });
  }
  if (!isZero(deductions.rigidTotal)) {
    const parts = expenseKinds.map((k) => `${k} ${rigid[k]}`).join(', ');
    reasons.push({ rule: 'R-E5', text: `rigid spending deducted within the county's caps: ${parts}` });
  }
  const standard = h.residence === 'urban' ? p.standardUrban : p.standardRural;
  return {
    size: unit.length,
    gross: sum(gross),
    exempt: sum(exempt),
    counted,
    deductions,
    assessed: max(0, sub(counted, deductions.rigidTotal)),
    standard,
    standardTotal: mul(standard, unit.length),
    reasons,
  };
}

/** R-E1 and R-E2 asset limits for the unit; returns the failures (empty when within limits). */
type Figures = ReturnType<typeof figures>;
function assetFailures(unit: readonly Member[], f: Figures, p: PolicyParameters): Reason[] {
  const limits = p.assetLimits;
  const perCapita =
    limits.financialPerCapita.basis === 'absolute'
      ? limits.financialPerCapita.amount
      : mul(mul(f.standard, 12), limits.financialPerCapita.multiple);
  const failures: Reason[] = [];
  const financial = sum(unit.map((m) => m.assets.financial));
  if (compare(financial, mul(perCapita, f.size)) > 0) {
    failures.push({
      rule: 'R-E1',
      text: `financial assets ${financial} exceed ${perCapita} per person × ${f.size}`,
    });
  }
  const vehicles = unit.reduce((n, m) => n + m.assets.vehicles, 0);
  if (vehicles > limits.maxVehicles) {
    failures.push({ rule: 'R-E1', text: `${vehicles} vehicle(s), the county allows ${limits.maxVehicles}` });
  }
  if (!limits.extraHousingAllowed && unit.some((m) => m.assets.extraHousing)) {
    failures.push({ rule: 'R-E1', text: 'owns housing beyond the home lived in' });
  }
  return failures;
}

/** R-E1: standard × size − income, never negative, rounded once (exported to show the arithmetic). */
export function shortfall(
  standard: Money,
  size: number,
  income: Exact,
  p: Pick<PolicyParameters, 'rounding'>,
): Money {
  return roundMoney(max(0, sub(mul(standard, size), income)), p.rounding);
}

// R-E4 [000 §一(二)]: a disabled adult without work who applies alone is assessed alone: own income
// (own share of business/property income is what is recorded under them), own assets only.
function assessedUnit(h: Household, asOf: CivilDate): { unit: Member[]; reasons: Reason[] } {
  if (!h.singlePersonApplication) return { unit: h.members, reasons: [] };
  const applicant = h.members.find((m) => m.relation === 'applicant');
  if (applicant !== undefined && isDisabledAdultWithoutWork(applicant, asOf)) {
    const text = `${applicant.name} assessed alone: own income and own assets only`;
    return { unit: [applicant], reasons: [{ rule: 'R-E4', text }] };
  }
  const text =
    'single-person application refused: the applicant is not a severely disabled adult without work ability';
  return { unit: h.members, reasons: [{ rule: 'R-E4', text }] };
}

export type AssessOptions = {
  /** Date for ages (R-E4 "adult"); defaults to the policy's effectiveFrom, which keeps `assess` pure. */
  asOf?: CivilDate;
};

export function assess(h: Household, p: PolicyParameters, options: AssessOptions = {}): Assessment {
  const asOf = options.asOf ?? p.effectiveFrom;
  const { unit, reasons } = assessedUnit(h, asOf);
  const f = figures(unit, h, p, asOf);
  reasons.push(...f.reasons);
  const result = (
    suggestedCategory: Category,
    monthlyAmount: Money,
    enrol: SinglePersonEnrolment[] = [],
  ) => ({
    suggestedCategory,
    monthlyAmount,
    perCapitaIncome: div(f.counted, f.size),
    grossIncome: f.gross,
    exemptIncome: f.exempt,
    countedIncome: f.counted,
    deductions: f.deductions,
    assessedIncome: f.assessed,
    standard: f.standard,
    householdSize: f.size,
    assessedMembers: unit.map((m) => m.idNumber),
    singlePersonEnrolments: enrol,
    reasons,
    parameterVersion: p.version,
  });

  const assets = assetFailures(unit, f, p);
  if (assets.length > 0) {
    reasons.push(...assets);
    return result('not_eligible', '0.00');
  }

  // R-E6: every assessed person qualifies: disability, no work ability, no income, no supporter.
  const extreme = unit.every((m) => {
    const own = figures([m], h, p, asOf);
    return (
      qualifyingExtremePovertyDisability(m.disability) &&
      !m.ableToWork &&
      isZero(own.gross) &&
      !m.hasSupporter
    );
  });
  if (extreme) {
    const support =
      h.residence === 'urban' ? p.extremePoverty.basicSupportUrban : p.extremePoverty.basicSupportRural;
    const amount = roundMoney(mul(support, f.size), p.rounding);
    const text = `qualifying disability, no work ability, no income, no supporter: ${support} × ${f.size}, paid ${p.extremePoverty.paymentFrequency}`;
    reasons.push({ rule: 'R-E6', text });
    return result('extreme_poverty', amount);
  }

  const amount = shortfall(f.standard, f.size, f.assessed, p);
  const perCapitaBelow = `per-capita income ${div(f.counted, f.size)} is below the standard ${f.standard}`;
  if (compare(f.counted, f.standardTotal) < 0) {
    reasons.push({
      rule: 'R-E1',
      text: `${perCapitaBelow}: ${f.standard} × ${f.size} − ${f.assessed} = ${amount}`,
    });
    return result('dibao', amount);
  }
  if (compare(f.assessed, f.standardTotal) < 0) {
    const text = `income ${f.counted} is not below ${f.standardTotal}, but after rigid spending ${f.assessed} is: shortfall ${amount}`;
    reasons.push({ rule: 'R-E5', text });
    return result('expenditure_type', amount);
  }
  const marginalLimit = mul(f.standardTotal, p.marginalFactor);
  if (compare(f.assessed, marginalLimit) < 0) {
    reasons.push({
      rule: 'R-E2',
      text: `income ${f.assessed} is below ${p.marginalFactor} × ${f.standardTotal}: registered, no cash`,
    });
    return result('marginal', '0.00', singlePersonEnrolments(unit, h, p, asOf, reasons));
  }
  reasons.push({
    rule: 'R-E2',
    text: `income ${f.assessed} is not below ${p.marginalFactor} × ${f.standardTotal}`,
  });
  return result('not_eligible', '0.00');
}

// R-E3: in a marginal household, a qualifying member may be enrolled as a one-person household. Their
// amount is computed exactly as a one-person dibao household: standard − own assessed income (own
// income after exemptions, employment costs and own rigid spending within caps), floored at zero.
function singlePersonEnrolments(
  unit: readonly Member[],
  h: Household,
  p: PolicyParameters,
  asOf: CivilDate,
  reasons: Reason[],
): SinglePersonEnrolment[] {
  const enrolments: SinglePersonEnrolment[] = [];
  for (const m of unit.filter(qualifiesForSinglePerson)) {
    const own = figures([m], h, p, asOf);
    const amount = shortfall(own.standard, 1, own.assessed, p);
    if (compare(own.assessed, own.standard) < 0 && compare(amount, 0) > 0) {
      const text = `${m.name} may be enrolled alone: ${own.standard} − ${own.assessed} = ${amount}`;
      enrolments.push({ idNumber: m.idNumber, monthlyAmount: amount, reason: { rule: 'R-E3', text } });
    } else {
      const text = `${m.name}: own income ${own.assessed} leaves no shortfall below ${own.standard}`;
      reasons.push({ rule: 'R-E3', text });
    }
  }
  return enrolments;
}
