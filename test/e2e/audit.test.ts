import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../domain/dates';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { createCase, OTHER_TOWNSHIP, today } from '../helpers/e2e-cases';
import { COUNTY, household, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// R-O6 (audit by staff member) and R-O1 (close-relative register) end to end on the dev server:
// the events come from the workflows' own writers (application, case, complaint), read back
// through GET /v1/audit and GET /v1/oversight/close-relatives.

let env: ApiEnv;
let api: ApiEnv['api'];

beforeAll(async () => {
  env = await startApiEnv();
  api = env.api;
  await seedPolicy(env.pool, COUNTY);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const CLERK = 'clerk-audit';
const clerk = () => env.as('township_staff', TOWNSHIP, CLERK);
const supervisor = (region = COUNTY) => env.as('supervisor', region, 'supervisor-1');
let keys = 0;
const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  api.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'idempotency-key': `audit-${Date.now()}-${++keys}` },
    payload: payload as never,
  });
type Item = { subjectKind: string; subjectId: string; action: string; actorSub: string; actorRole: string };
const audit = async (query: string, headers = supervisor()) =>
  api.inject({ url: `/v1/audit?${query}`, headers });
const eventsOf = async (kind: string, id: string) =>
  (
    await env.pool.query(
      'SELECT action, actor_sub FROM audit_events WHERE subject_kind = $1 AND subject_id = $2 ORDER BY id',
      [kind, id],
    )
  ).rows as { action: string; actor_sub: string }[];

function receipt(hh = household(), filing?: Record<string, unknown>) {
  return {
    category: 'dibao',
    villageCode: VILLAGE,
    acceptedOn: today(),
    delegated: false,
    closeRelative: true,
    ...(filing ? { closeRelativeFiling: filing } : {}),
    household: hh,
  };
}

