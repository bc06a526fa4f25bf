import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { addDays } from '../../domain/dates';
import { visitReportDue } from '../../domain/deadlines';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import {
  caseCalls,
  createCase,
  type Made,
  month,
  OTHER_TOWNSHIP,
  OTHER_VILLAGE,
  type Task,
  today,
} from '../helpers/e2e-cases';
import { COUNTY, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// Death-notice batches (R-M2) and monthly visit reports (R-M7) end to end on the Temporal dev
// server: the API answers each line and signals the case, which records what it made of a death.

let env: ApiEnv;
let api: ApiEnv['api'];
let pool: ApiEnv['pool'];
let a: Made; // VILLAGE: death notices
let b: Made; // OTHER_VILLAGE: outside a township caller's region
let c: Made; // VILLAGE: the visit report

beforeAll(async () => {
  env = await startApiEnv();
  ({ api, pool } = env);
  [a, b, c] = await Promise.all([
    createCase(env, VILLAGE),
    createCase(env, OTHER_VILLAGE),
    createCase(env, VILLAGE),
  ]);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const as = (role: string, region: string) => env.as(role, region);
const township = () => as('township_staff', TOWNSHIP);
const integration = () => as('integration', TOWNSHIP);
const post = (...args: Parameters<ReturnType<typeof caseCalls>['post']>) => caseCalls(env).post(...args);
const caseView = (id: string) => caseCalls(env).caseView(id);
const taskOf = (id: string, pick: (t: Task) => boolean) => caseCalls(env).taskOf(id, pick);
const count = (table: string) => caseCalls(env).count(table);

describe('death-notice batches and visit reports through the HTTP API (dev server)', () => {
  it('R-M2: a death-notice batch answers line by line (202); the matched death opens a review; a repeat changes nothing', async () => {
    const url = '/v1/integrations/death-notices';
    const yesterday = addDays(today(), -1);
    const stranger = idNumber();
    const sent = `pre-${randomBytes(3).toString('hex')}`;
    const first = await post(url, integration(), {
      notices: [{ noticeId: sent, idNumber: idNumber(), diedOn: yesterday }],
    });
    expect(first.json().results[0].outcome).toBe('unknown');
    const id = a.ids[2]!;
    const badCheck = `${a.ids[1]!.slice(0, 17)}${a.ids[1]!.endsWith('0') ? '1' : '0'}`;
    const notices = [
      { noticeId: 'n-1', idNumber: id, diedOn: yesterday, source: 'integration' },
      { noticeId: 'n-1', idNumber: id, diedOn: yesterday },
      { noticeId: sent, idNumber: stranger, diedOn: yesterday },
      { noticeId: 'n-2', idNumber: badCheck, diedOn: yesterday },
      { noticeId: 'n-3', idNumber: a.ids[1], diedOn: '2099-01-01' },
      { noticeId: 'n-4', idNumber: stranger, diedOn: yesterday },
      { noticeId: 'n-5', idNumber: b.ids[0], diedOn: yesterday },
      'not an object',
    ];
    const headers = { ...integration(), 'idempotency-key': `deaths-${Math.random()}` };
    const res = await post(url, headers, { notices });
    expect(res.statusCode).toBe(202);
    const { results, counts } = res.json();
    const outcomes = 'matched duplicate duplicate invalid invalid unknown forbidden invalid';
    expect(results.map((r: { outcome: string }) => r.outcome).join(' ')).toBe(outcomes);
    expect(results[0]).toMatchObject({ noticeId: 'n-1', caseId: a.caseId });
    expect(results[3].problems[0].path).toBe('idNumber');
    expect(results[4].problems[0].path).toBe('diedOn');
    expect(counts).toEqual({ matched: 1, duplicate: 2, pending: 0, unknown: 1, forbidden: 1, invalid: 3 });
    const outcomeOf = async (noticeId: string) =>
      (await pool.query('SELECT outcome, case_id FROM death_notices WHERE notice_id = $1', [noticeId]))
        .rows[0];
    // A person no case holds: kept apart from death_notices, which only the case workflow writes.
    expect(await outcomeOf('n-4')).toBeUndefined();
    const unmatched = await pool.query('SELECT id_number FROM unmatched_death_notices WHERE notice_id = $1', [
      'n-4',
    ]);
    expect(unmatched.rows).toEqual([{ id_number: stranger }]);

    const review = await taskOf(a.caseId, (t) => t.kind === 'death_review' && t.subject.idNumber === id);
    expect(review.due.date > today()).toBe(true);
    await until(async () => (await outcomeOf('n-1')).outcome === 'applied', 'the outcome of n-1');
    // R-O6: the integration that reported the death is its actor in the case history.
    const recorded = (await caseView(a.caseId)).history.find(
      (e: { action: string }) => e.action === 'death_recorded',
    );
    expect(recorded.by).toMatchObject({ role: 'integration' });

    const rows = await count('death_notices');
    const again = await post(url, headers, { notices });
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(res.json());
    expect(await count('death_notices')).toBe(rows);
    // The same death from another source still reaches the case, which counts it once.
    const other = await post(url, integration(), {
      notices: [{ noticeId: 'n-6', idNumber: id, diedOn: yesterday, source: 'staff' }],
    });
    expect(other.json().results[0]).toMatchObject({ outcome: 'matched', caseId: a.caseId });
    const once = await until(async () => {
      const v = await caseView(a.caseId);
      return v.history.some((e: { action: string }) => e.action === 'death_notice_duplicate') && v;
    }, 'n-6 counted once');
    expect(once.tasks.filter((t: Task) => t.kind === 'death_review')).toHaveLength(1);
    // R-M2: the comparison sources the rules name (health, police, cremation, civil affairs) are
    // accepted and recorded as such, and the OpenAPI document names every source.
    const sources = await post(url, integration(), {
      notices: ['health', 'police', 'cremation', 'civil_affairs'].map((source, i) => ({
        noticeId: `n-src-${i}`,
        idNumber: id,
        diedOn: yesterday,
        source,
      })),
    });
    expect(sources.json().results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'matched',
      'matched',
      'matched',
      'matched',
    ]);
    const recordedSources = await until(async () => {
      const { rows } = await pool.query(
        `SELECT source FROM death_notices WHERE notice_id LIKE 'n-src-%' ORDER BY notice_id`,
      );
      return rows.length === 4 && rows.map((r) => r.source);
    }, 'the four sources recorded');
    expect(recordedSources).toEqual(['health', 'police', 'cremation', 'civil_affairs']);
    const doc = (await api.inject({ url: '/docs/json' })).json();
    expect(JSON.stringify(doc.components.schemas.DeathNoticeBatch)).toContain('cremation');
  });

  it('R-M7: a visit report fans a death and an employment out to the case; zero report with entries 400; a different second report 409', async () => {
    const payload = {
      villageCode: VILLAGE,
      month: month(),
      zeroReport: false,
      entries: [
        { idNumber: c.ids[2], kind: 'death', occurredOn: addDays(today(), -1), summary: 'died at home' },
        {
          idNumber: c.ids[1],
          kind: 'employment',
          occurredOn: today(),
          perCapitaIncome: '300.00',
          summary: 'works',
        },
      ],
    };
    const res = await post('/v1/visit-reports', township(), payload);
    expect(res.statusCode).toBe(201);
    const due = visitReportDue(WorkingCalendar.builtin(), month());
    expect(res.json()).toMatchObject({ due, late: today() > due.date });
    expect(res.json().results).toEqual([
      { index: 0, kind: 'death', outcome: 'matched', caseId: c.caseId },
      { index: 1, kind: 'employment', outcome: 'matched', caseId: c.caseId },
    ]);
    await taskOf(c.caseId, (t) => t.kind === 'death_review' && t.subject.idNumber === c.ids[2]);
    await taskOf(c.caseId, (t) => t.taskId === `change-visit:${VILLAGE}:${month()}:1`);
    // The case records the notice itself (an activity after the signal): wait for it.
    const notice = await until(async () => {
      const { rows } = await pool.query('SELECT source, case_id FROM death_notices WHERE notice_id = $1', [
        `visit:${VILLAGE}:${month()}:0`,
      ]);
      return rows.length > 0 && rows;
    }, 'the visit-report death recorded by the case');
    expect(notice).toEqual([{ source: 'visit_report', case_id: c.caseId }]);

    const zero = await post('/v1/visit-reports', township(), { ...payload, zeroReport: true });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors[0].path).toBe('body.entries');
    const same = await post('/v1/visit-reports', township(), payload);
    expect(same.statusCode).toBe(200);
    const other = await post('/v1/visit-reports', township(), { ...payload, zeroReport: true, entries: [] });
    expect(other.statusCode).toBe(409);
  });

  it('R-M7 R-O3: supervision lists the village with open cases and no report; its township cannot forward yet', async () => {
    const url = `/v1/supervision/visit-reports?month=${month()}`;
    const res = await api.inject({ url, headers: as('supervisor', COUNTY) });
    expect(res.statusCode).toBe(200);
    const villages = res.json().villages.map((v: { villageCode: string }) => v.villageCode);
    expect(villages).toEqual([OTHER_VILLAGE]);
    expect(res.json().villages[0]).toMatchObject({
      openCases: 1,
      overdue: today() > res.json().villages[0].due.date,
    });
    const blocked = await post('/v1/visit-reports/forwards', as('township_staff', OTHER_TOWNSHIP), {
      townshipCode: OTHER_TOWNSHIP,
      month: month(),
    });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().villages).toEqual([OTHER_VILLAGE]);
    const fwd = await post('/v1/visit-reports/forwards', township(), {
      townshipCode: TOWNSHIP,
      month: month(),
    });
    expect(fwd.statusCode).toBe(201);
    const after = (await api.inject({ url, headers: as('county_staff', COUNTY) })).json();
    expect(after.townships.map((t: { townshipCode: string }) => t.townshipCode)).toEqual([OTHER_TOWNSHIP]);
    expect((await api.inject({ url, headers: township() })).statusCode).toBe(403);
  });
});
