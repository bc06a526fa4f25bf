import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { addDays, civilDateOf, endOfCivilDay } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import {
  type CaseInput,
  caseWorkflowId,
  monitoringHitSignal,
  type RegisterInput,
  registerFindingSignal,
  registerStateQuery,
  registerWorkflowId,
} from '../../workflows/contracts';
import { actor, COUNTY, caseInput, household, VILLAGE } from '../helpers/fixtures';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-env';

// The register entry on the time-skipping server with in-memory activities (R-L1, R-L2): warnings,
// their timers and flags, and the state carried over continue-as-new.
let h: WorkflowHarness;
beforeEach(async () => {
  h = await startWorkflowHarness();
});
afterEach(async () => {
  await h?.stop();
});

const cal = WorkingCalendar.builtin();
const today = async () => civilDateOf(new Date(await h.env.currentTimeMs()));
async function sleepUntilNoon(date: string) {
  const ms = endOfCivilDay(addDays(date, -1)).getTime() + 12 * 3600_000 - (await h.env.currentTimeMs());
  if (ms > 0) await h.env.sleep(ms);
}

const entryInput = (key: string): RegisterInput => ({
  countyCode: COUNTY,
  householdKey: key,
  villageCode: VILLAGE,
  deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
  runtimeYears: [],
});

async function startEntry(key: string) {
  // Every wake-up continues as new: the state must survive it.
  const input: RegisterInput = { ...entryInput(key), continueAsNewAfter: 1 };
  const handle = await h.env.client.workflow.start('registerWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: registerWorkflowId(COUNTY, key),
    args: [input],
  });
  return handle;
}

describe('register entry (time-skipping)', () => {
  it('R-L1 R-L2: findings and hits count once; a warning is due in 15 working days, at risk then overdue, across continue-as-new', async () => {
    const handle = await startEntry('Hwf0000000000000000000001');
    const hh = household();
    const members = hh.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation }));
    const on = await today();
    const finding = {
      findingId: 'f1',
      source: 'village_report' as const,
      villageCode: VILLAGE,
      members,
      add: ['marginal' as const],
      on,
      by: actor('township_staff'),
    };
    await handle.signal(registerFindingSignal, finding);
    await handle.signal(registerFindingSignal, finding); // resent: once
    const hit = {
      hitId: 'h1',
      kind: 'job_loss' as const,
      idNumber: members[0]!.idNumber,
      detectedOn: on,
      source: 'hr',
    };
    await handle.signal(monitoringHitSignal, hit);
    await handle.signal(monitoringHitSignal, hit); // resent: once
    await handle.signal(monitoringHitSignal, { ...hit, hitId: 'h2', kind: 'disaster' }); // joins the open visit
    let v = await handle.query(registerStateQuery);
    expect(v.sources).toHaveLength(1);
    expect(v.groups).toEqual(['marginal']);
    expect(v.tasks).toHaveLength(1);
    const task = v.tasks[0]!;
    expect(task.reasons.map((r) => r.hitId)).toEqual(['h1', 'h2']);
    expect(task.due.date).toBe(cal.addWorkingDays(on, 15).date);

    await sleepUntilNoon(task.atRiskOn);
    v = await handle.query(registerStateQuery);
    expect(v.tasks[0]).toMatchObject({ atRisk: true, overdue: false });
    await sleepUntilNoon(addDays(task.due.date, 1));
    v = await handle.query(registerStateQuery);
    expect(v.tasks[0]).toMatchObject({ atRisk: true, overdue: true });
    expect(v.groups).toEqual(['marginal']); // carried over continue-as-new
    expect(h.calls.alerts.map((a) => [a.subjectKind, a.flag])).toEqual([
      ['register', 'at_risk'],
      ['register', 'overdue'],
    ]);
    const last = h.calls.registerSaves.at(-1)!.view;
    expect(last.tasks[0]!.overdue).toBe(true);
    // R-O7: no ID number in the workflow id.
    expect(handle.workflowId).not.toContain(members[0]!.idNumber);
  }, 120_000);

  it('R-L1: a new entry reached by signal-with-start saves in its first workflow task (no activity task)', async () => {
    const key = 'Hwf0000000000000000000002';
    const members = household().members.map((m) => ({
      idNumber: m.idNumber,
      name: m.name,
      relation: m.relation,
    }));
    const finding = {
      findingId: 'import:I-1:C-1',
      source: 'import' as const,
      villageCode: VILLAGE,
      members,
      add: ['dibao' as const],
      on: await today(),
      by: actor('admin'),
    };
    const handle = await h.env.client.workflow.signalWithStart('registerWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: registerWorkflowId(COUNTY, key),
      args: [entryInput(key)],
      signal: registerFindingSignal,
      signalArgs: [finding],
    });
    for (let i = 0; i < 100 && !h.calls.registerSaves.some((c) => c.view.householdKey === key); i++)
      await new Promise((r) => setTimeout(r, 50));
    const saves = h.calls.registerSaves.filter((c) => c.view.householdKey === key);
    expect(saves.map((c) => [c.view.revision, c.view.groups])).toEqual([[1, ['dibao']]]);
    const history = async () => (await handle.fetchHistory()).events ?? [];
    let events = await history();
    for (let i = 0; i < 100 && !events.some((e) => e.workflowTaskCompletedEventAttributes); i++) {
      await new Promise((r) => setTimeout(r, 50));
      events = await history();
    }
    const completed = events.filter((e) => e.workflowTaskCompletedEventAttributes);
    const markers = events.filter((e) => e.markerRecordedEventAttributes);
    // One workflow task: the save is a local activity's marker in it, no activity was scheduled.
    expect(completed).toHaveLength(1);
    expect(markers.length).toBeGreaterThanOrEqual(1);
    expect(events.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
  }, 60_000);

  it('R-L1: an imported case registers its household once, found by the import, before anything its closure sends', async () => {
    const on = await today();
    const start = async (caseId: string, taperReportedOn?: string) => {
      const input: CaseInput = {
        ...caseInput({ approvedOn: addDays(on, -400), startMonth: '2024-03', caseId }),
        applicationId: '',
        imported: { importId: 'I-9', importedBy: 'admin-9', nextReviewOn: addDays(on, 300), taperReportedOn },
        continueAsNewAfter: 1,
      };
      h.calls.imported.set(caseId, input);
      return h.env.client.workflow.start('caseWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: caseWorkflowId(caseId),
        args: [{ importRef: { importId: 'I-9', seq: 1, caseId } }],
      });
    };
    const findingsOf = (caseId: string) => h.calls.registerFindings.filter((f) => f.ref === caseId);
    await start('CIMP-active');
    // A taper that ended before the import closes the case at once: registered first, then former.
    await start('CIMP-tapered', addDays(on, -400));
    await h.env.sleep('40 days'); // wake-ups and a continue-as-new: still once
    expect(findingsOf('CIMP-active').map((f) => [f.source, f.add, f.by.sub])).toEqual([
      ['import', ['dibao'], 'admin-9'],
    ]);
    expect(findingsOf('CIMP-tapered').map((f) => [f.source, f.add])).toEqual([
      ['import', ['dibao']],
      ['case', ['former_recipient']],
    ]);
  }, 120_000);
});
