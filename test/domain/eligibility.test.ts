import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { assess, qualifyingExtremePovertyDisability, shortfall } from '../../domain/eligibility';
import {
  type DisabilityType,
  expenseKinds,
  type Household,
  type HouseholdInput,
  type Member,
} from '../../domain/household';
import { householdSchema } from '../../domain/household-schema';
import { makeIdNumber } from '../../domain/idnumber';
import { compare, div, isNegative, mul, roundMoney, sub } from '../../domain/money';
import { moneySchema } from '../../domain/money-schema';
import { defaultPolicy, type PolicyParameters } from '../../domain/policy';

const ON = '2025-03-01';
const policy = (patch: Partial<Parameters<typeof defaultPolicy>[0]> = {}): PolicyParameters =>
  defaultPolicy({
    countyCode: '140802',
    effectiveFrom: '2025-01-01',
    standardUrban: '733.33',
    standardRural: '600.00',
    ...patch,
  });
const P = policy();

let seq = 0;
function member(patch: Partial<Member> & { born?: string } = {}): Member {
  const { born = '1980-01-01', ...rest } = patch;
  seq = (seq + 1) % 1000;
  return {
    name: `member ${seq}`,
    idNumber: makeIdNumber('140802', born, seq),
    relation: 'spouse',
    seriousIllness: false,
    ableToWork: true,
    incomes: [],
    assets: { financial: '0.00', vehicles: 0, extraHousing: false },
    rigidExpenses: [],
    hasSupporter: true,
    ...rest,
  };
}
function household(members: Member[], patch: Partial<HouseholdInput> = {}): Household {
  const [first, ...others] = members;
  return householdSchema.parse({
    residence: 'urban',
    livesApartFromRegistration: false,
    filedAwayFromHome: false,
    ...patch,
    members: [{ ...first, relation: 'applicant' }, ...others],
  });
}
const pension = (monthlyAmount: string) => ({ kind: 'pension' as const, monthlyAmount });
const run = (h: Household, p = P) => assess(h, p, { asOf: ON });

describe('R-A1 household input', () => {
  const input = (members: Member[]) => ({
    residence: 'rural',
    livesApartFromRegistration: false,
    filedAwayFromHome: false,
    members,
  });

  test('R-A1: exactly one applicant and no member twice', () => {
    const a = member({ relation: 'applicant' });
    expect(householdSchema.safeParse(input([a, member()])).success).toBe(true);
    expect(householdSchema.safeParse(input([a, { ...a, relation: 'spouse' }])).success).toBe(false);
    expect(householdSchema.safeParse(input([member(), member()])).success).toBe(false);
    expect(householdSchema.safeParse(input([a, member({ relation: 'applicant' })])).success).toBe(false);
  });

  test('R-A1: money fields are decimal strings; an income is monthly or yearly, not both', () => {
    const a = member({ relation: 'applicant' });
    const withIncome = (income: object) => input([{ ...a, incomes: [income] } as Member]);
    expect(householdSchema.safeParse(withIncome({ kind: 'wage', monthlyAmount: '100.00' })).success).toBe(
      true,
    );
    expect(householdSchema.safeParse(withIncome({ kind: 'wage', monthlyAmount: 100 })).success).toBe(false);
    expect(
      householdSchema.safeParse(withIncome({ kind: 'wage', monthlyAmount: '1.00', annualAmount: '12.00' }))
        .success,
    ).toBe(false);
    expect(householdSchema.safeParse(input([{ ...a, idNumber: '110105194912310021' }])).success).toBe(false);
  });
});

