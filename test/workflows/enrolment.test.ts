import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { civilDateOf } from '../../domain/dates';
import {
  type ApplicationInput,
  applicationStateQuery,
  applicationWorkflowId,
  changeReportUpdate,
  decisionUpdate,
  economicCheckUpdate,
  initialOpinionUpdate,
  investigationUpdate,
} from '../../workflows/contracts';
import { caseKit } from '../helpers/case-kit';
import { actor, applicationInput, COUNTY, household } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// R-A1 inside the workflows (time-skipping server, fake activities): a step that changes who an
// application or a case holds asks the enrolment module first, and a person held elsewhere refuses
// it with the typed failure the API maps to 409 — whoever sent the Update, the API's guard aside —
// before the state changes. One server per test (see application.test.ts for why).
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const today = async () => civilDateOf(new Date(await h.env.currentTimeMs()));
const { startCase, view } = caseKit(() => h);

async function start(overrides: Partial<ApplicationInput> = {}) {
  const input = applicationInput({ acceptedOn: await today(), ...overrides });
  const handle = await h.env.client.workflow.start('applicationWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: applicationWorkflowId(input.applicationId),
    args: [input],
  });
  return { input, handle };
}

async function refusal(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('enrolment in the workflows (time-skipping)', () => {
  it('R-A1: the workflow refuses an investigation naming a person another case holds; nothing is applied or saved', async () => {
    const { input, handle } = await start();
    const newcomer = household({ size: 2 }).members[1]!;
    h.calls.held.set(newcomer.idNumber, { holderKind: 'case', holderId: 'C-OTHER' });
    const failure = await refusal(
      handle.executeUpdate(investigationUpdate, {
        args: [
          {
            actor: actor('township_staff'),
            household: { ...input.household, members: [...input.household.members, newcomer] },
            findings: 'a third person lives here',
            visitedOn: await today(),
          },
        ],
      }),
    );
    expect(failure.type).toBe('AlreadyEnrolled');
    expect(failure.message).toBe('a member is already in case C-OTHER');
    expect(failure.message).not.toContain(newcomer.idNumber);
    expect(failure.details?.[0]).toMatchObject({ idNumber: newcomer.idNumber, holderId: 'C-OTHER' });
    const v = await handle.query(applicationStateQuery);
    expect(v.investigation).toBeUndefined();
    expect(v.history.map((e) => e.action)).not.toContain('investigation_recorded');
    expect(h.calls.saved.some((x) => x.view.investigation !== undefined)).toBe(false);
    // The household as it is: held (the module was asked for exactly its persons) and applied.
    await handle.executeUpdate(investigationUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          household: input.household,
          findings: 'ok',
          visitedOn: await today(),
        },
      ],
    });
    expect(h.calls.holds.at(-1)).toEqual({
      holder: { kind: 'application', id: input.applicationId },
      claim: { idNumbers: input.household.members.map((m) => m.idNumber), alone: false },
    });
  });

  it('R-A1 R-A8: an approval whose person is held elsewhere is refused before the decision; the application stays to be decided', async () => {
    const { input, handle } = await start();
    await handle.executeUpdate(investigationUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          household: input.household,
          findings: 'ok',
          visitedOn: await today(),
        },
      ],
    });
    await handle.executeUpdate(economicCheckUpdate, {
      args: [{ actor: actor('integration'), checkId: 'chk', verified: [], findings: 'ok' }],
    });
    await handle.executeUpdate(initialOpinionUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          eligible: true,
          category: 'dibao',
          proposedMonthlyAmount: '1000.00',
          reasons: 'low income',
        },
      ],
    });
    await h.env.sleep('8 days');
    // Taken meanwhile (an application received before investigations held their persons).
    h.calls.held.set(input.household.members[0]!.idNumber, { holderKind: 'application', holderId: 'A-OLD' });
    const approve = {
      actor: actor('county_staff', COUNTY),
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'ok',
    };
    const failure = await refusal(handle.executeUpdate(decisionUpdate, { args: [approve] }));
    expect(failure).toMatchObject({
      type: 'AlreadyEnrolled',
      message: 'a member is already in application A-OLD',
    });
    expect((await handle.query(applicationStateQuery)).stage).toBe('decision');
    expect(h.calls.cases).toEqual([]);
    h.calls.held.clear();
    expect((await handle.executeUpdate(decisionUpdate, { args: [approve] })).stage).toBe('approved');
    expect(h.calls.cases).toEqual([input.applicationId]);
  });

  it('R-A1 R-M5: a case refuses a change report adding a person held elsewhere; a leaver is released by holding the rest', async () => {
    const { input, handle } = await startCase({ size: 3 });
    const staff = actor('township_staff');
    const newcomer = household({ size: 2 }).members[1]!;
    h.calls.held.set(newcomer.idNumber, { holderKind: 'application', holderId: 'A-ELSEWHERE' });
    const change = (changeId: string, members: object) => ({
      actor: staff,
      changeId,
      kind: 'members' as const,
      reportedOn: input.approvedOn,
      summary: 'household changed',
      members,
    });
    const added = { added: [{ idNumber: newcomer.idNumber, name: newcomer.name, relation: 'other' }] };
    const failure = await refusal(handle.executeUpdate(changeReportUpdate, { args: [change('in', added)] }));
    expect(failure).toMatchObject({
      type: 'AlreadyEnrolled',
      message: 'a member is already in application A-ELSEWHERE',
    });
    expect((await view(handle)).members.map((m) => m.idNumber)).toEqual(input.members.map((m) => m.idNumber));

    const leaver = input.members[2]!.idNumber;
    const after = await handle.executeUpdate(changeReportUpdate, {
      args: [change('out', { removed: [leaver] })],
    });
    expect(after.members.map((m) => m.idNumber)).toEqual(input.members.slice(0, 2).map((m) => m.idNumber));
    expect(after.tasks.map((t) => t.kind)).toContain('change_review'); // R-A11: the amount waits for staff
    expect(h.calls.holds.at(-1)).toEqual({
      holder: { kind: 'case', id: input.caseId },
      claim: { idNumbers: input.members.slice(0, 2).map((m) => m.idNumber), alone: false },
    });
  });
});
