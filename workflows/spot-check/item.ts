import { ApplicationFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { AuditEntry } from '../../db/repositories/spot-checks';
import { WorkingCalendar } from '../../domain/calendar';
import { civilDateOf, compareDates, endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import { atRiskDate, spotCheckDue } from '../../domain/deadlines';
import { isMoney, isZero } from '../../domain/money';
import { reaches } from '../../domain/region';
import {
  caseWorkflowId,
  FAILURE,
  type SpotCheckFindingInput,
  type SpotCheckFollowUp,
  type SpotCheckItemInput,
  type SpotCheckView,
  spotCheckCaseSignal,
  spotCheckFindingUpdate,
  spotCheckStateQuery,
} from '../contracts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

const refuse = (type: string, message: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ stage: 'spot_check' }] });

/** The Update's validator: a finding once, by county staff or a supervisor reaching the decision. */
export function checkFinding(v: SpotCheckView, f: SpotCheckFindingInput): void {
  if (v.finding) throw refuse(FAILURE.wrongStage, `spot check ${v.checkId} already has a finding`);
  if (f.actor.role !== 'county_staff' && f.actor.role !== 'supervisor')
    throw refuse(FAILURE.wrongRole, 'spot-check findings are recorded by county staff or a supervisor');
  if (!reaches(f.actor.region, v.villageCode))
    throw refuse(FAILURE.wrongRole, `region ${f.actor.region} does not reach this decision`);
  if (f.outcome === 'corrected') {
    if (v.decision !== 'approved')
      throw refuse(FAILURE.invalidStep, 'only an approval has an amount to correct; reverse a rejection');
    if (!f.monthlyAmount || !isMoney(f.monthlyAmount) || isZero(f.monthlyAmount))
      throw refuse(
        FAILURE.invalidStep,
        'a correction needs the new monthly amount (above zero; reverse to stop)',
      );
  } else if (f.monthlyAmount) throw refuse(FAILURE.invalidStep, 'monthlyAmount belongs to a correction only');
}

/**
 * R-O2: one sampled township decision as a county check task. Flags at risk and overdue like
 * every task (R-O3, R-A6 dynamic zeroing) until the county records its finding (an Update); a
 * corrected amount or a reversed approval goes to the case as a signal (applied once per check),
 * a reversed rejection is left to the township to restart with a new receipt (R-A1, R-A11).
 */
export async function spotCheckItemWorkflow(input: SpotCheckItemInput): Promise<SpotCheckView> {
  const cal = input.runtimeYears.reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
  const due = spotCheckDue(cal, input.openedOn, input.deadlines);
  const { unit } = input;
  const v: SpotCheckView = {
    checkId: input.checkId,
    roundId: input.roundId,
    applicationId: unit.applicationId,
    caseId: unit.caseId,
    villageCode: unit.villageCode,
    decision: unit.decision,
    closeRelative: unit.closeRelative,
    openedOn: input.openedOn,
    due,
    atRiskOn: atRiskDate(cal, due, input.deadlines.atRiskWorkingDays, input.openedOn).date,
    atRisk: false,
    overdue: false,
  };
  const save = (entries: AuditEntry[] = []) =>
    acts.saveSpotCheck({ view: JSON.parse(JSON.stringify(v)) as SpotCheckView, unit, entries });
  let finding: SpotCheckFindingInput | undefined;
  let recorded = false;

  setHandler(spotCheckStateQuery, () => v);
  setHandler(
    spotCheckFindingUpdate,
    async (f) => {
      finding = f;
      // Answers once the finding and its audit entry are in Postgres (the API's reads see it).
      await condition(() => recorded);
      return v;
    },
    { validator: (f) => checkFinding(v, f) },
  );

  await save([
    {
      eventKey: `spot_check:${v.checkId}:opened`,
      action: 'spot_check_opened',
      actorSub: 'system',
      actorRole: 'system',
      at: new Date().toISOString(),
      payload: { roundId: v.roundId, applicationId: v.applicationId, due: due.date },
    },
  ]);

  while (!finding) {
    const today = civilDateOf(new Date());
    for (const flag of ['at_risk', 'overdue'] as const) {
      const reached =
        flag === 'at_risk' ? compareDates(v.atRiskOn, today) <= 0 : compareDates(v.due.date, today) < 0;
      if (!reached || (flag === 'at_risk' ? v.atRisk : v.overdue)) continue;
      if (flag === 'at_risk') v.atRisk = true;
      else v.overdue = true;
      await save();
      // R-O3: supervisors see the spot check that is about to miss, or missed, its deadline.
      await acts.notifySupervisor({
        alertKey: `spot_check:${v.checkId}:${flag}`,
        subjectKind: 'spot_check',
        subjectId: v.checkId,
        villageCode: v.villageCode,
        flag,
        deadlineKind: 'spot_check',
        dueOn: v.due.date,
      });
    }
    const next = v.overdue ? undefined : v.atRisk ? endOfCivilDay(v.due.date) : startOfCivilDay(v.atRiskOn);
    const timeout = next ? Math.max(1, next.getTime() - Date.now()) : undefined;
    await condition(() => finding !== undefined, timeout);
  }

  const f = finding;
  const followUp = await followUpOf(v, f);
  v.finding = {
    outcome: f.outcome,
    reasons: f.reasons,
    ...(f.monthlyAmount ? { monthlyAmount: f.monthlyAmount } : {}),
    by: f.actor.sub,
    role: f.actor.role,
    on: civilDateOf(new Date()),
    followUp,
  };
  // R-O6: the finding with who made it, when and why.
  await save([
    {
      eventKey: `spot_check:${v.checkId}:finding`,
      action: `spot_check_${f.outcome}`,
      actorSub: f.actor.sub,
      actorRole: f.actor.role,
      at: new Date().toISOString(),
      reason: f.reasons,
      payload: { applicationId: v.applicationId, caseId: v.caseId, monthlyAmount: f.monthlyAmount, followUp },
    },
  ]);
  recorded = true;
  await condition(allHandlersFinished);
  return v;
}

/** What the finding changes beyond the check (R-O2): the case, or the township's restart. */
async function followUpOf(v: SpotCheckView, f: SpotCheckFindingInput): Promise<SpotCheckFollowUp> {
  if (f.outcome === 'confirmed') return 'none';
  if (v.decision === 'rejected') return 'restart_by_township';
  if (!v.caseId) return 'case_not_running';
  try {
    await getExternalWorkflowHandle(caseWorkflowId(v.caseId)).signal(spotCheckCaseSignal, {
      checkId: v.checkId,
      outcome: f.outcome,
      reasons: f.reasons,
      ...(f.monthlyAmount ? { monthlyAmount: f.monthlyAmount } : {}),
      actor: f.actor,
    });
  } catch {
    return 'case_not_running'; // the case has ended (or never ran): nothing left to change
  }
  return f.outcome === 'corrected' ? 'case_rate_changed' : 'case_stopped';
}