describe('R-E1 dibao', () => {
  test('R-E1: amount is the shortfall, rounded once', () => {
    // 3 persons at 733.33; a seasonal income of 1200.06 a year is 100.005 a month.
    const h = household([
      member({ incomes: [{ kind: 'business', annualAmount: '1200.06' }] }),
      member(),
      member(),
    ]);
    const a = run(h);
    expect(a.countedIncome).toBe('100.005');
    expect(a).toMatchObject({ suggestedCategory: 'dibao', monthlyAmount: '2099.99', householdSize: 3 });
    expect(a.perCapitaIncome).toBe('33.335');
    // Rounding the per-capita income first would pay 2 cents less: (733.33 − 33.34) × 3 = 2099.97.
    const perCapitaFirst = mul(sub('733.33', roundMoney(div('100.005', 3))), 3);
    expect(perCapitaFirst).toBe('2099.97');
    expect(shortfall('733.33', 3, '100.005', P)).toBe('2099.99');
  });

  test('R-E1: simple shortfall with a reason citing the rule and the parameter version', () => {
    const h = household([member({ incomes: [pension('500.00')] }), member()], { residence: 'rural' });
    const a = run(h);
    expect(a).toMatchObject({ suggestedCategory: 'dibao', monthlyAmount: '700.00', standard: '600.00' });
    expect(a.parameterVersion).toBe(P.version);
    expect(a.reasons.find((r) => r.rule === 'R-E1')?.text).toContain('600.00 × 2 − 500 = 700.00');
  });

  test('R-E1: per-capita income equal to the standard is not below it', () => {
    const a = run(household([member({ incomes: [pension('600.00')] })], { residence: 'rural' }));
    expect(a.suggestedCategory).toBe('marginal');
    expect(a.monthlyAmount).toBe('0.00');
  });

  test('R-E1: the county rounding rule is applied once, at the end', () => {
    const h = household([
      member({ incomes: [{ kind: 'business', annualAmount: '1200.06' }] }),
      member(),
      member(),
    ]);
    expect(run(h, policy({ rounding: { scale: 0, mode: 'up' } })).monthlyAmount).toBe('2100.00');
    expect(run(h, policy({ rounding: { scale: 1, mode: 'down' } })).monthlyAmount).toBe('2099.90');
  });

  test('R-E1: assets over the limits make the household not eligible, each with a reason', () => {
    const limit = mul(mul('733.33', 12), 2); // 2 × the annual standard per person
    const rich = member({ assets: { financial: '35199.85', vehicles: 1, extraHousing: true } });
    const a = run(household([rich, member()]));
    expect(limit).toBe('17599.92');
    expect(a).toMatchObject({ suggestedCategory: 'not_eligible', monthlyAmount: '0.00' });
    expect(a.reasons.filter((r) => r.rule === 'R-E1')).toHaveLength(3);
    const justWithin = member({ assets: { financial: '35199.84', vehicles: 0, extraHousing: false } });
    expect(run(household([justWithin, member()])).suggestedCategory).toBe('dibao');
    const absolute = policy({
      assetLimits: { financialPerCapita: { basis: 'absolute', amount: '10000.00' } },
    });
    expect(run(household([justWithin, member()]), absolute).suggestedCategory).toBe('not_eligible');
  });
});

describe('R-E2 marginal', () => {
  test('R-E2: below 1.5 × the standard is marginal, with no cash', () => {
    const a = run(household([member({ incomes: [pension('899.99')] })], { residence: 'rural' }));
    expect(a).toMatchObject({
      suggestedCategory: 'marginal',
      monthlyAmount: '0.00',
      singlePersonEnrolments: [],
    });
    expect(a.reasons.map((r) => r.rule)).toContain('R-E2');
    expect(
      run(household([member({ incomes: [pension('900.00')] })], { residence: 'rural' })).suggestedCategory,
    ).toBe('not_eligible');
  });

  test('R-E2: the marginal factor is a parameter', () => {
    const h = household([member({ incomes: [pension('1000.00')] })], { residence: 'rural' });
    expect(run(h).suggestedCategory).toBe('not_eligible');
    expect(run(h, policy({ marginalFactor: '2' })).suggestedCategory).toBe('marginal');
  });
});

