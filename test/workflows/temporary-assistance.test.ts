import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { civilDateOf, endOfCivilDay, startOfCivilDay } from '../../domain/dates';
import { documentationDue } from '../../domain/temporary-assistance';
import {
  FAILURE,
  type TemporaryAssistanceInput,
  temporaryAssistanceReceiptUpdate,
  temporaryAssistanceStateQuery,
  temporaryAssistanceWorkflowId,
  temporaryDecisionUpdate,
  temporaryDocumentationUpdate,
  temporaryPaymentResultUpdate,
} from '../../workflows/contracts';
import { actor, COUNTY } from '../helpers/fixtures';
import { LIMITS, temporaryInput } from '../helpers/temporary-assistance';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// R-A10 on the time-skipping test server: the documentation of a grant paid first goes at risk and
// overdue by its timers (R-O3), skipped here rather than shortened. One server per test.
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const clerk = actor('township_staff', undefined, 'clerk-1');
const county = actor('county_staff', COUNTY, 'county-1');
const today = async () => civilDateOf(new Date(await h.env.currentTimeMs()));
const until = async (instant: Date) =>
  h.env.sleep(Math.max(1, instant.getTime() - (await h.env.currentTimeMs())));

async function start(overrides: Partial<TemporaryAssistanceInput> = {}) {
  const input = temporaryInput(await today(), overrides);
  const handle = await h.env.client.workflow.start('temporaryAssistanceWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: temporaryAssistanceWorkflowId(input.assistanceId),
    args: [input],
  });
  const view = await handle.executeUpdate(temporaryAssistanceReceiptUpdate);
  return { input, handle, view };
}

async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
}

