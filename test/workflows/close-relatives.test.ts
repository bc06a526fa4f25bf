import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RosterEntry } from '../../domain/close-relative-roster';
import { addMonths, dayInMonth } from '../../domain/dates';
import {
  applicationStateQuery,
  applicationWorkflowId,
  caseStateQuery,
  caseWorkflowId,
  changeReportUpdate,
  decisionUpdate,
  economicCheckUpdate,
  initialOpinionUpdate,
  investigationUpdate,
  receiptUpdate,
} from '../../workflows/contracts';
import { caseKit } from '../helpers/case-kit';
import { actor, applicationInput, COUNTY, household } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// R-O1 on the time-skipping server with in-memory activities: the application and the case check
// their household against the county's close-relative roster (the activity reads it and files a
// match) at receipt, investigation, change of members and re-review, and carry what it found.
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const { today, sleepUntil, startCase, view } = caseKit(() => h);
const onRoster = (idNumber: string, ref = 'S-7'): RosterEntry => ({
  entryId: ref,
  staff: { ref, name: '李村长', position: 'village_cadre', post: '村委会主任', regionCode: '140802101201' },
  relative: { idNumber, name: '李某', relation: 'sibling' },
  effectiveFrom: '2020-01-01',
});

async function receive(over: Parameters<typeof applicationInput>[0] = {}) {
  const input = applicationInput({ acceptedOn: await today(), closeRelative: false, ...over });
  const handle = await h.env.client.workflow.start('applicationWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: applicationWorkflowId(input.applicationId),
    args: [input],
  });
  await handle.executeUpdate(receiptUpdate, { args: [] });
  return { input, handle };
}

describe('R-O1 the close-relative roster check (time-skipping)', () => {
  it('R-O1 R-A8: a receipt naming a member on the roster is filed with the staff member though the box is not ticked; approved, it starts a close-relative case', async () => {
    const hh = household({ size: 3 });
    h.calls.roster = [onRoster(hh.members[2]!.idNumber)];
    const { input, handle } = await receive({ household: hh });
    const [check] = h.calls.rosterChecks;
    expect(check).toMatchObject({
      subjectKind: 'application',
      subjectId: input.applicationId,
      occasion: 'receipt',
      on: input.acceptedOn,
      filed: true,
    });
    let v = await handle.query(applicationStateQuery);
    expect(v.rosterFilings?.[0]?.matches).toEqual([
      { memberIdNumber: hh.members[2]!.idNumber, relatedTo: onRoster('').staff, relation: 'sibling' },
    ]);
    expect(v.history.map((e) => e.action)).toEqual(['received', 'close_relative_filed']);
    // The saved view carries it (the applications row's close_relative, the R-O2 stratum).
    expect(h.calls.saved.at(-1)?.view.rosterFilings).toHaveLength(1);

    const t = await today();
    await handle.executeUpdate(investigationUpdate, {
      args: [{ actor: actor('township_staff'), household: hh, findings: 'visited', visitedOn: t }],
    });
    expect(h.calls.rosterChecks.map((c) => c.occasion)).toEqual(['receipt', 'investigation:1']);
    await handle.executeUpdate(economicCheckUpdate, {
      args: [{ actor: actor('integration'), checkId: 'chk-1', verified: [], findings: 'ok' }],
    });
    await handle.executeUpdate(initialOpinionUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          eligible: true,
          category: 'dibao',
          proposedMonthlyAmount: '1000.00',
          reasons: 'income below the standard',
        },
      ],
    });
    await h.env.sleep('8 days');
    v = await handle.executeUpdate(decisionUpdate, {
      args: [
        {
          actor: actor('county_staff', COUNTY),
          approve: true,
          monthlyAmount: '1000.00',
          reasons: 'eligible',
        },
      ],
    });
    expect(v.stage).toBe('approved');
    const caseView = await h.env.client.workflow
      .getHandle(caseWorkflowId(input.applicationId))
      .query(caseStateQuery);
    expect(caseView.closeRelative).toBe(true);
  });

  it('R-O1 R-A2: a member added at the investigation who is on the roster is filed then; a household on no roster files nothing', async () => {
    const { input, handle } = await receive();
    expect(h.calls.rosterChecks).toMatchObject([{ occasion: 'receipt', filed: false }]);
    const joined = household({ size: 3 });
    h.calls.roster = [onRoster(joined.members[2]!.idNumber, 'S-8')];
    const found = { ...input.household, members: [...input.household.members, joined.members[2]!] };
    const v = await handle.executeUpdate(investigationUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          household: found,
          findings: 'a brother lives here',
          visitedOn: await today(),
        },
      ],
    });
    expect(h.calls.rosterChecks.at(-1)).toMatchObject({ occasion: 'investigation:1', filed: true });
    expect(v.history.map((e) => e.action)).toEqual([
      'received',
      'investigation_recorded',
      'close_relative_filed',
    ]);
    expect(v.history.at(-1)?.details).toEqual({ occasion: 'investigation:1', staff: ['S-8'] });
  });

  it('R-O1 R-A2: the investigation checks the roster beside its save, and a match is saved after both', async () => {
    const { input, handle } = await receive();
    const joined = household({ size: 3 });
    h.calls.roster = [onRoster(joined.members[2]!.idNumber, 'S-8')];
    const found = { ...input.household, members: [...input.household.members, joined.members[2]!] };
    h.calls.overlap.dwellMs = 300;
    const v = await handle.executeUpdate(investigationUpdate, {
      args: [
        { actor: actor('township_staff'), household: found, findings: 'visited', visitedOn: await today() },
      ],
    });
    expect(h.calls.overlap.together).toEqual([['saveApplication', 'checkCloseRelatives']]);
    // The check read the household as investigated; its filing is the save after both.
    expect(h.calls.rosterChecks.at(-1)?.members).toHaveLength(3);
    const last = h.calls.saved.at(-1)!;
    expect(last.entries.map((e) => e.action)).toEqual(['close_relative_filed']);
    expect(last.view.rosterFilings).toHaveLength(1);
    expect(v.history.map((e) => e.action)).toEqual([
      'received',
      'investigation_recorded',
      'close_relative_filed',
    ]);
  });

  it('R-O1 R-M4 R-M5: a case is checked at a change of members and at each re-review; a match makes it a close-relative case', async () => {
    const { input, handle, m } = await startCase();
    const member = input.members[1]!;
    await handle.executeUpdate(changeReportUpdate, {
      args: [
        {
          actor: actor('township_staff'),
          changeId: 'ch-1',
          kind: 'members',
          reportedOn: await today(),
          summary: 'a son married',
        },
      ],
    });
    expect(h.calls.rosterChecks).toMatchObject([
      { subjectKind: 'case', occasion: 'change:ch-1', filed: false },
    ]);
    expect((await view(handle)).closeRelative).toBe(false);

    // The roster is updated since: the re-review a year after approval finds the relative.
    h.calls.roster = [onRoster(member.idNumber)];
    const reReview = addMonths(input.approvedOn, 12);
    await sleepUntil(dayInMonth(m(12), 2));
    const v = await view(handle);
    const check = h.calls.rosterChecks.find((c) => c.occasion === `re_review:${reReview}`);
    expect(check).toMatchObject({ subjectKind: 'case', subjectId: input.caseId, on: reReview, filed: true });
    expect(check?.fileAnyway).toBeUndefined();
    expect(v.closeRelative).toBe(true);
    expect(v.history.find((e) => e.action === 'close_relative_filed')?.details).toEqual({
      occasion: `re_review:${reReview}`,
      staff: ['S-7'],
    });
  });
});
