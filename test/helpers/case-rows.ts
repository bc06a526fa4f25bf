import type pg from 'pg';
import { applicationActivities } from '../../activities/applications';
import { ApplicationState } from '../../workflows/application/state';
import type { ApplicationInput, CaseView } from '../../workflows/contracts';
import { applicationInput, policy } from './fixtures';

// Case rows for the activity tests, made the way the workflows make them.

/** An application saved and approved the way the application workflow does it (recordCase: revision 0). */
export async function approvedCase(
  pool: pg.Pool,
  overrides: Partial<ApplicationInput> = {},
  withCaseRow = true,
) {
  const apps = applicationActivities({ pool });
  const input = applicationInput({ acceptedOn: '2026-02-02', ...overrides });
  const view = new ApplicationState(input, input.context, new Date('2026-02-03T02:00:00Z')).snapshot();
  await apps.saveApplication({ input, view, entries: [], version: 1 });
  if (withCaseRow) {
    const decision = {
      approve: true,
      monthlyAmount: '1000.00',
      startMonth: '2026-03',
      reasons: 'eligible',
      by: 'county-1',
      on: '2026-02-20',
    };
    await apps.recordCase({ input, view: { ...view, stage: 'approved', decision } });
  }
  return input;
}

export function caseView(input: ApplicationInput, overrides: Partial<CaseView> = {}): CaseView {
  const p = policy();
  return {
    caseId: input.applicationId,
    applicationId: input.applicationId,
    category: 'dibao',
    villageCode: input.villageCode,
    residence: 'rural',
    status: 'active',
    members: input.household.members.map((m) => ({
      idNumber: m.idNumber,
      name: m.name,
      relation: m.relation,
      covered: true,
    })),
    approvedOn: '2026-02-20',
    startMonth: '2026-03',
    monthlyAmount: '1000.00',
    persons: input.household.members.length,
    policy: p,
    appliedPolicyVersions: [p.version],
    rates: [],
    rostered: [],
    nextMonth: '2026-03',
    adjustments: [],
    tasks: [],
    nextReviewOn: '2027-02-22',
    reviewIntervalMonths: 12,
    unstableIncome: false,
    closeRelative: false,
    deaths: [],
    seen: [],
    notices: [],
    history: [],
    historyCount: 0,
    revision: 1,
    ...overrides,
  };
}
