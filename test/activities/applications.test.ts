import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationActivities } from '../../activities/applications';
import { createRepositories } from '../../db/repositories';
import { ApplicationState } from '../../workflows/application/state';
import { freshDatabase } from '../helpers/db';
import { applicationInput, household } from '../helpers/fixtures';

// Activities against the private Postgres cluster: every write is idempotent (a retried activity
// has one effect) and the audit trail is append-only (R-O6).
let db: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('application activities (Postgres)', () => {
  it('R-O6: saveApplication writes each history entry once and never goes back to an older snapshot', async () => {
    const acts = applicationActivities({ pool: db.pool });
    const input = applicationInput({ acceptedOn: '2026-02-02' });
    const state = new ApplicationState(input, input.context, new Date('2026-02-03T02:00:00Z'));
    const first = state.snapshot();
    await acts.saveApplication({ input, view: first, entries: first.history, version: 1 });
    await acts.saveApplication({ input, view: first, entries: first.history, version: 1 }); // retried
    const withdrawn = state.applyWithdrawal(
      { actor: input.receivedBy, reason: 'moved away' },
      new Date('2026-02-04T02:00:00Z'),
    );
    await acts.saveApplication({ input, view: state.snapshot(), entries: [withdrawn], version: 2 });
    await acts.saveApplication({ input, view: first, entries: [], version: 1 }); // a late, older save
    const { rows } = await db.pool.query(
      'SELECT stage, overall_deadline FROM applications WHERE application_id = $1',
      [input.applicationId],
    );
    expect(rows).toEqual([{ stage: 'withdrawn', overall_deadline: '2026-03-20' }]);
    const audit = await db.pool.query('SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY id', [
      input.applicationId,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(['received', 'withdrawn']);
  });

  it('R-O6: the audit trail refuses UPDATE and DELETE', async () => {
    await expect(db.pool.query('DELETE FROM audit_events')).rejects.toThrow(/not allowed/);
    await expect(db.pool.query("UPDATE audit_events SET reason = 'x'")).rejects.toThrow(/not allowed/);
  });

  it('R-A7 R-A6: notices and supervisor alerts are written once under retries', async () => {
    const acts = applicationActivities({ pool: db.pool });
    const notice = {
      kind: 'rejection' as const,
      subjectKind: 'application',
      subjectId: 'A1',
      villageCode: '140802101201',
      addressee: '张三',
      reasons: 'income above the standard',
      decidedOn: '2026-03-02',
      decidedBy: 'county-1',
    };
    const a = await acts.issueNotice(notice);
    const b = await acts.issueNotice(notice);
    expect(a).toEqual(b);
    const alert = {
      alertKey: 'application:A1:overall:2026-02-02:overdue',
      subjectKind: 'application',
      subjectId: 'A1',
      villageCode: '140802101201',
      flag: 'overdue' as const,
      deadlineKind: 'overall',
      dueOn: '2026-03-20',
    };
    await acts.notifySupervisor(alert);
    await acts.notifySupervisor(alert);
    const n = await db.pool.query('SELECT count(*)::int AS n FROM notices');
    const m = await db.pool.query('SELECT county_code, township_code FROM supervision_alerts');
    expect(n.rows[0].n).toBe(1);
    expect(m.rows).toEqual([{ county_code: '140802', township_code: '140802101' }]);
  });

  it('R-A1: the receipt writes the application, members and enrolments once under retries; a person held elsewhere refuses it and writes nothing', async () => {
    const acts = applicationActivities({ pool: db.pool });
    const input = applicationInput({ acceptedOn: '2026-02-02' });
    const view = new ApplicationState(input, input.context, new Date('2026-02-03T02:00:00Z')).snapshot();
    const args = { input, view, entries: view.history, version: 1 };
    expect(await acts.receiveApplication(args)).toEqual({});
    expect(await acts.receiveApplication(args)).toEqual({}); // retried after its commit
    const held = await db.pool.query(
      'SELECT holder_id FROM person_enrolments WHERE id_number = ANY($1) AND released_at IS NULL',
      [input.household.members.map((m) => m.idNumber)],
    );
    expect(held.rows).toEqual(input.household.members.map(() => ({ holder_id: input.applicationId })));

    const other = applicationInput({ acceptedOn: '2026-02-02', household: input.household });
    const otherView = new ApplicationState(other, other.context, new Date('2026-02-03T02:00:00Z')).snapshot();
    const refused = await acts.receiveApplication({ input: other, view: otherView, entries: [], version: 1 });
    expect(refused.refused).toMatchObject({ holderKind: 'application', holderId: input.applicationId });
    const rows = await db.pool.query(
      'SELECT count(*)::int AS n FROM applications WHERE application_id = $1',
      [other.applicationId],
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it('R-A10 R-O5: a temporary grant of an urban household is counted in the urban column of the payroll', async () => {
    const acts = applicationActivities({ pool: db.pool });
    const hh = { ...household(), residence: 'urban' as const };
    const input = applicationInput({ acceptedOn: '2026-02-02', household: hh });
    const view = new ApplicationState(input, input.context, new Date('2026-02-03T02:00:00Z')).snapshot();
    await acts.receiveApplication({ input, view, entries: view.history, version: 1 });
    await acts.recordTemporaryGrant({
      grantId: `g-${input.applicationId}`,
      applicationId: input.applicationId,
      villageCode: input.villageCode,
      amount: '500.00',
      reason: 'fire',
      grantedOn: '2026-02-03',
      grantedBy: 'township_staff-1',
    });
    const repos = createRepositories(db.pool);
    await repos.payroll.open({
      payrollId: '140802:2026-03',
      countyCode: '140802',
      month: '2026-03',
      rosterDate: '2026-03-05',
      paymentDate: '2026-03-10',
    });
    await repos.ledger.insertTemporaryGrants('140802:2026-03', '140802', '2026-03');
    const { rows } = await db.pool.query(`SELECT residence, amount, kind FROM ledger WHERE case_id = $1`, [
      input.applicationId,
    ]);
    expect(rows).toEqual([{ residence: 'urban', amount: '500.00', kind: 'temporary_grant' }]);
  });
});