describe('R-E3 single-person enrolment', () => {
  // Rural, standard 600: a marginal household of 2 with income 1500 (per capita 750).
  const earner = () => member({ incomes: [pension('1500.00')] });

  test('R-E3: a grade 1–2 member of a marginal household is enrolled alone at standard − own income', () => {
    const disabled = member({ disability: { grade: 2, type: 'physical' }, incomes: [pension('150.00')] });
    const a = run(household([earner(), disabled], { residence: 'rural' }));
    expect(a.suggestedCategory).toBe('marginal');
    expect(a.singlePersonEnrolments).toEqual([
      {
        idNumber: disabled.idNumber,
        monthlyAmount: '450.00',
        reason: expect.objectContaining({ rule: 'R-E3' }),
      },
    ]);
  });

  test('R-E3: grade 3 qualifies only for intellectual or mental disability; serious illness qualifies', () => {
    const mental = member({ disability: { grade: 3, type: 'mental' } });
    const physical3 = member({ disability: { grade: 3, type: 'physical' } });
    const ill = member({ seriousIllness: true });
    const a = run(household([earner(), mental, physical3, ill], { residence: 'rural' }));
    const h = household([member({ incomes: [pension('3000.00')] }), mental, physical3, ill], {
      residence: 'rural',
    });
    const b = run(h);
    expect(a.suggestedCategory).toBe('dibao'); // 1500 over 4 persons is below 600: no single enrolments
    expect(a.singlePersonEnrolments).toEqual([]);
    expect(b.suggestedCategory).toBe('marginal');
    expect(b.singlePersonEnrolments.map((e) => e.idNumber)).toEqual([mental.idNumber, ill.idNumber]);
    expect(b.singlePersonEnrolments.map((e) => e.monthlyAmount)).toEqual(['600.00', '600.00']);
  });

  test('R-E3: a qualifying member whose own income is not below the standard is not enrolled', () => {
    const ill = member({ seriousIllness: true, incomes: [pension('700.00')] });
    const a = run(household([member({ incomes: [pension('800.00')] }), ill], { residence: 'rural' }));
    expect(a.suggestedCategory).toBe('marginal');
    expect(a.singlePersonEnrolments).toEqual([]);
    expect(a.reasons.some((r) => r.rule === 'R-E3' && r.text.includes('no shortfall'))).toBe(true);
  });
});

describe('R-E4 disabled adult without work', () => {
  const support = [
    { kind: 'support_from_sibling' as const, monthlyAmount: '300.00' },
    { kind: 'support_from_elderly_60plus' as const, monthlyAmount: '200.00' },
  ];

  test('R-E4: support from siblings and from people aged 60+ is exempt', () => {
    const p = member({
      disability: { grade: 2, type: 'hearing' },
      ableToWork: false,
      incomes: [...support, pension('100.00')],
    });
    const a = run(household([p], { residence: 'rural' }));
    expect(a).toMatchObject({ exemptIncome: '500', countedIncome: '100', monthlyAmount: '500.00' });
    expect(a.reasons.map((r) => r.rule)).toContain('R-E4');
  });

  test('R-E4: the exemption needs a disability, no work ability, and adulthood', () => {
    const able = member({ disability: { grade: 2, type: 'hearing' }, incomes: support });
    const minor = member({
      disability: { grade: 2, type: 'hearing' },
      ableToWork: false,
      incomes: support,
      born: '2010-01-01',
    });
    expect(run(household([able], { residence: 'rural' })).countedIncome).toBe('500');
    expect(run(household([minor], { residence: 'rural' })).countedIncome).toBe('500');
  });

  test('R-E4: applying alone, only own income and own assets are assessed', () => {
    const person = member({
      disability: { grade: 1, type: 'physical' },
      ableToWork: false,
      incomes: support,
    });
    const sibling = member({
      relation: 'sibling',
      incomes: [{ kind: 'wage', monthlyAmount: '5000.00' }],
      assets: { financial: '100000.00', vehicles: 1, extraHousing: true },
    });
    const together = run(household([person, sibling], { residence: 'rural' }));
    expect(together.suggestedCategory).toBe('not_eligible');
    const alone = run(household([person, sibling], { residence: 'rural', singlePersonApplication: true }));
    expect(alone).toMatchObject({ householdSize: 1, assessedMembers: [person.idNumber], countedIncome: '0' });
    expect(alone).toMatchObject({ suggestedCategory: 'dibao', monthlyAmount: '600.00' });
  });

  test('R-E4: only a severe disability counts: grade 1–2 of any type, grade 3 intellectual or mental; grade 3 physical and grade 4 do not', () => {
    const withDisability = (disability: Member['disability']) =>
      member({ disability, ableToWork: false, incomes: support });
    const severe = [
      { grade: 1, type: 'physical' },
      { grade: 2, type: 'visual' },
      { grade: 3, type: 'intellectual' },
      { grade: 3, type: 'mental' },
    ] as const;
    const notSevere = [
      { grade: 3, type: 'physical' },
      { grade: 3, type: 'hearing' },
      { grade: 4, type: 'mental' },
    ] as const;
    for (const d of severe) {
      expect(run(household([withDisability(d)], { residence: 'rural' })).exemptIncome).toBe('500');
    }
    for (const d of notSevere) {
      const p = withDisability(d);
      const earner = member({ relation: 'sibling', incomes: [pension('3000.00')] });
      expect(run(household([p], { residence: 'rural' })).exemptIncome).toBe('0');
      // Applying alone is refused: the whole household is assessed.
      const alone = run(household([p, earner], { residence: 'rural', singlePersonApplication: true }));
      expect(alone).toMatchObject({ householdSize: 2, assessedMembers: [p.idNumber, earner.idNumber] });
      expect(alone.reasons.some((r) => r.rule === 'R-E4' && r.text.includes('refused'))).toBe(true);
    }
  });

  test('R-E4: a single-person application by someone else is assessed as the whole household', () => {
    const h = household([member(), member()], { residence: 'rural', singlePersonApplication: true });
    const a = run(h);
    expect(a.householdSize).toBe(2);
    expect(a.reasons.some((r) => r.rule === 'R-E4' && r.text.includes('refused'))).toBe(true);
  });
});

