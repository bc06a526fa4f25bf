import { civilDateOf } from '../../domain/dates';
import { add, compare, isMoney, sub, toMoney } from '../../domain/money';
import { type ClaimedRecoveries, type DemandStepInput, FAILURE, type RepaymentDemand } from '../contracts';
import type { CaseParts } from './ledger';
import { refuse } from './record';

// R-M10 repayment demands. A recovery is offset against the case's later payments (the payroll does
// that, never below the household's floor); what a closed case cannot offset any more becomes a
// demand (责令退回) with a written notice, and the case stays open to track it until it is repaid
// or written off by a recorded county decision. Nothing owed is silently left open.

export function openDemands({ record: r }: CaseParts): RepaymentDemand[] {
  return (r.view.demands ?? []).filter((d) => d.status === 'open');
}

const outstanding = (d: RepaymentDemand) => toMoney(sub(sub(d.amount, d.repaid), d.writtenOff));

/** The closed case's open recoveries, taken over by a demand: recorded, notified in writing. */
export function raiseDemand(
  { record: r }: CaseParts,
  demandId: string,
  claimed: ClaimedRecoveries,
  now: Date,
) {
  const v = r.view;
  const closedBy = [...v.history].reverse().find((e) => e.action === 'case_closed')?.by ?? {
    sub: 'system',
    role: 'system',
  };
  const reasons =
    `benefit received for months after the case ended (${v.closed?.reason ?? 'closed'}), ` +
    `months ${claimed.months.join(', ')}, ${claimed.amount} yuan; no later payment can offset it, ` +
    `so it is to be repaid (R-M10). Grounds: ${claimed.reasons.join('; ')}`;
  const demand: RepaymentDemand = {
    demandId,
    amount: claimed.amount,
    months: claimed.months,
    adjustmentKeys: claimed.adjustmentKeys,
    reasons,
    issuedOn: civilDateOf(now),
    issuedBy: closedBy.sub,
    status: 'open',
    repaid: '0.00',
    writtenOff: '0.00',
    steps: [],
  };
  v.demands = [...(v.demands ?? []), demand];
  r.record(now, 'repayment_demand', closedBy, reasons, {
    demandId,
    amount: demand.amount,
    months: demand.months,
  });
  r.effects.push({ kind: 'demand', demandId });
  r.effects.push({
    kind: 'notice',
    notice: 'repayment_demand',
    reasons,
    on: demand.issuedOn,
    by: closedBy.sub,
    demandId,
    details: { demandId, amount: demand.amount, months: demand.months },
  });
}

export function demandNoticeIssued({ record: r }: CaseParts, demandId: string, noticeId: string) {
  const d = r.view.demands?.find((x) => x.demandId === demandId);
  if (d) d.noticeId = noticeId;
  r.effects.push({ kind: 'demand', demandId });
}

/** Update validator: the demand is open, the step new, a repayment no more than what is left. */
export function checkDemandStep({ record: r }: CaseParts, step: DemandStepInput) {
  const d = r.view.demands?.find((x) => x.demandId === step.demandId);
  if (!d) throw refuse(FAILURE.notFound, `no repayment demand ${step.demandId} on this case`, 'not_found');
  if (d.steps.some((x) => x.stepId === step.stepId)) return; // a resent step answers the demand as is
  if (d.status !== 'open')
    throw refuse(FAILURE.wrongStage, `repayment demand ${d.demandId} is already ${d.status}`, d.status);
  if (step.actor.role !== 'county_staff')
    throw refuse(FAILURE.wrongRole, 'repayments and write-offs are recorded by the county (R-M10)', d.status);
  if (step.kind === 'repayment') {
    if (!isMoney(step.amount) || compare(step.amount, 0) <= 0)
      throw refuse(FAILURE.invalidStep, 'a repayment needs an amount above zero', d.status);
    if (compare(step.amount, outstanding(d)) > 0)
      throw refuse(
        FAILURE.invalidStep,
        `the repayment ${step.amount} is more than the ${outstanding(d)} still owed`,
        d.status,
      );
  }
}

/** A repayment or a write-off (of everything still owed), recorded with who decided it (R-O6). */
export function applyDemandStep({ record: r }: CaseParts, step: DemandStepInput, now: Date): RepaymentDemand {
  const d = r.view.demands!.find((x) => x.demandId === step.demandId)!;
  if (d.steps.some((x) => x.stepId === step.stepId)) return d;
  const by = step.actor;
  if (step.kind === 'repayment') {
    d.steps.push({
      stepId: step.stepId,
      kind: 'repayment',
      amount: toMoney(step.amount),
      paidOn: step.paidOn,
      reference: step.reference,
      by,
    });
    d.repaid = toMoney(add(d.repaid, step.amount));
    if (compare(outstanding(d), 0) === 0) d.status = 'repaid';
    r.record(now, 'demand_repayment', by, step.reference, {
      demandId: d.demandId,
      amount: step.amount,
      paidOn: step.paidOn,
    });
  } else {
    const amount = outstanding(d);
    d.steps.push({
      stepId: step.stepId,
      kind: 'write_off',
      amount,
      decidedOn: step.decidedOn,
      decisionRef: step.decisionRef,
      reasons: step.reasons,
      by,
    });
    d.writtenOff = toMoney(add(d.writtenOff, amount));
    d.status = 'written_off';
    r.record(now, 'demand_written_off', by, step.reasons, {
      demandId: d.demandId,
      amount,
      decisionRef: step.decisionRef,
    });
  }
  if (d.status !== 'open') d.closedOn = civilDateOf(now);
  r.effects.push({ kind: 'demand', demandId: d.demandId });
  return d;
}
