import { randomBytes } from 'node:crypto';
import { addMonthsToYearMonth, civilDateOf, dayInMonth, monthOf } from '../../domain/dates';
import { type CaseInput, caseWorkflowId } from '../../workflows/contracts';
import { type ApiEnv, until } from './api-env';
import { COUNTY, context, household } from './fixtures';

// Cases for the end-to-end tests. A case normally comes from an approval after the 7-day
// publicity; here it is made directly (rows + workflow start), already past its first roster.

export const OTHER_TOWNSHIP = '140802102';
export const OTHER_VILLAGE = '140802102201';
/** A case made for a test: its id, its members' ID numbers and its first month (last month). */
export type Made = { caseId: string; ids: string[]; startMonth: string };
export type Task = { taskId: string; kind: string; subject: { idNumber?: string }; due: { date: string } };

export const today = () => civilDateOf(new Date());
export const month = () => monthOf(today());

/**
 * The months a case has handed to the payroll from `from` on, as the case itself reports them
 * (its view's `nextMonth` is the first month not yet rostered, R-M1). Whether the current month is
 * among them depends on the day (its roster cut-off is the last working day on or before the 5th),
 * so a test counts what was rostered instead of assuming it.
 */
export function rosteredSince(view: { nextMonth: string }, from: string): string[] {
  const months: string[] = [];
  for (let m = from; m < view.nextMonth; m = addMonthsToYearMonth(m, 1)) months.push(m);
  return months;
}

/** A month as the printed notices write it: 2026年11月. */
export const zhMonth = (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5))}月`;

export async function createCase(
  env: ApiEnv,
  villageCode: string,
  size = 3,
  category: CaseInput['category'] = 'dibao',
): Promise<Made> {
  const { pool, client } = env;
  const hh = household({ size });
  const caseId = `A${COUNTY}${today().replaceAll('-', '')}${randomBytes(4).toString('hex').toUpperCase()}`;
  const lastMonth = addMonthsToYearMonth(month(), -1);
  const approvedOn = dayInMonth(lastMonth, 1);
  const members = hh.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation }));
  await pool.query(
    `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
       delegated, close_relative, stage, received_by) VALUES ($1,$6,$2,$3,$4,$5,false,false,'approved','e2e')`,
    [caseId, villageCode, villageCode.slice(0, 9), COUNTY, approvedOn, category],
  );
  await pool.query(
    `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
       monthly_amount, start_month, approved_on, approved_by, members)
     VALUES ($1,$1,$8,$2,$3,$4,'active','1000.00',$5,$6,'county_staff-e2e',$7)`,
    [
      caseId,
      villageCode,
      villageCode.slice(0, 9),
      COUNTY,
      lastMonth,
      approvedOn,
      JSON.stringify(members),
      category,
    ],
  );
  for (const m of members)
    await pool.query(
      `INSERT INTO person_enrolments (id_number, holder_kind, holder_id) VALUES ($1,'case',$2)`,
      [m.idNumber, caseId],
    );
  const ctx = context();
  const input: CaseInput = {
    caseId,
    applicationId: caseId,
    category,
    villageCode,
    residence: 'rural',
    members: members.map((m) => ({ ...m, covered: true })),
    approvedOn,
    approvedBy: 'county_staff-e2e',
    startMonth: lastMonth, // already past its roster cut-off: the ledger has a month at once
    monthlyAmount: '1000.00',
    closeRelative: false,
    unstableIncome: false,
    policy: ctx.policy,
    deadlines: ctx.deadlines,
    runtimeYears: [],
  };
  await client.workflow.start('caseWorkflow', {
    taskQueue: env.taskQueue,
    workflowId: caseWorkflowId(caseId),
    args: [input],
  });
  await until(async () => {
    const { rows } = await pool.query('SELECT revision FROM cases WHERE case_id = $1', [caseId]);
    return rows[0].revision > 0;
  }, `case ${caseId} saved`);
  return { caseId, ids: members.map((m) => m.idNumber), startMonth: lastMonth };
}

/** Calls through the API as the test's callers. */
export function caseCalls(env: ApiEnv) {
  const post = (url: string, headers: Record<string, string>, payload: unknown) =>
    env.api.inject({ method: 'POST', url, headers, payload: payload as never });
  const caseView = async (id: string, headers = env.as('township_staff', '140802101')) =>
    (await env.api.inject({ url: `/v1/cases/${id}`, headers })).json();
  const taskOf = (id: string, pick: (t: Task) => boolean) =>
    until(async () => ((await caseView(id)).tasks as Task[]).find(pick), `a task of ${id}`);
  const count = async (table: string) =>
    (await env.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  return { post, caseView, taskOf, count };
}