describe('R-E5 expenditure-type', () => {
  test('R-E5: employment costs are deducted from earned income (default 10% of wages)', () => {
    const a = run(
      household([member({ incomes: [{ kind: 'wage', monthlyAmount: '800.00' }] })], { residence: 'rural' }),
    );
    expect(a).toMatchObject({ grossIncome: '800', countedIncome: '720', suggestedCategory: 'marginal' });
    expect(a.deductions.employmentCost).toBe('80');
    const fixed = policy({
      employmentCostDeduction: { mode: 'fixed', amountPerEarner: '450.00', kinds: ['wage'] },
    });
    const b = run(
      household([member({ incomes: [{ kind: 'wage', monthlyAmount: '300.00' }] })], { residence: 'rural' }),
      fixed,
    );
    expect(b).toMatchObject({ countedIncome: '0', monthlyAmount: '600.00' }); // never more than the wage
  });

  test('R-E5: income above the standard but below it after rigid spending is expenditure-type', () => {
    const ill = member({
      incomes: [pension('1400.00')],
      rigidExpenses: [
        { kind: 'illness', monthlyAmount: '1500.00' }, // capped at 1000
        { kind: 'schooling', monthlyAmount: '100.00' },
      ],
    });
    const a = run(household([ill, member()], { residence: 'rural' }));
    expect(a.deductions).toMatchObject({
      illness: '1000',
      schooling: '100',
      disability: '0',
      rigidTotal: '1100',
    });
    expect(a).toMatchObject({
      suggestedCategory: 'expenditure_type',
      assessedIncome: '300',
      monthlyAmount: '900.00',
    });
    expect(a.reasons.filter((r) => r.rule === 'R-E5')).toHaveLength(2);
  });

  test('R-E5: rigid spending is deducted for a dibao household too (no cliff at the standard)', () => {
    const h = household(
      [
        member({
          incomes: [pension('400.00')],
          rigidExpenses: [{ kind: 'disability', monthlyAmount: '100.00' }],
        }),
      ],
      {
        residence: 'rural',
      },
    );
    expect(run(h)).toMatchObject({ suggestedCategory: 'dibao', monthlyAmount: '300.00' });
  });
});

