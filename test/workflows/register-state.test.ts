import { describe, expect, it } from 'vitest';
import { WorkingCalendar, type YearCalendar } from '../../domain/calendar';
import { DEFAULT_DEADLINE_PARAMETERS } from '../../domain/deadlines';
import { RegisterState } from '../../workflows/register-state';
import { COUNTY, VILLAGE } from '../helpers/fixtures';

// The register entry's rules without a server (R-L2, R-T2).
const at = (date: string) => new Date(`${date}T04:00:00Z`); // noon in Asia/Shanghai

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
    const s = entry(at('2027-03-01'));
    s.applyHit(
      { hitId: 'h1', kind: 'illness', idNumber: 'x', detectedOn: '2027-02-26', source: 'health' },
      at('2027-03-01'),
    );
    const before = structuredClone(s.view.tasks[0]!);
    expect(before.due).toEqual(WorkingCalendar.empty().addWorkingDays('2027-03-01', 15));
    expect(before.due.provisional).toBe(true);

    const y2027: YearCalendar = {
      year: 2027,
      holidays: ['2027-03-08', '2027-03-09'],
      makeUpWorkdays: [],
      source: 'runtime',
    };
    s.applyCalendar(y2027, at('2027-03-02'));
    const after = s.view.tasks[0]!;
    expect(after.due).toEqual(WorkingCalendar.builtin().withYear(y2027).addWorkingDays('2027-03-01', 15));
    expect(after.due.provisional).toBe(false);
    expect(after.due.date > before.due.date).toBe(true);
    // The year travels with the entry over continue-as-new.
    expect(s.input.runtimeYears.map((y) => y.year)).toEqual([2027]);
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
});
