import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { type CivilDate, civilDateOf } from '../../domain/dates';
import { enrolledAlone } from '../../domain/enrolment';
import { compare, mul } from '../../domain/money';
import { countyOf } from '../../domain/region';
import type { CaseRecord } from '../case/record';
import type {
  ApplicationInput,
  ApplicationView,
  CaseInput,
  CaseView,
  CloseReason,
  DecisionInput,
  ImportedState,
  RegisterFinding,
  RegisterGroup,
} from '../contracts';

// R-L1: the register fills itself from applications, cases and the caseload import. The application
// and case workflows call one activity (signal-with-start of the household's entry, deduplicated
// there by the finding id); the pure functions below say what each decision means for the register.

const options = { startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } };
export const registerActs = proxyActivities<Pick<Activities, 'registerFinding'>>(options);
const localActs = proxyLocalActivities<Pick<Activities, 'registerFinding'>>(options);

/** The case's seen-id that says its imported household was sent to the register. */
const IMPORT_REGISTERED = 'register:import';

/** R-L1: an imported case registers its household once, in its first workflow task (`locally`). */
export async function registerImported(
  record: CaseRecord,
  imported: ImportedState | undefined,
  locally: boolean,
): Promise<void> {
  if (!imported || record.hasSeen(IMPORT_REGISTERED)) return;
  record.markSeen(IMPORT_REGISTERED);
  const finding = importFinding({ ...record.view, imported }, civilDateOf(new Date()));
  if (finding) await (locally ? localActs : registerActs).registerFinding(finding);
}

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
 * R-L1: a household brought in by the caseload import is registered in its group like an approved
 * one (its import stands for its approval), found by the import and registered by whoever imported
 * it (R-O6). A case approved here was registered by its application; nobody alive, nobody registered.
 */
export function importFinding(
  input: Pick<CaseInput, 'caseId' | 'category' | 'villageCode' | 'members' | 'imported'>,
  on: CivilDate,
): RegisterFinding | undefined {
  const imp = input.imported;
  const living = input.members.filter((m) => !m.diedOn);
  if (!imp || living.length === 0) return undefined;
  return {
    findingId: `import:${imp.importId}:${input.caseId}`,
    source: 'import',
    villageCode: input.villageCode,
    members: living.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
    add: [input.category],
    remove: CASH_GROUPS.includes(input.category) ? ['marginal', 'former_recipient'] : [],
    ref: input.caseId,
    note: `import ${imp.importId}`,
    on,
    by: { sub: imp.importedBy, role: 'admin', region: countyOf(input.villageCode) },
  };
}

/** R-L1: closures of households that did not leave support still poor (see stillLowIncome). */
const NOT_FORMER_RECIPIENT: readonly CloseReason[] = ['death', 'fraud', 'spot_check_reversed'];

/**
 * R-L1 / R-E2: what is known of the household's income says it is still low-income: the latest
 * per-capita income a change report measured lies below the marginal line (the dibao standard of
 * its residence × the marginal factor); with no measure, nothing shows it is better off.
 */
function stillLowIncome(v: CaseView): boolean {
  if (!v.perCapitaIncome) return true;
  const standard = v.residence === 'urban' ? v.policy.standardUrban : v.policy.standardRural;
  return compare(v.perCapitaIncome.amount, mul(standard, v.policy.marginalFactor)) < 0;
}

/**
 * A closed case and the register (R-L1). A dibao or extreme-poverty household that left support and
 * is still low-income becomes a former recipient (history): a taper exit or a stop after a review
 * or check, unless its measured income reached the marginal line. The death of those supported, a
 * fraud and a reversed approval make no former recipient. Every closure takes the case's group
 * away; one that adds no group changes an existing entry only, and nobody left alive is not
 * registered.
 */
export function caseClosureFinding(v: CaseView): RegisterFinding | undefined {
  if (!v.closed) return undefined;
  const living = v.members.filter((m) => !m.diedOn);
  const former =
    CASH_GROUPS.includes(v.category) &&
    living.length > 0 &&
    !NOT_FORMER_RECIPIENT.includes(v.closed.reason) &&
    stillLowIncome(v);
  const add: RegisterGroup[] = former ? ['former_recipient'] : [];
  return {
    findingId: `case:${v.caseId}:closed`,
    source: 'case',
    villageCode: v.villageCode,
    // The dead only name the entry to change (a closure that adds nothing registers nobody).
    members: (living.length > 0 ? living : v.members).map((m) => ({
      idNumber: m.idNumber,
      name: m.name,
      relation: m.relation,
    })),
    add,
    remove: [v.category],
    ref: v.caseId,
    note: v.closed.reason,
    on: v.closed.on,
    by: { sub: 'system', role: 'system' },
    ...(add.length === 0 ? { onlyIfRegistered: true } : {}),
  };
}