describe('R-O6 audit and R-O1 close-relative register through the HTTP API (dev server)', () => {
  it('R-O6: a death reported by staff names the staff member on every event it causes, never system', async () => {
    for (const size of [1, 3]) {
      const c = await createCase(env, VILLAGE, size);
      const before = (await eventsOf('case', c.caseId)).length;
      const res = await post(`/v1/cases/${c.caseId}/deaths`, clerk(), {
        noticeId: `staff-death-${c.caseId}`,
        idNumber: c.ids[0],
        diedOn: today(),
      });
      expect(res.statusCode).toBe(202);
      const caused = (await until(async () => {
        const rows = (await eventsOf('case', c.caseId)).slice(before);
        return rows.length >= 2 ? rows : undefined;
      }, 'the events of the death')) as { action: string; actor_sub: string }[];
      expect(caused.map((e) => e.action)).toContain('death_recorded');
      expect(caused.filter((e) => e.actor_sub !== CLERK)).toEqual([]);
    }
  });

  it('R-O6: the audit list of one staff member across applications, cases and complaints, paged, in reach', async () => {
    const app = await post('/v1/applications', clerk(), receipt());
    expect(app.statusCode).toBe(201);
    const c = await createCase(env, VILLAGE, 3);
    const change = await post(`/v1/cases/${c.caseId}/changes`, clerk(), {
      changeId: `chg-${c.caseId}`,
      kind: 'income',
      reportedOn: today(),
      summary: 'seasonal work ended',
    });
    expect(change.statusCode).toBe(200);
    const complaint = await post('/v1/complaints', clerk(), {
      source: 'visit',
      receivedOn: today(),
      complainant: { anonymous: true },
      subject: { kind: 'case', id: c.caseId },
      summary: 'a tip-off',
    });
    expect(complaint.statusCode).toBe(201);

    const res = await audit(`actor=${CLERK}&from=${today()}&to=${today()}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Item[];
    expect(new Set(items.map((i) => i.subjectKind))).toEqual(new Set(['application', 'case', 'complaint']));
    expect(items.every((i) => i.actorSub === CLERK && i.actorRole === 'township_staff')).toBe(true);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subjectKind: 'application',
          subjectId: app.json().applicationId,
          action: 'received',
        }),
        expect.objectContaining({ subjectKind: 'case', subjectId: c.caseId, action: 'change_reported' }),
        expect.objectContaining({
          subjectKind: 'complaint',
          subjectId: complaint.json().complaintId,
          action: 'received',
        }),
      ]),
    );
    // Paged: two at a time, the pages together are the list.
    const paged: Item[] = [];
    for (let after = 0; ; ) {
      const page = (await audit(`actor=${CLERK}&limit=2&after=${after}`)).json();
      paged.push(...page.items);
      if (page.next === null) break;
      after = page.next;
    }
    expect(paged).toEqual(items);
    // Another period, another county's supervisor, a region outside the caller's.
    expect((await audit(`actor=${CLERK}&to=2020-01-01`)).json().items).toEqual([]);
    expect((await audit(`actor=${CLERK}`, supervisor('140803'))).json().items).toEqual([]);
    expect((await audit(`actor=${CLERK}&region=${OTHER_TOWNSHIP}`)).json().items).toEqual([]);
    expect((await audit(`actor=${CLERK}&region=140803`)).statusCode).toBe(403);
    expect((await audit(`actor=${CLERK}&from=2026-02-01&to=2026-01-01`)).statusCode).toBe(400);
    expect((await audit(`actor=${CLERK}`, env.as('county_staff', COUNTY))).statusCode).toBe(403);
  });

  it('R-O1: the close-relative register per township: who (masked), related to whom and how, filed at receipt and at each re-review', async () => {
    const hh = household();
    const member = hh.members[1]!;
    const filing = {
      memberIdNumber: member.idNumber,
      relatedTo: { name: '李村长', position: 'village_cadre', post: '村委会主任' },
      relation: 'sibling',
    };
    const before = (await env.pool.query('SELECT count(*)::int AS n FROM close_relative_filings')).rows[0].n;
    // Bad input: a filing naming someone outside the household, or on a case that is not one.
    const stranger = await post('/v1/applications', clerk(), receipt(household(), filing));
    expect(stranger.statusCode).toBe(400);
    const notFlagged = await post('/v1/applications', clerk(), {
      ...receipt(hh, filing),
      closeRelative: false,
    });
    expect(notFlagged.statusCode).toBe(400);
    expect((await env.pool.query('SELECT count(*)::int AS n FROM close_relative_filings')).rows[0].n).toBe(
      before,
    );

    const res = await post('/v1/applications', clerk(), receipt(hh, filing));
    expect(res.statusCode).toBe(201);
    const applicationId = res.json().applicationId as string;
    const reReview = addMonths(today(), 12);
    // Approved into a case, re-reviewed a year on: the case workflow's writer files it again.
    await env.pool.query(
      `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
         monthly_amount, start_month, approved_on, approved_by, members)
       VALUES ($1,$1,'dibao',$2,$3,$4,'active','500.00','2026-01','2025-12-20','county-1','[]')`,
      [applicationId, VILLAGE, TOWNSHIP, COUNTY],
    );
    await api.repos.closeRelatives.file({
      subjectKind: 'case',
      subjectId: applicationId,
      villageCode: VILLAGE,
      occasion: `re_review:${reReview}`,
      filedOn: reReview,
      filedBy: 'system',
      matches: [],
    });

    const list = await api.inject({
      url: `/v1/oversight/close-relatives?region=${TOWNSHIP}`,
      headers: env.as('county_staff', COUNTY),
    });
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((i: { applicationId: string }) => i.applicationId === applicationId);
    expect(item).toMatchObject({
      caseId: applicationId,
      townshipCode: TOWNSHIP,
      member: `${[...member.name][0]}${'*'.repeat([...member.name].length - 1)}`,
      relatedTo: { name: '李村长', position: 'village_cadre' },
      relation: 'sibling',
      filings: [
        { subjectKind: 'application', occasion: 'receipt', filedOn: today(), filedBy: CLERK },
        { subjectKind: 'case', occasion: `re_review:${reReview}`, filedOn: reReview },
      ],
    });
    expect(list.body).not.toContain(member.idNumber);
    expect(list.body).not.toContain(member.name);
    const other = await api.inject({
      url: `/v1/oversight/close-relatives?region=${OTHER_TOWNSHIP}`,
      headers: supervisor(),
    });
    expect(other.json().items).toEqual([]);
    const outside = await api.inject({
      url: `/v1/oversight/close-relatives?region=${COUNTY}`,
      headers: env.as('county_staff', '140803'),
    });
    expect(outside.statusCode).toBe(403);
  });
});