/** The workflow's main loop pays and issues the notice after the decision's Update has answered. */
async function settled(handle: Awaited<ReturnType<typeof start>>['handle']) {
  for (let i = 0; i < 100; i++) {
    const v = await handle.query(temporaryAssistanceStateQuery);
    if (v.noticeId && (v.payment || !v.decision?.approve)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no payment or notice');
}

describe('temporary-assistance workflow (R-A10) with time skipping', () => {
  it('R-A10 R-O3: a township grant is paid at once, once; its documentation goes at risk, then overdue; documented and paid, it closes', async () => {
    const { handle, view, input } = await start();
    expect(view).toMatchObject({ stage: 'received', amountAsked: '800.00' });
    const granted = await handle.executeUpdate(temporaryDecisionUpdate, {
      args: [{ actor: clerk, approve: true, amount: '800.00', reasons: 'house fire' }],
    });
    const on = granted.decision!.on;
    expect(granted).toMatchObject({
      stage: 'granted',
      decision: { level: 'township', grantedThisYear: '0.00' },
    });
    const { due, atRiskOn } = documentationDue(WorkingCalendar.builtin(), on, LIMITS);
    expect(granted.documentation).toMatchObject({ due, atRiskOn });

    const paid = await settled(handle);
    expect(paid.payment).toMatchObject({
      lineId: `${input.assistanceId}:grant`,
      amount: '800.00',
      status: 'sent',
    });
    expect(h.calls.temporaryPayments).toEqual([
      { assistanceId: input.assistanceId, amount: '800.00', month: on.slice(0, 7) },
    ]);
    expect(h.calls.notices).toMatchObject([
      {
        kind: 'temporary_assistance_grant',
        subjectKind: 'temporary_assistance',
        details: { amount: '800.00' },
      },
    ]);

    await until(new Date(startOfCivilDay(atRiskOn).getTime() + 3_600_000));
    expect((await handle.query(temporaryAssistanceStateQuery)).documentation).toMatchObject({ atRisk: true });
    await until(new Date(endOfCivilDay(due.date).getTime() + 3_600_000));
    expect((await handle.query(temporaryAssistanceStateQuery)).documentation).toMatchObject({
      overdue: true,
    });
    expect(h.calls.alerts.map((a) => [a.flag, a.subjectKind, a.deadlineKind])).toEqual([
      ['at_risk', 'temporary_assistance', 'temporary_documentation'],
      ['overdue', 'temporary_assistance', 'temporary_documentation'],
    ]);

    const result = {
      actor: clerk,
      resultId: 'bank-1',
      outcome: 'paid' as const,
      reportedAt: new Date().toISOString(),
    };
    await handle.executeUpdate(temporaryPaymentResultUpdate, { args: [result] });
    const closed = await handle.executeUpdate(temporaryDocumentationUpdate, {
      args: [
        { actor: clerk, documentedOn: await today(), summary: 'fire brigade report', documents: ['report'] },
      ],
    });
    expect(closed).toMatchObject({ stage: 'closed', documentation: { late: true, overdue: true } });
    expect(await handle.result()).toEqual({ assistanceId: input.assistanceId, stage: 'closed' });
    // Paid once, whatever the steps after it.
    expect(h.calls.temporaryPayments).toHaveLength(1);
    // R-O7: the saved audit entries never carry the person.
    expect(JSON.stringify(h.calls.temporarySaves.flatMap((s) => s.entries))).not.toContain(
      input.members[0]!.idNumber,
    );
  });

  it('R-A10: repeated grants to one household within the year respect the yearly limit: the township is refused, the county decides', async () => {
    const limits = { ...LIMITS, perHouseholdYear: '2500.00' };
    const first = await start({ limits });
    await first.handle.executeUpdate(temporaryDecisionUpdate, {
      args: [{ actor: clerk, approve: true, amount: '1000.00', reasons: 'house fire' }],
    });
    // The same household (one member in common) asks again twice the same year.
    const again = { members: [first.input.members[1]!], limits };
    const second = await start(again);
    await second.handle.executeUpdate(temporaryDecisionUpdate, {
      args: [{ actor: clerk, approve: true, amount: '1000.00', reasons: 'still no shelter' }],
    });
    const third = await start(again);
    const refused = await refusal(
      third.handle.executeUpdate(temporaryDecisionUpdate, {
        args: [{ actor: clerk, approve: true, amount: '1000.01', reasons: 'winter' }],
      }),
    );
    expect(refused.type).toBe(FAILURE.wrongRole);
    expect(refused.message).toMatch(/county decides/);
    const overYear = await refusal(
      third.handle.executeUpdate(temporaryDecisionUpdate, {
        args: [{ actor: clerk, approve: true, amount: '1000.00', reasons: 'winter' }],
      }),
    );
    expect(overYear.message).toMatch(/granted 2000.00 this year.*\(2500.00\): the county decides/);
    // Refused with nothing changed: the county decides it, no documentation afterwards.
    expect((await third.handle.query(temporaryAssistanceStateQuery)).stage).toBe('received');
    const byCounty = await third.handle.executeUpdate(temporaryDecisionUpdate, {
      args: [{ actor: county, approve: true, amount: '1500.00', reasons: 'winter' }],
    });
    expect(byCounty).toMatchObject({ decision: { level: 'county', grantedThisYear: '2000.00' } });
    expect(byCounty.documentation).toBeUndefined();
    await settled(third.handle);
    await third.handle.executeUpdate(temporaryPaymentResultUpdate, {
      args: [{ actor: county, resultId: 'bank-3', outcome: 'paid', reportedAt: new Date().toISOString() }],
    });
    expect(await third.handle.result()).toMatchObject({ stage: 'closed' });
  });

  it('R-A10: a refusal is a written notice; nothing is paid', async () => {
    const { handle } = await start();
    await handle.executeUpdate(temporaryDecisionUpdate, {
      args: [{ actor: county, approve: false, reasons: 'the hardship is not sudden' }],
    });
    expect(await handle.result()).toMatchObject({ stage: 'rejected' });
    expect(h.calls.notices).toMatchObject([
      { kind: 'temporary_assistance_refusal', reasons: 'the hardship is not sudden' },
    ]);
    expect(h.calls.temporaryPayments).toEqual([]);
  });
});
