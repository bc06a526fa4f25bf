import { addMonthsToYearMonth, dayInMonth, monthOf } from '../../domain/dates';
import { caseView, checkCase, type NamedScenario } from './session';

// R-M1 R-M4 R-O1: a household brought in by a caseload import, started by reference (its input read
// back from the stored batch), with a close-relative filing and its next re-review in month 3; the
// first two months are rostered at their cut-off and the re-review opens; its start (newer standards
// read, the first state saved) is one workflow task of local activities.
export const caseImported: NamedScenario = {
  prefix: 'case',
  name: 'imported',
  run: async (s) => {
    const today = await s.today();
    const { handle, m } = await s.startImportedCase(
      { nextReviewOn: dayInMonth(addMonthsToYearMonth(monthOf(today), 3), 1) },
      { closeRelative: true },
    );
    await s.sleepUntil(dayInMonth(m(2), 20));
    const v = await caseView(handle);
    checkCase('imported, two months rostered', v.rostered.length === 2, v);
    checkCase(
      'the close-relative filing recorded',
      s.calls.rosterChecks.some((c) => c.filed),
      v,
    );
    return { handle, closed: false };
  },
};

/**
 * The same path recorded after an imported case's reads (its input, newer standards, waiting death
 * notices) became one local activity, `importedCaseStart` (patch `imported-case-one-read`).
 */
export const caseImportedOneRead: NamedScenario = { ...caseImported, name: 'imported-one-read' };
