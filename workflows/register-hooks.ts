import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { enrolledAlone } from '../domain/enrolment';
import type {
  ApplicationInput,
  ApplicationView,
  CaseView,
  DecisionInput,
  RegisterFinding,
  RegisterGroup,
} from './messages';

// R-L1: the register fills itself from applications and cases. The application and case workflows
// call one activity (signal-with-start of the household's entry, deduplicated there by the finding
// id); these pure functions say what each decision means for the register.

export const registerActs = proxyActivities<Pick<Activities, 'registerFinding'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

const CASH_GROUPS: readonly RegisterGroup[] = ['dibao', 'extreme_poverty'];

/**
 * An approval registers the household in its approved group (dibao, extreme poverty, marginal,
 * expenditure-type); a rejection whose assessment found it marginal registers it as marginal (R-E2).
 * A temporary-assistance grant or another rejection registers nothing.
 */
export function applicationFinding(
  input: ApplicationInput,
  view: ApplicationView,
  d: DecisionInput,
): RegisterFinding | undefined {
  const category = view.opinion?.category ?? input.category;
  const household = view.investigation?.household ?? input.household;
  // R-E3 / R-E4: one member enrolled alone; the others keep their own status (a marginal household
  // stays marginal).
  const alone = enrolledAlone(household, view.assessment, view.opinion);
  let add: RegisterGroup[] = [];
  let remove: RegisterGroup[] = [];
  if (d.approve && category !== 'temporary_assistance') {
    add = alone?.rule === 'R-E3' ? [category, 'marginal'] : [category];
    // Admitted to cash support: no longer marginal, no longer only a former recipient.
    if (CASH_GROUPS.includes(category) && !alone) remove = ['marginal', 'former_recipient'];
  } else if (!d.approve && view.assessment?.suggestedCategory === 'marginal') {
    add = ['marginal'];
  }
  if (add.length === 0) return undefined;
  return {
    findingId: `application:${input.applicationId}:${d.approve ? 'approved' : 'rejected'}`,
    source: 'application',
    villageCode: input.villageCode,
    members: household.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
    add,
    remove,
    ref: input.applicationId,
    on: view.decision?.on ?? input.acceptedOn,
    by: d.actor,
  };
}

/**
 * A closed case keeps its household in the register: a dibao or extreme-poverty household becomes a
 * former recipient (history, R-L1); a marginal or expenditure-type one leaves that group. Nobody
 * left alive, nothing to register.
 */
export function caseClosureFinding(v: CaseView): RegisterFinding | undefined {
  const living = v.members.filter((m) => !m.diedOn);
  if (!v.closed || living.length === 0) return undefined;
  const former = CASH_GROUPS.includes(v.category);
  return {
    findingId: `case:${v.caseId}:closed`,
    source: 'case',
    villageCode: v.villageCode,
    members: living.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
    add: former ? ['former_recipient'] : [],
    remove: [v.category],
    ref: v.caseId,
    note: v.closed.reason,
    on: v.closed.on,
    by: { sub: 'system', role: 'system' },
  };
}
