import { upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { endOfCivilDay } from '../../domain/dates';
import { countyOf, townshipOf } from '../../domain/region';
import {
  SA_AT_RISK,
  SA_CASE_KIND,
  SA_COUNTY,
  SA_DEADLINE,
  SA_OVERDUE,
  SA_STAGE,
  SA_TOWNSHIP,
  SA_VILLAGE,
} from '../contracts/search-attributes';
import type { CaseState } from './state';

// What a new case reads before its first month (R-M8, R-M2), and the search attributes it keeps.

/**
 * A new case catches up with what happened before it existed: a standard published while its
 * application was pending (the fan-out ran before this case) applies from its effective month
 * (R-M8); death notices that waited for a member — received while the application was pending, or
 * matching no one then — apply before the first month is rostered (R-M2).
 */
export async function catchUp(
  state: CaseState,
  read: Pick<Activities, 'newerPolicies' | 'waitingDeathNotices'>,
): Promise<void> {
  const v = state.view;
  const policies = await read.newerPolicies({
    countyCode: countyOf(v.villageCode),
    afterVersion: v.policy.version,
  });
  for (const p of policies) state.applyStandardChange(p, new Date());
  for (const n of await read.waitingDeathNotices({ idNumbers: v.members.map((m) => m.idNumber) }))
    state.applyDeath(n, new Date());
}

/** Status, region, the earliest open task's due date and its flags, for visibility queries (R-O3). */
export function syncCaseSearchAttributes(state: CaseState): void {
  const v = state.view;
  const open = state.openTasks();
  const earliest = open.map((t) => t.due.date).sort()[0];
  upsertSearchAttributes([
    { key: SA_CASE_KIND, value: 'case' },
    { key: SA_STAGE, value: v.status },
    { key: SA_COUNTY, value: countyOf(v.villageCode) },
    { key: SA_TOWNSHIP, value: townshipOf(v.villageCode) },
    { key: SA_VILLAGE, value: v.villageCode },
    { key: SA_DEADLINE, value: earliest ? endOfCivilDay(earliest) : null },
    { key: SA_AT_RISK, value: open.some((t) => t.atRisk) },
    { key: SA_OVERDUE, value: open.some((t) => t.overdue) },
  ]);
}
