import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseActivities } from '../../activities/cases';
import type { CaseHistoryEntry, CaseTask } from '../../workflows/contracts';
import { approvedCase, caseView } from '../helpers/case-rows';
import { freshDatabase } from '../helpers/db';

// Case activities against the private Postgres cluster: every write has one effect however often
// Temporal retries it, and the read model never goes back to an older snapshot.
let db: Awaited<ReturnType<typeof freshDatabase>>;
let acts: ReturnType<typeof caseActivities>;
beforeAll(async () => {
  db = await freshDatabase();
  acts = caseActivities({ pool: db.pool });
});
afterAll(async () => {
  await db?.drop();
});

const entry = (seq: number, action: string): CaseHistoryEntry => ({
  seq,
  at: `2026-03-0${seq}T02:00:00.000Z`,
  action,
  by: { sub: 'system', role: 'system' },
  details: { seq },
});

const task = (overrides: Partial<CaseTask> = {}): CaseTask => ({
  taskId: 'death_review:1',
  kind: 'death_review',
  openedOn: '2026-03-02',
  due: { date: '2026-06-02', provisional: false },
  atRiskOn: '2026-05-20',
  atRisk: false,
  overdue: false,
  subject: { summary: 'a member died' },
  ...overrides,
});

const _count = async (sql: string, params: unknown[]) =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n as number;

