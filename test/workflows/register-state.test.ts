import { describe, expect, it } from 'vitest';
import { WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import { addDays } from '../../domain/dates';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { FAILURE, type MonitoringHit } from '../../workflows/contracts';
import { RegisterState } from '../../workflows/register/state';
import { unpublishedYear, weekdayOnOrAfter } from '../helpers/calendar';
import { actor, COUNTY, VILLAGE } from '../helpers/fixtures';

// The register entry's rules without a server (R-L2, R-T2, R-O6).
const at = (date: string) => new Date(`${date}T04:00:00Z`); // noon in Asia/Shanghai
const cal = WorkingCalendar.builtin();
const staff = actor('township_staff');
const hitOf = (hitId: string, detectedOn: string, over: Partial<MonitoringHit> = {}): MonitoringHit => ({
  hitId,
  kind: 'job_loss',
  idNumber: 'x',
  detectedOn,
  source: 'hr',
  ...over,
});

function entry(now: Date) {
  return new RegisterState(
    {
      countyCode: COUNTY,
      householdKey: 'Hstate00000000000000000001',
      villageCode: VILLAGE,
      deadlines: { ...DEFAULT_DEADLINE_PARAMETERS },
      runtimeYears: [],
    },
    now,
  );
}

describe('register state', () => {
  it('R-L2 R-T2: a visit due in an unpublished year is provisional, and recomputed when the calendar arrives', () => {
    // A year the shipped calendar does not know (whichever years it ships); expectations on the calendar.
    const year = unpublishedYear();
    const detectedOn = weekdayOnOrAfter(`${year}-02-26`);
    const arrived = addDays(detectedOn, 3);
    const s = entry(at(arrived));
    s.applyHit({ hitId: 'h1', kind: 'illness', idNumber: 'x', detectedOn, source: 'health' }, at(arrived));
    const before = structuredClone(s.view.tasks[0]!);
    expect(before.due).toEqual(WorkingCalendar.empty().addWorkingDays(detectedOn, 15));
    expect(before.due.provisional).toBe(true);

    const first = weekdayOnOrAfter(`${year}-03-08`);
    const published: YearCalendar = {
      year,
      holidays: [first, weekdayOnOrAfter(addDays(first, 1))],
      makeUpWorkdays: [],
      source: 'runtime',
    };
    s.applyCalendar(published, at(addDays(arrived, 1)));
    const after = s.view.tasks[0]!;
    // Counted again from the day the warning was detected, not from the day it arrived (R-L2).
    expect(after.due).toEqual(WorkingCalendar.builtin().withYear(published).addWorkingDays(detectedOn, 15));
    expect(after.due.provisional).toBe(false);
    expect(after.due.date > before.due.date).toBe(true);
    // The year travels with the entry over continue-as-new.
    expect(s.input.runtimeYears.map((y) => y.year)).toEqual([year]);
  });

  it('R-L2: a second hit joins the open visit; a visit closes it and the next hit opens a new one', () => {
    const s = entry(at('2026-12-01'));
    const hit = { kind: 'job_loss' as const, idNumber: 'x', detectedOn: '2026-11-30', source: 'hr' };
    s.applyHit({ ...hit, hitId: 'a' }, at('2026-12-01'));
    s.applyHit({ ...hit, hitId: 'b' }, at('2026-12-02'));
    expect(s.openTasks()).toHaveLength(1);
    expect(s.openTasks()[0]!.reasons.map((r) => r.hitId)).toEqual(['a', 'b']);
    const actor = { sub: 't1', role: 'township_staff' as const, region: '140802101' };
    s.applyVisit({ actor, visitId: 'v1', visitedOn: '2026-12-03', findings: 'ok' }, at('2026-12-03'));
    expect(s.openTasks()).toHaveLength(0);
    expect(s.view.visits[0]!.closedTasks).toEqual(['visit-1']);
    s.applyHit({ ...hit, hitId: 'c' }, at('2026-12-04'));
    expect(s.openTasks().map((t) => t.taskId)).toEqual(['visit-2']);
  });

  it('R-L2: a visit is due 15 working days after the warning was detected, not after it arrived', () => {
    const s = entry(at('2026-12-01'));
    s.applyHit(hitOf('late', '2026-11-20'), at('2026-12-01'));
    const task = s.openTasks()[0]!;
    expect(task.openedOn).toBe('2026-12-01');
    expect(task.due).toEqual(cal.addWorkingDays('2026-11-20', 15));
    expect(task.atRiskOn < task.due.date).toBe(true);
    // A warning detected later joins the visit and leaves its due date; one detected earlier brings it forward.
    s.applyHit(hitOf('later', '2026-11-30'), at('2026-12-02'));
    expect(s.openTasks()[0]!.due).toEqual(cal.addWorkingDays('2026-11-20', 15));
    s.applyHit(hitOf('earlier', '2026-11-16'), at('2026-12-03'));
    expect(s.openTasks()).toHaveLength(1);
    expect(s.openTasks()[0]!.due).toEqual(cal.addWorkingDays('2026-11-16', 15));
  });

  it('R-L2: a visit dated before its warning was detected does not answer it: refused, nothing changes', () => {
    const s = entry(at('2026-12-01'));
    s.applyHit(hitOf('a', '2026-11-20'), at('2026-12-01'));
    s.applyHit(hitOf('b', '2026-11-25'), at('2026-12-01'));
    const before = s.snapshot();
    const early = { actor: staff, visitId: 'v0', visitedOn: '2026-11-24', findings: 'an earlier visit' };
    expect(() => s.checkVisit(early, at('2026-12-02'))).toThrow(/before the warning/);
    try {
      s.checkVisit(early, at('2026-12-02'));
    } catch (err) {
      expect((err as { type?: string }).type).toBe(FAILURE.invalidStep);
    }
    expect(s.snapshot()).toEqual(before);
    expect(() => s.checkVisit({ ...early, visitedOn: '2026-11-25' }, at('2026-12-02'))).not.toThrow();
  });

  it('R-O6: a warning is recorded as sent by the integration that reported it', () => {
    const s = entry(at('2026-12-01'));
    const integration = actor('integration', COUNTY, 'hr-bureau-feed');
    s.applyHit(hitOf('h', '2026-11-30', { reportedBy: integration }), at('2026-12-01'));
    expect(s.unsaved.filter((e) => e.action === 'warning').map((e) => e.by)).toEqual([integration]);
  });
});
