import { addMonthsToYearMonth, civilDateOf } from '../../domain/dates';
import { compareMonths, firstMonthToRoster, taperMonths } from '../../domain/entitlement';
import type { Actor } from '../../domain/roles';
import type { ImportedState } from '../contracts';
import type { CaseParts } from './ledger';
import { SYSTEM } from './record';

// How a case starts (a case carried over by continue-as-new starts from its carried view instead).
// An approved case starts with the approval's rate from its start month (R-A8). A case brought in
// from the provincial system starts in the state it had there, with no approval replayed: its rate
// from the start month, the first month handed to the next payroll (no back-pay for months the old
// system paid, R-M1), its next re-review (R-M4), a taper under way (R-M3) and the close-relative
// filing (R-O1). The months the old system paid are kept for recoveries (R-M10).

/** R-A8: the approval's rate, from the start month. */
export function startApproved({ record: r, ledger }: CaseParts, now: Date): void {
  const { input } = r;
  const persons = r.view.persons;
  ledger.addRate(input.startMonth, input.monthlyAmount, persons, 'approval (R-A8)', 'approval');
  r.record(now, 'case_opened', { sub: input.approvedBy, role: 'county_staff' } as Actor, undefined, {
    monthlyAmount: input.monthlyAmount,
    startMonth: input.startMonth,
    persons,
  });
}

export function startImported({ record: r, ledger }: CaseParts, imp: ImportedState, now: Date): void {
  const v = r.view;
  const today = civilDateOf(now);
  v.nextMonth = firstMonthToRoster(r.cal, today, r.input.startMonth, r.input.deadlines);
  v.nextReviewOn = imp.nextReviewOn;
  ledger.addRate(r.input.startMonth, r.input.monthlyAmount, v.persons, 'imported (R-M1)', 'import');
  // R-M10: up to the import (or the month the file names) the previous system paid: a death dated
  // before the import recovers those months as it would months this system paid.
  const beforeFirst = addMonthsToYearMonth(v.nextMonth, -1);
  const through =
    imp.paidThroughMonth && compareMonths(imp.paidThroughMonth, beforeFirst) < 0
      ? imp.paidThroughMonth
      : beforeFirst;
  if (compareMonths(through, r.input.startMonth) >= 0)
    v.paidBeforeImport = {
      fromMonth: r.input.startMonth,
      throughMonth: through,
      monthlyAmount: r.input.monthlyAmount,
      persons: v.persons,
    };
  const by = { sub: imp.importedBy, role: 'admin' } as Actor;
  r.record(now, 'case_imported', by, 'brought in from the provincial system', {
    importId: imp.importId,
    monthlyAmount: r.input.monthlyAmount,
    startMonth: r.input.startMonth,
    firstRosterMonth: v.nextMonth,
    paidThroughMonth: v.paidBeforeImport?.throughMonth,
    persons: v.persons,
  });
  // R-O1: checked against the close-relative roster too; filed anyway if the file says so.
  r.effects.push({
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
    ledger.close(
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