describe('case activities (Postgres)', () => {
  it('R-O6: saveCase writes each history entry once and never goes back to an older revision', async () => {
    const input = await approvedCase(db.pool);
    const caseId = input.applicationId;
    const first = caseView(input, { revision: 1 });
    await acts.saveCase({ view: first, entries: [entry(1, 'started'), entry(2, 'month_rostered')] });
    await acts.saveCase({ view: first, entries: [entry(1, 'started'), entry(2, 'month_rostered')] }); // retried
    const adjusted = caseView(input, { revision: 2, monthlyAmount: '850.50', persons: 1 });
    await acts.saveCase({ view: adjusted, entries: [entry(3, 'review_result')] });
    await acts.saveCase({ view: first, entries: [] }); // a late, older save
    const { rows } = await db.pool.query(
      `SELECT status, monthly_amount, persons, revision, next_review_on, approved_by, view->>'monthlyAmount' AS v
       FROM cases WHERE case_id = $1`,
      [caseId],
    );
    expect(rows).toEqual([
      {
        status: 'active',
        monthly_amount: '850.50',
        persons: 1,
        revision: 2,
        next_review_on: '2027-02-22',
        approved_by: 'county-1',
        v: '850.50',
      },
    ]);
    const audit = await db.pool.query(
      `SELECT event_key, action, actor_role, parameter_version, payload FROM audit_events
       WHERE subject_kind = 'case' AND subject_id = $1 ORDER BY id`,
      [caseId],
    );
    expect(audit.rows.map((r) => [r.event_key, r.action])).toEqual([
      [`case:${caseId}:1`, 'started'],
      [`case:${caseId}:2`, 'month_rostered'],
      [`case:${caseId}:3`, 'review_result'],
    ]);
    expect(audit.rows[2]).toMatchObject({
      actor_role: 'system',
      parameter_version: first.policy.version,
      payload: { seq: 3 },
    });
  });

  it('R-A8: saveCase makes the cases row itself when approval did not record one', async () => {
    const input = await approvedCase(db.pool, {}, false);
    const view = caseView(input, { revision: 1 });
    await acts.saveCase({ view, entries: [] });
    await acts.saveCase({ view, entries: [] });
    const { rows } = await db.pool.query(
      `SELECT application_id, county_code, township_code, approved_on, approved_by, start_month, members
       FROM cases WHERE case_id = $1`,
      [input.applicationId],
    );
    expect(rows).toEqual([
      {
        application_id: input.applicationId,
        county_code: '140802',
        township_code: '140802101',
        approved_on: '2026-02-20',
        approved_by: 'system',
        start_month: '2026-03',
        members: view.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
      },
    ]);
  });

  it('R-O3: tasks are upserted per case, a closed task is updated, and a stale save does not reopen it', async () => {
    const input = await approvedCase(db.pool);
    const caseId = input.applicationId;
    const open = caseView(input, { revision: 1, tasks: [task()] });
    await acts.saveCase({ view: open, entries: [] });
    await acts.saveCase({ view: open, entries: [] });
    const late = task({ atRisk: true, overdue: true, due: { date: '2026-06-02', provisional: true } });
    await acts.saveCase({ view: caseView(input, { revision: 2, tasks: [late] }), entries: [] });
    const openRows = await db.pool.query(
      `SELECT task_id FROM case_tasks WHERE county_code = '140802' AND overdue AND at_risk AND closed_on IS NULL
       AND case_id = $1`,
      [caseId],
    );
    expect(openRows.rows).toEqual([{ task_id: 'death_review:1' }]);
    const result = { outcome: 'adjust' as const, by: 'township-1', on: '2026-05-25', reasons: 'one fewer' };
    const check = task({ taskId: 'data_check:H1', kind: 'data_check', closedOn: '2026-05-26' }); // with the case
    await acts.saveCase({
      view: caseView(input, { revision: 3, tasks: [{ ...late, result, closedOn: '2026-05-25' }, check] }),
      entries: [],
    });
    await acts.saveCase({ view: open, entries: [] }); // a late, older save
    const { rows } = await db.pool.query(
      `SELECT task_id, kind, township_code, opened_on, due_on, due_provisional, at_risk_on, at_risk, overdue,
         simplified, outcome, closed_on
       FROM case_tasks WHERE case_id = $1 ORDER BY task_id`,
      [caseId],
    );
    expect(rows).toEqual([
      expect.objectContaining({ task_id: 'data_check:H1', outcome: null, closed_on: '2026-05-26' }),
      {
        task_id: 'death_review:1',
        kind: 'death_review',
        township_code: '140802101',
        opened_on: '2026-03-02',
        due_on: '2026-06-02',
        due_provisional: true,
        at_risk_on: '2026-05-20',
        at_risk: true,
        overdue: true,
        simplified: false,
        outcome: 'adjust',
        closed_on: '2026-05-25',
      },
    ]);
  });

  it('R-A1: members no longer covered are released, and everyone on closure, so they may apply again', async () => {
    const input = await approvedCase(db.pool);
    const caseId = input.applicationId;
    const [head, child] = caseView(input).members;
    const enrolAgain = (idNumber: string) =>
      db.pool.query(
        `INSERT INTO person_enrolments (id_number, holder_kind, holder_id) VALUES ($1, 'application', $2)`,
        [idNumber, `A-new-${caseId}`],
      );
    await expect(enrolAgain(head!.idNumber)).rejects.toMatchObject({
      code: '23505',
      constraint: 'person_enrolments_one_active',
    });
    const died = caseView(input, {
      revision: 1,
      members: [head!, { ...child!, covered: false, diedOn: '2026-04-03' }],
    });
    await acts.saveCase({ view: died, entries: [] });
    const active = async () =>
      (
        await db.pool.query(
          `SELECT id_number FROM person_enrolments
           WHERE holder_kind = 'case' AND holder_id = $1 AND released_at IS NULL`,
          [caseId],
        )
      ).rows.map((r) => r.id_number);
    expect(await active()).toEqual([head!.idNumber]);
    const closed = caseView(input, {
      revision: 2,
      status: 'closed',
      closed: { reason: 'review_stop', fromMonth: '2026-06', on: '2026-05-25' },
      members: died.members,
    });
    await acts.saveCase({ view: closed, entries: [] });
    await acts.saveCase({ view: closed, entries: [] });
    expect(await active()).toEqual([]);
    const { rows } = await db.pool.query(
      'SELECT status, closed_reason, closed_from_month FROM cases WHERE case_id = $1',
      [caseId],
    );
    expect(rows).toEqual([{ status: 'closed', closed_reason: 'review_stop', closed_from_month: '2026-06' }]);
    await expect(enrolAgain(head!.idNumber)).resolves.toMatchObject({ rowCount: 1 });
  });

  it('R-M8: listOpenCases pages through a county by case id and leaves closed cases out', async () => {
    const village = '140821100201'; // another county: the other tests' cases stay out of the list
    const inputs = [];
    for (let i = 0; i < 5; i++) inputs.push(await approvedCase(db.pool, { villageCode: village }));
    const ids = inputs.map((i) => i.applicationId).sort();
    const closedInput = inputs.find((i) => i.applicationId === ids[2])!;
    await acts.saveCase({
      view: caseView(closedInput, {
        status: 'closed',
        closed: { reason: 'death', fromMonth: '2026-05', on: '2026-04-10' },
      }),
      entries: [],
    });
    const open = ids.filter((id) => id !== ids[2]);
    const page1 = await acts.listOpenCases({ countyCode: '140821', limit: 3 });
    const page2 = await acts.listOpenCases({ countyCode: '140821', afterCaseId: page1.at(-1), limit: 3 });
    const page3 = await acts.listOpenCases({ countyCode: '140821', afterCaseId: page2.at(-1), limit: 3 });
    expect(page1).toEqual(open.slice(0, 3));
    expect(page2).toEqual(open.slice(3));
    expect(page3).toEqual([]);
  });
});