describe('R-E6 extreme poverty', () => {
  test('R-E6: the qualifying disabilities follow notice 001 §一', () => {
    const q = (type: DisabilityType, grade: 1 | 2 | 3 | 4) =>
      qualifyingExtremePovertyDisability({ type, grade });
    expect([q('intellectual', 3), q('mental', 3), q('physical', 2), q('visual', 1)]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([
      q('intellectual', 4),
      q('physical', 3),
      q('visual', 2),
      q('hearing', 1),
      q('multiple', 1),
    ]).toEqual([false, false, false, false, false]);
    expect(qualifyingExtremePovertyDisability(undefined)).toBe(false);
  });

  const eligible = () =>
    member({ disability: { grade: 1, type: 'intellectual' }, ableToWork: false, hasSupporter: false });

  test('R-E6: no work ability, no income, no supporter: the county basic support', () => {
    const a = run(household([eligible()]));
    expect(a).toMatchObject({ suggestedCategory: 'extreme_poverty', monthlyAmount: '953.33' });
    expect(a.reasons.find((r) => r.rule === 'R-E6')?.text).toContain('monthly');
    expect(run(household([eligible()], { residence: 'rural' })).monthlyAmount).toBe('780.00');
  });

  test('R-E6: a supporter, an income or work ability means dibao instead', () => {
    expect(run(household([{ ...eligible(), hasSupporter: true }])).suggestedCategory).toBe('dibao');
    expect(run(household([{ ...eligible(), incomes: [pension('10.00')] }])).suggestedCategory).toBe('dibao');
    expect(run(household([{ ...eligible(), ableToWork: true }])).suggestedCategory).toBe('dibao');
    expect(run(household([eligible(), member()])).suggestedCategory).toBe('dibao');
  });
});

// Arbitrary households for the algebraic properties of R-E1.
// Money is built from integer cents as a string, never through a float.
const cents = (max: number) =>
  fc.integer({ min: 0, max }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
const money = cents(150_000);
// Mostly within the asset limits, so that the income rules are what the properties exercise.
const rarely = <T>(usual: T, rare: T) =>
  fc.oneof({ arbitrary: fc.constant(usual), weight: 9 }, fc.constant(rare));
const arbMember = fc.record({
  disability: fc.option(
    fc.record({
      grade: fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4),
      type: fc.constantFrom<DisabilityType>(
        'physical',
        'visual',
        'intellectual',
        'mental',
        'hearing',
        'multiple',
      ),
    }),
    { nil: undefined },
  ),
  ableToWork: fc.boolean(),
  hasSupporter: rarely(true, false),
  seriousIllness: rarely(false, true),
  incomes: fc.array(
    fc.record({
      kind: fc.constantFrom(
        ...(['wage', 'business', 'pension', 'support_from_sibling', 'property'] as const),
      ),
      monthlyAmount: money,
    }),
    { maxLength: 3 },
  ),
  rigidExpenses: fc.array(fc.record({ kind: fc.constantFrom(...expenseKinds), monthlyAmount: money }), {
    maxLength: 2,
  }),
  assets: fc.record({
    financial: cents(2_000_000),
    vehicles: rarely(0, 1),
    extraHousing: rarely(false, true),
  }),
  born: fc.constantFrom('1950-06-01', '1980-01-01', '2012-09-01'),
});
const arbHousehold = fc
  .tuple(
    fc.array(arbMember, { minLength: 1, maxLength: 6 }),
    fc.constantFrom<'urban' | 'rural'>('urban', 'rural'),
    fc.boolean(),
  )
  .map(([ms, residence, single]) =>
    household(
      ms.map((m) => member(m)),
      { residence, singlePersonApplication: single },
    ),
  );

describe('R-E1 properties', () => {
  test.prop([arbHousehold])(
    'R-E1: the amount is never negative, is money, and every reason cites a rule',
    (h) => {
      const a = run(h);
      expect(moneySchema.safeParse(a.monthlyAmount).success).toBe(true);
      expect(isNegative(a.monthlyAmount)).toBe(false);
      for (const r of [...a.reasons, ...a.singlePersonEnrolments.map((e) => e.reason)])
        expect(r.rule).toMatch(/^R-E\d$/);
      if (a.suggestedCategory === 'dibao' || a.suggestedCategory === 'expenditure_type') {
        expect(a.monthlyAmount).toBe(roundMoney(sub(mul(a.standard, a.householdSize), a.assessedIncome)));
      }
    },
  );

  test.prop([arbHousehold, fc.nat(), money])(
    'R-E1: increasing an income never increases the amount',
    (h, pick, more) => {
      const before = run(h);
      const i = pick % h.members.length;
      const m = h.members[i]!;
      const raised = {
        ...m,
        incomes: [
          ...m.incomes,
          { kind: (['wage', 'pension', 'business'] as const)[pick % 3]!, monthlyAmount: more },
        ],
      };
      const after = run({ ...h, members: h.members.map((x, j) => (j === i ? raised : x)) });
      expect(compare(after.monthlyAmount, before.monthlyAmount)).toBeLessThanOrEqual(0);
    },
  );
});
