import type pg from 'pg';
import { caseEnrolment, enrolledAlone } from '../../domain/enrolment';
import type { Household } from '../../domain/household';
import type { ApplicationView } from '../../workflows/contracts';

// The village notice board (R-A4, R-A9), read from the workflows' read models: applications in
// their 7-day publicity (applications, written by the application workflow) and cases in benefit
// (cases, written by the case workflow's activities). Read only; names come back unmasked and the
// route masks them (R-O7). Each list is one range of a partial index (migration 151:
// `applications_publicity`, `cases_published`), whose predicate the statements repeat.

type Member = { name: string; relation: string };

export interface PublicityRow {
  applicationId: string;
  members: Member[];
  category: string;
  proposedMonthlyAmount: string | null;
  postedOn: string;
  lastDay: string;
  round: number;
}

export interface PublishedRow {
  caseId: string;
  members: Member[];
  householdSize: number;
  category: string;
  monthlyAmount: string;
  since: string;
}

/**
 * The household the opinion publicises: as investigated — or, for a one-person enrolment (R-E3,
 * R-E4), that person alone, as the case will be.
 */
function publicisedMembers(view: ApplicationView & { household?: Household }): Member[] {
  const h = view.investigation?.household ?? view.household;
  if (!h?.members) return [];
  return caseEnrolment(h.members, enrolledAlone(h, view.assessment, view.opinion)).members;
}

export function publicityRepository(pool: pg.Pool) {
  return {
    /** Applications of a village in publicity, with the household as investigated (R-A4). */
    async inPublicity(villageCode: string): Promise<PublicityRow[]> {
      const { rows } = await pool.query(
        `SELECT application_id, category, view FROM applications
         WHERE village_code = $1 AND stage = 'publicity' ORDER BY application_id`,
        [villageCode],
      );
      return rows
        .filter((r) => r.view?.publicity)
        .map((r) => ({
          applicationId: r.application_id,
          members: publicisedMembers(r.view),
          category: r.view.opinion?.category ?? r.category,
          proposedMonthlyAmount: r.view.opinion?.proposedMonthlyAmount ?? null,
          postedOn: r.view.publicity.postedOn,
          lastDay: r.view.publicity.lastDay,
          round: r.view.publicity.round,
        }));
    },

    /** Cases of a village in benefit, marginal households excepted: they get no cash (R-A9, R-E2). */
    async published(villageCode: string): Promise<PublishedRow[]> {
      const { rows } = await pool.query(
        `SELECT case_id, category, members, persons, monthly_amount, start_month FROM cases
         WHERE village_code = $1 AND status <> 'closed' AND category <> 'marginal' ORDER BY case_id`,
        [villageCode],
      );
      return rows.map((c) => ({
        caseId: c.case_id,
        members: c.members,
        householdSize: c.persons ?? c.members.length,
        category: c.category,
        monthlyAmount: c.monthly_amount,
        since: c.start_month,
      }));
    },
  };
}

export type PublicityRepository = ReturnType<typeof publicityRepository>;
