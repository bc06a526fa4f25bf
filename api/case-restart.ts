import type { FastifyInstance } from 'fastify';
import { civilDateOf } from '../domain/dates';
import { countyOf } from '../domain/region';
import type { CaseInput, CaseView } from '../workflows/contracts';

/**
 * R-M2 R-M10: the case workflow's input to run a closed case again from the state it saved last (the
 * read model's view), for a death reported after its workflow completed. It carries that state, as a
 * continue-as-new does; the approval's fields are the view's, and the county's deadlines and the
 * runtime calendar are today's (what the run's new deadlines are computed with).
 */
export async function closedCaseInput(app: FastifyInstance, view: CaseView): Promise<CaseInput> {
  const [deadlines, runtimeYears] = await Promise.all([
    app.repos.policies.deadlines(countyOf(view.villageCode), civilDateOf(new Date())),
    app.repos.calendar.runtimeYears(),
  ]);
  return {
    caseId: view.caseId,
    applicationId: view.applicationId,
    category: view.category,
    villageCode: view.villageCode,
    residence: view.residence,
    members: view.members,
    approvedOn: view.approvedOn,
    approvedBy: 'system',
    startMonth: view.startMonth,
    monthlyAmount: view.monthlyAmount,
    closeRelative: view.closeRelative,
    unstableIncome: view.unstableIncome,
    policy: view.policy,
    deadlines,
    runtimeYears,
    carried: view,
  };
}
