import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/dates';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { caseCalls, createCase, type Made, OTHER_TOWNSHIP, type Task, today } from '../helpers/e2e-cases';
import { COUNTY, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// R-O4 complaints end to end on the Temporal dev server: HTTP API → complaint workflow → worker with
// the real activities → Postgres (ledger row, audit events, supervisor alerts) and, for a finding
// that asks for it, the case workflow's data check. Timers are in test/workflows/complaint.test.ts.

let env: ApiEnv;
let api: ApiEnv['api'];
let a: Made;

beforeAll(async () => {
  env = await startApiEnv();
  api = env.api;
  a = await createCase(env, VILLAGE);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const township = (sub = 'clerk-1') => env.as('township_staff', TOWNSHIP, sub);
const county = (sub = 'county-1') => env.as('county_staff', COUNTY, sub);
const supervisor = () => env.as('supervisor', COUNTY, 'supervisor-1');
let keys = 0;
const post = (url: string, headers: Record<string, string>, payload: unknown, key?: string) =>
  api.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'idempotency-key': key ?? `k-${Date.now()}-${++keys}` },
    payload: payload as never,
  });
const named = { anonymous: false, name: '王小明', phone: '13912345678' };
const complaint = (over: Record<string, unknown> = {}) => ({
  source: 'hotline_12345',
  receivedOn: today(),
  complainant: named,
  subject: { kind: 'village', id: VILLAGE },
  summary: 'the village list was not posted',
  ...over,
});
const rows = async (table: string) =>
  (await env.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

describe('R-O4 complaints through the HTTP API (dev server)', () => {
  it('R-O4: a named complaint answered late shows overdue, then answered (still overdue in the ledger)', async () => {
    // Logged from a letter 40 days after it arrived: its 15 working days are already spent.
    const receivedOn = addDays(today(), -40);
    const res = await post('/v1/complaints', township(), complaint({ source: 'letter', receivedOn }));
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ stage: 'received', overdue: true, deadline: { kind: 'answer' } });
    expect(c.complaintId).toMatch(/^C140802\d{8}[0-9A-F]{12}$/);
    const overdue = await api.inject({
      url: '/v1/complaints?overdue=true&stage=open',
      headers: supervisor(),
    });
    expect(overdue.json().items.map((i: { complaintId: string }) => i.complaintId)).toContain(c.complaintId);
    const alerts = await until(async () => {
      const { rows } = await env.pool.query(
        `SELECT flag FROM supervision_alerts WHERE subject_kind = 'complaint' AND subject_id = $1`,
        [c.complaintId],
      );
      return rows.length ? rows : undefined;
    }, 'the overdue alert');
    expect(alerts.map((r) => r.flag)).toEqual(['overdue']);

    const url = `/v1/complaints/${c.complaintId}`;
    expect((await post(`${url}/assignment`, county(), { handler: 'clerk-1' })).statusCode).toBe(200);
    const found = await post(`${url}/finding`, township(), {
      outcome: 'substantiated',
      summary: 'posted late',
    });
    expect(found.json()).toMatchObject({
      stage: 'found',
      finding: { outcome: 'substantiated', by: 'clerk-1' },
    });
    const answered = await post(`${url}/answer`, township(), {
      answeredOn: today(),
      channel: 'phone',
      summary: 'told the complainant the finding',
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({
      stage: 'closed',
      overdue: true,
      answer: { late: true, by: 'clerk-1' },
    });
    const line = (await api.inject({ url: '/v1/complaints?overdue=true', headers: supervisor() }))
      .json()
      .items.find((i: { complaintId: string }) => i.complaintId === c.complaintId);
    expect(line).toMatchObject({ stage: 'closed', answeredLate: true, answeredOn: today() });
    // Closed: a further step is refused with the stage.
    const again = await post(`${url}/assignment`, county(), { handler: 'clerk-2' });
    expect(again.statusCode).toBe(409);
  });

  it('R-O4: an extension once, with a reason, moves the deadline; a second extension is refused (409)', async () => {
    const c = (await post('/v1/complaints', county(), complaint({ source: 'online' }))).json();
    const url = `/v1/complaints/${c.complaintId}`;
    expect((await post(`${url}/extension`, township(), { reason: 'x' })).statusCode).toBe(403);
    expect((await post(`${url}/extension`, county(), { reason: '' })).statusCode).toBe(400);
    const ext = await post(`${url}/extension`, county(), {
      reason: 'the village head is away until next week',
    });
    expect(ext.statusCode).toBe(200);
    const v = ext.json();
    expect(v.extension).toMatchObject({ previousDate: c.deadline.date, by: 'county-1' });
    expect(v.deadline.date > c.deadline.date).toBe(true);
    const second = await post(`${url}/extension`, supervisor(), { reason: 'again' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ stage: 'received' });
    expect((await api.inject({ url, headers: township() })).json().deadline.date).toBe(v.deadline.date);
  });

  it('R-O4 R-M6: an anonymous tip-off whose finding opens a data check on a case: the case shows the check', async () => {
    const res = await post(
      '/v1/complaints',
      township(),
      complaint({
        complainant: { anonymous: true },
        subject: { kind: 'case', id: a.caseId },
        summary: 'the son works in the city',
      }),
    );
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ villageCode: VILLAGE, deadline: { kind: 'finding' } });
    const url = `/v1/complaints/${c.complaintId}`;
    // An anonymous tip-off has no one to answer; a finding needs a handler first.
    expect(
      (await post(`${url}/finding`, township(), { outcome: 'substantiated', summary: 's' })).statusCode,
    ).toBe(409);
    await post(`${url}/assignment`, township(), { handler: 'clerk-1', note: 'visit the household' });
    const found = await post(`${url}/finding`, township(), {
      outcome: 'partly_substantiated',
      summary: 'employment to be verified',
      dataCheck: true,
      spotCheckRequested: true,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({
      stage: 'closed',
      finding: {
        dataCheck: { caseId: a.caseId, taskId: `complaint-${c.complaintId}`, status: 'opened' },
        spotCheckRequested: true,
      },
    });
    const task = await caseCalls(env).taskOf(
      a.caseId,
      (t: Task) => t.taskId === `complaint-${c.complaintId}`,
    );
    expect(task).toMatchObject({ kind: 'data_check', subject: { complaintId: c.complaintId } });
    const answer = await post(`${url}/answer`, township(), {
      answeredOn: today(),
      channel: 'phone',
      summary: 's',
    });
    expect(answer.statusCode).toBe(409);
  });

  it('R-O4: a repeat on the same subject is linked to the first, not counted as new', async () => {
    const first = (
      await post(
        '/v1/complaints',
        township(),
        complaint({ subject: { kind: 'staff', id: 'clerk-9' }, villageCode: VILLAGE }),
      )
    ).json();
    const repeat = (
      await post(
        '/v1/complaints',
        county(),
        complaint({
          source: 'visit',
          subject: { kind: 'staff', id: 'clerk-9' },
          villageCode: VILLAGE,
          complainant: { anonymous: true },
        }),
      )
    ).json();
    expect(repeat.repeatOf).toBe(first.complaintId);
    expect(
      (await api.inject({ url: `/v1/complaints/${first.complaintId}`, headers: township() })).json().repeats,
    ).toEqual([repeat.complaintId]);
    // R-O7: reading a complaint (it may name its complainant) is an audited read.
    const reads = await env.pool.query(
      `SELECT actor_role FROM audit_events WHERE action = 'read' AND subject_kind = 'complaint' AND subject_id = $1`,
      [first.complaintId],
    );
    expect(reads.rows).toEqual([{ actor_role: 'township_staff' }]);
    const ledger = (await api.inject({ url: `/v1/complaints?region=${TOWNSHIP}`, headers: county() })).json();
    const counts = (
      await api.inject({ url: `/v1/complaints/counts?region=${TOWNSHIP}`, headers: county() })
    ).json();
    expect(counts.total).toBe(ledger.items.length);
    expect(counts.total - counts.distinct).toBe(
      ledger.items.filter((i: { repeatOf: string | null }) => i.repeatOf).length,
    );
    expect(counts.distinct).toBeLessThan(counts.total);
  });

  it('R-O4 R-O7: the ledger CSV masks the complainant (no name, no phone) and lists each complaint once', async () => {
    const res = await api.inject({
      url: `/v1/complaints?region=${COUNTY}&format=csv`,
      headers: supervisor(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toContain('complaintId,source,complainant');
    const counts = (
      await api.inject({ url: `/v1/complaints/counts?region=${COUNTY}`, headers: supervisor() })
    ).json();
    expect(lines).toHaveLength(counts.total + 1);
    expect(res.body).not.toContain('王小明');
    expect(res.body).not.toContain('13912345678');
    expect(res.body).toContain('王** *******5678');
    expect(res.body).toContain('匿名');
  });

  it('R-O4: the ledger pages by cursor, newest first, every line once; the CSV is every line of the filters', async () => {
    for (let i = 0; i < 5; i++)
      expect(
        (await post('/v1/complaints', township(), complaint({ receivedOn: addDays(today(), -i) })))
          .statusCode,
      ).toBe(201);
    const counts = (
      await api.inject({ url: `/v1/complaints/counts?region=${COUNTY}`, headers: supervisor() })
    ).json();
    const seen: { complaintId: string; receivedOn: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: { statusCode: number; json(): never } = await api.inject({
        url: `/v1/complaints?region=${COUNTY}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: supervisor(),
      });
      expect(res.statusCode).toBe(200);
      const page: { items: { complaintId: string; receivedOn: string }[]; nextCursor: string | null } =
        res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page).not.toHaveProperty('total');
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(counts.total);
    expect(new Set(seen.map((l) => l.complaintId)).size).toBe(counts.total);
    const order = seen.map((l) => `${l.receivedOn}|${l.complaintId}`);
    expect(order).toEqual([...order].sort().reverse());
    const csv = await api.inject({
      url: `/v1/complaints?region=${COUNTY}&format=csv&limit=2`,
      headers: supervisor(),
    });
    expect(csv.body.trim().split('\n')).toHaveLength(counts.total + 1);
    const bad = await api.inject({ url: '/v1/complaints?cursor=bm90LWEtY3Vyc29y', headers: supervisor() });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('R-O4: bad input is a 4xx problem and changes nothing', async () => {
    const before = await rows('complaints');
    const auditBefore = await rows('audit_events');
    const bad = [
      complaint({ source: 'fax' }),
      complaint({ receivedOn: addDays(today(), 3) }),
      complaint({ complainant: { anonymous: false, name: '李四' } }),
      complaint({ subject: { kind: 'staff', id: 'clerk-9' } }), // no village
      complaint({ subject: { kind: 'case', id: 'A140802NOSUCHCASE' } }),
      complaint({ subject: { kind: 'village', id: '140803101201' } }), // another county
      complaint({ summary: '' }),
    ];
    const codes = [];
    for (const body of bad) {
      const res = await post('/v1/complaints', township(), body);
      codes.push(res.statusCode);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(codes).toEqual([400, 400, 400, 400, 422, 403, 400]);
    const c = (await post('/v1/complaints', township(), complaint())).json();
    expect(await rows('complaints')).toBe(before + 1);
    expect((await rows('audit_events')) - auditBefore).toBe(1); // its receipt only
    const url = `/v1/complaints/${c.complaintId}`;
    const mid = await rows('audit_events');
    expect((await post(`${url}/assignment`, township(), { handler: 'no spaces allowed' })).statusCode).toBe(
      400,
    );
    expect(
      (await post(`${url}/answer`, township(), { answeredOn: today(), channel: 'phone', summary: 's' }))
        .statusCode,
    ).toBe(409);
    await post(`${url}/assignment`, township(), { handler: 'clerk-1' });
    expect(
      (await post(`${url}/finding`, township(), { outcome: 'substantiated', summary: 's', dataCheck: true }))
        .statusCode,
    ).toBe(422);
    expect((await rows('audit_events')) - mid).toBe(1); // the assignment only
  });

  it('R-O4 R-O7: out of region: a complaint answers 404 like an unknown one, a region outside the caller 403', async () => {
    const c = (await post('/v1/complaints', township(), complaint())).json();
    const outsider = env.as('township_staff', OTHER_TOWNSHIP);
    const get = await api.inject({ url: `/v1/complaints/${c.complaintId}`, headers: outsider });
    expect(get.statusCode).toBe(404);
    expect(
      (await post(`/v1/complaints/${c.complaintId}/assignment`, outsider, { handler: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await api.inject({ url: `/v1/complaints?region=${COUNTY}`, headers: township() })).statusCode,
    ).toBe(403);
    const mine = (await api.inject({ url: '/v1/complaints', headers: outsider })).json();
    expect(mine.items).toEqual([]);
    expect(
      (await api.inject({ url: '/v1/complaints/C14080220260101ABCDEF012345', headers: township() }))
        .statusCode,
    ).toBe(404);
  });

  it('R-O4 R-O6: a retried receipt with the same Idempotency-Key is the same complaint', async () => {
    const body = complaint({ source: 'online' });
    const first = await post('/v1/complaints', township(), body, 'same-key-1');
    const second = await post('/v1/complaints', township(), body, 'same-key-1');
    expect(second.json().complaintId).toBe(first.json().complaintId);
    const audit = await env.pool.query(
      `SELECT action, actor_sub FROM audit_events WHERE subject_kind = 'complaint' AND subject_id = $1`,
      [first.json().complaintId],
    );
    expect(audit.rows).toEqual([{ action: 'received', actor_sub: 'clerk-1' }]);
  });
});
