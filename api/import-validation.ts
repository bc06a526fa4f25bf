import type { HolderKind } from '../db/repositories/enrolments';
import { WorkingCalendar } from '../domain/calendar';
import {
  type Cells,
  type ImportedHousehold,
  importedCaseIds,
  type RowProblem,
  validateCaseload,
} from '../domain/caseload-import';
import type { CivilDate } from '../domain/dates';
import { compareMonths, firstMonthToRoster, taperMonths } from '../domain/entitlement';
import type { IdKeys } from '../domain/keyed-id';
import type { ApplicationContext } from '../workflows/contracts';
import { type ImportFormat, readCaseloadFile } from './import-file';

// Validation of a caseload import before anything is written: every row (domain/caseload-import.ts),
// then what needs the database — a member already in another active case or open application
// (R-A1, `person_enrolments`, asked through `activeHolders`) — and a taper that ended before the
// import (R-M3). A member held by this household's own case (the same file imported again) is not a
// problem: the household is already present and the import says so. It runs in an import thread
// (api/import-thread.ts), which asks the API's pool for the holders.

export interface Validated {
  households: ImportedHousehold[];
  problems: RowProblem[];
  /** Households with no problem, in file order: the batch to import. */
  valid: ImportedHousehold[];
}

export type ActiveHolders = (idNumbers: string[]) => Promise<Map<string, { kind: HolderKind; id: string }>>;

export interface ImportOptions {
  countyCode: string;
  today: CivilDate;
  context: ApplicationContext;
  /** R-O7: the keys of imported case ids (ID_KEYS). */
  idKeys: IdKeys;
  /** Rows checked so far (every PROGRESS_ROWS rows). */
  onChecked?: (rows: number) => void;
}

export async function validateImport(
  activeHolders: ActiveHolders,
  cells: Cells[],
  opts: ImportOptions,
): Promise<Validated> {
  const { households, problems } = validateCaseload(cells, opts);
  const ids = households.flatMap((h) => h.members.map((m) => m.idNumber));
  const held = await activeHolders(ids);
  const { policy, deadlines, runtimeYears } = opts.context;
  const cal = runtimeYears.reduce((c, y) => c.withYear(y), WorkingCalendar.builtin());
  for (const h of households) {
    // The same household imported before (under any ID key, or before keyed ids) is that case.
    const earlier = importedCaseIds(opts.idKeys, opts.countyCode, h.householdKey);
    const present = h.members
      .map((m) => held.get(m.idNumber))
      .find((x) => x?.kind === 'case' && earlier.includes(x.id));
    if (present) h.caseId = present.id;
    h.members.forEach((m, i) => {
      const holder = held.get(m.idNumber);
      if (holder && !(holder.kind === 'case' && holder.id === h.caseId))
        problems.push({
          row: h.rows[i]!,
          household: h.householdKey,
          field: 'idNumber',
          message: `R-A1: the member is already in ${holder.kind} ${holder.id}`,
        });
    });
    if (h.taperReportedOn && /^\d{4}-\d{2}$/.test(h.startMonth)) {
      const first = firstMonthToRoster(cal, opts.today, h.startMonth, deadlines);
      const { lastMonth } = taperMonths(h.taperReportedOn, policy.taperPayments);
      if (policy.taperPayments === 0 || compareMonths(lastMonth, first) < 0)
        problems.push({
          row: h.rows[0]!,
          household: h.householdKey,
          field: 'taperReportedOn',
          message: `R-M3: the taper's last payment (${lastMonth}) is before ${first}; the household has exited`,
        });
    }
  }
  problems.sort((a, b) => a.row - b.row);
  const refused = new Set(problems.map((p) => p.household));
  return { households, problems, valid: households.filter((h) => !refused.has(h.householdKey)) };
}

/** What an uploaded file comes to: its row count and its validation. */
export interface Checked extends Validated {
  rowsTotal: number;
}

/**
 * The uploaded file read (a 400 when it cannot be read or its header is not the layout) and every
 * row validated. `onRead` says how many member rows the file has, before the rows are checked.
 */
export async function checkUpload(
  file: Buffer,
  format: ImportFormat,
  activeHolders: ActiveHolders,
  opts: ImportOptions & { onRead?: (rows: number) => void },
): Promise<Checked> {
  const cells = await readCaseloadFile(file, format);
  opts.onRead?.(cells.length);
  return { rowsTotal: cells.length, ...(await validateImport(activeHolders, cells, opts)) };
}
