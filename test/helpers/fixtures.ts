import { WorkingCalendar } from '../../domain/calendar';
import { type CivilDate, civilDateOf } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import type { Household } from '../../domain/household';
import { householdSchema } from '../../domain/household-schema';
import { makeIdNumber } from '../../domain/idnumber';
import { defaultPolicy } from '../../domain/policy';
import type { Actor } from '../../domain/roles';
import type { ApplicationContext, ApplicationInput, CaseInput } from '../../workflows/contracts';

// Test data: a county in Yuncheng (140802 盐湖区), one township and village under it.
export const COUNTY = '140802';
export const TOWNSHIP = '140802101';
export const VILLAGE = '140802101201';

let seq = 0;
/** A valid, unique 18-digit ID number (GB 11643 check digit). */
export function idNumber(birthDate: CivilDate = '1970-05-01'): string {
  seq = (seq + 1) % 1000;
  return makeIdNumber(COUNTY, birthDate, (seq * 7 + Math.floor(Math.random() * 7)) % 1000);
}

export function household(opts: { monthlyIncome?: string; size?: number } = {}): Household {
  const size = opts.size ?? 2;
  const members = Array.from({ length: size }, (_, i) => ({
    name: i === 0 ? '张三' : `成员${i}`,
    idNumber: idNumber(i === 0 ? '1965-03-12' : '1995-07-20'),
    relation: i === 0 ? ('applicant' as const) : ('child' as const),
    seriousIllness: false,
    ableToWork: i !== 0,
    incomes: i === 0 ? [{ kind: 'wage' as const, monthlyAmount: opts.monthlyIncome ?? '300.00' }] : [],
    assets: { financial: '1000.00', vehicles: 0, extraHousing: false },
    rigidExpenses: [],
    hasSupporter: true,
  }));
  return householdSchema.parse({
    residence: 'rural',
    members,
    livesApartFromRegistration: false,
    filedAwayFromHome: false,
  });
}

export const policy = (effectiveFrom = '2020-01-01') =>
  defaultPolicy({ countyCode: COUNTY, effectiveFrom, standardUrban: '800.00', standardRural: '650.00' });

export function context(overrides: Partial<ApplicationContext> = {}): ApplicationContext {
  return { policy: policy(), deadlines: { ...DEFAULT_DEADLINE_PARAMETERS }, runtimeYears: [], ...overrides };
}

export const actor = (role: Actor['role'], region = TOWNSHIP, sub = `${role}-1`): Actor => ({
  sub,
  role,
  region,
});

export function applicationInput(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  return {
    applicationId: `A${COUNTY}${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    category: 'dibao',
    villageCode: VILLAGE,
    acceptedOn: '2026-11-23',
    delegated: false,
    specialCircumstances: [],
    closeRelative: false,
    household: household(),
    receivedBy: actor('township_staff'),
    context: context(),
    ...overrides,
  };
}

export const builtinCalendar = () => WorkingCalendar.builtin();

/** A case as approval hands it to the case workflow (R-A8): 1000.00 a month from `startMonth`. */
export function caseInput(
  overrides: Partial<CaseInput> & { size?: number; approvedOn: CivilDate; startMonth: string },
): CaseInput {
  const { size, ...rest } = overrides;
  const hh = household({ size: size ?? 2 });
  const ctx = context();
  const caseId = `C${COUNTY}${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  return {
    caseId,
    applicationId: caseId,
    category: 'dibao',
    villageCode: VILLAGE,
    residence: 'rural',
    members: hh.members.map((m) => ({
      idNumber: m.idNumber,
      name: m.name,
      relation: m.relation,
      covered: true,
    })),
    approvedBy: 'county_staff-1',
    monthlyAmount: '1000.00',
    closeRelative: false,
    unstableIncome: false,
    policy: ctx.policy,
    deadlines: ctx.deadlines,
    runtimeYears: [],
    ...rest,
  };
}

/** The body of POST /v1/applications: a receipt at the window for `hh`, accepted today by default. */
export const receiptBody = (hh: Household, acceptedOn: CivilDate = civilDateOf(new Date())) => ({
  category: 'dibao',
  villageCode: VILLAGE,
  acceptedOn,
  delegated: false,
  closeRelative: false,
  household: hh,
});
