import type pg from 'pg';
import type { YearMonth } from '../../domain/dates';

// R-O3 and R-M7 reads for supervisors, from the read models the workflows keep (applications,
// case_tasks, payrolls) and the visit-report tables. Nothing here writes. The overdue list itself
// (paged by urgency) is overdue.ts.

export const SUPERVISED_KINDS = [
  'application',
  'death_review',
  're_review',
  'data_check',
  'change_review',
  'payroll',
  /** R-O2: a county check of a township decision. */
  'spot_check',
  /** R-O4: a complaint or tip-off not yet closed. */
  'complaint',
  /** R-L2: a register household's warning that needs a visit. */
  'household_visit',
  /** R-A10: a temporary grant the township paid first, to be documented afterwards. */
  'temporary_documentation',
] as const;
export type SupervisedKind = (typeof SUPERVISED_KINDS)[number];

export interface SupervisedWork {
  kind: SupervisedKind;
  subjectId: string;
  taskId: string | null;
  stage: string;
  countyCode: string;
  townshipCode: string | null;
  villageCode: string | null;
  dueOn: string;
  provisional: boolean;
  atRisk: boolean;
  overdue: boolean;
}

export interface VisitReportGap {
  villageCode: string;
  townshipCode: string;
  openCases: number;
  reported: boolean;
  forwarded: boolean;
}

export function supervisionRepository(pool: pg.Pool) {
  return {
    /** R-M7: per village of the region with open cases, whether it reported the month and its township forwarded. */
    async visitReportGaps(
      region: string,
      township: string | undefined,
      month: YearMonth,
    ): Promise<VisitReportGap[]> {
      const { rows } = await pool.query(
        `SELECT c.village_code, c.township_code, count(*)::int AS open_cases,
                EXISTS (SELECT 1 FROM visit_reports v WHERE v.village_code = c.village_code AND v.month = $3) AS reported,
                EXISTS (SELECT 1 FROM township_forwards f WHERE f.township_code = c.township_code AND f.month = $3) AS forwarded
         FROM cases c
         WHERE c.status <> 'closed' AND c.village_code LIKE $1 || '%' AND ($2::text IS NULL OR c.township_code = $2)
         GROUP BY c.village_code, c.township_code ORDER BY c.village_code`,
        [region, township ?? null, month],
      );
      return rows.map((r) => ({
        villageCode: r.village_code,
        townshipCode: r.township_code,
        openCases: r.open_cases,
        reported: r.reported,
        forwarded: r.forwarded,
      }));
    },
  };
}
