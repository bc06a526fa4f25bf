import { civilDateOf } from '../domain/dates';
import { compareMonths, firstMonthToRoster, taperMonths } from '../domain/entitlement';
import type { Actor } from '../domain/roles';
import { SYSTEM } from './case-core';
import type { CaseLedger } from './case-ledger';
import type { ImportedState } from './messages';

// A case brought in from the provincial system starts in the state it had there, with no approval
// replayed: its rate from the start month, the first month handed to the next payroll (no back-pay
// for months the old system paid, R-M1), its next re-review (R-M4), a taper under way (R-M3) and
// the close-relative filing (R-O1).

export function startImported(s: CaseLedger, imp: ImportedState, now: Date): void {
  const v = s.view;
  const today = civilDateOf(now);
  v.nextMonth = firstMonthToRoster(s.cal, today, s.input.startMonth, s.input.deadlines);
  v.nextReviewOn = imp.nextReviewOn;
  s.addRate(s.input.startMonth, s.input.monthlyAmount, v.persons, 'imported (R-M1)', 'import');
  const by = { sub: imp.importedBy, role: 'admin' } as Actor;
  s.record(now, 'case_imported', by, 'brought in from the provincial system', {
    importId: imp.importId,
    monthlyAmount: s.input.monthlyAmount,
    startMonth: s.input.startMonth,
    firstRosterMonth: v.nextMonth,
    persons: v.persons,
  });
  // R-O1: checked against the close-relative roster too; filed anyway if the file says so.
  s.effects.push({
    kind: 'filing',
    occasion: `import:${imp.importId}`,
    on: today,
    by: imp.importedBy,
    ...(v.closeRelative ? {} : { rosterOnly: true }),
  });
  if (!imp.taperReportedOn) return;
  // R-M3: a taper under way goes on; one whose last payment is already behind exits now.
  const t = taperMonths(imp.taperReportedOn, v.policy.taperPayments);
  if (v.policy.taperPayments === 0 || compareMonths(t.lastMonth, v.nextMonth) < 0) {
    s.close(
      now,
      SYSTEM,
      'taper_exit',
      v.nextMonth,
      `taper reported on ${imp.taperReportedOn} ended before the import (R-M3)`,
    );
    return;
  }
  v.taper = { changeId: `import:${imp.importId}`, reportedOn: imp.taperReportedOn, ...t };
  v.status = 'tapering';
}
