import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../domain/idnumber';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { createCase, type Made, OTHER_TOWNSHIP, OTHER_VILLAGE } from '../helpers/e2e-cases';
import { COUNTY, household, receiptBody, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// The township window's day through the HTTP API (API.md "Applications", "Cases in benefit"):
// find an application or a case by village, stage or status, a name prefix or an id, page by an
// opaque cursor; a township's roster (花名册) as CSV and XLSX; one person looked up by the ID number
// in the body, the read audited (R-O7).

let env: ApiEnv;
const clerk = () => env.as('township_staff', TOWNSHIP);
const get = (url: string, headers = clerk()) => env.api.inject({ url, headers });
const appIds: string[] = [];
let cases: Made[] = [];

let receipts = 0;
async function receive(names: string[]) {
  const hh = household({ size: names.length });
  names.forEach((n, i) => {
    hh.members[i]!.name = n;
  });
  const res = await env.api.inject({
    method: 'POST',
    url: '/v1/applications',
    headers: { ...clerk(), 'idempotency-key': `window-receipt-${++receipts}` },
    payload: receiptBody(hh),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().applicationId as string, ids: hh.members.map((m) => m.idNumber) };
}

let firstApplicant: { id: string; ids: string[] };
beforeAll(async () => {
  env = await startApiEnv({});
  const standard = await env.api.inject({
    method: 'PUT',
    url: '/v1/admin/standards',
    headers: env.as('admin', '14'),
    payload: {
      countyCode: COUNTY,
      effectiveFrom: '2020-01-01',
      standardUrban: '800.00',
      standardRural: '650.00',
    },
  });
  expect(standard.statusCode).toBe(200);
  firstApplicant = await receive(['上官一', '上官小']);
  appIds.push(firstApplicant.id);
  appIds.push((await receive(['欧阳二'])).id);
  appIds.push((await receive(['上官三'])).id);
  cases = [
    await createCase(env, VILLAGE, 2),
    await createCase(env, VILLAGE, 1),
    await createCase(env, OTHER_VILLAGE, 1),
  ];
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

describe('the window’s lists through the API', () => {
  it('API.md: GET /v1/applications pages the caller’s applications by an opaque cursor, each once', async () => {
    const seen: string[] = [];
    let url = '/v1/applications?limit=2';
    for (let i = 0; i < 5 && url; i++) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((a: { applicationId: string }) => a.applicationId));
      if (body.nextCursor) {
        // Opaque: neither a name nor a code of the page stands readable in it.
        expect(Buffer.from(body.nextCursor, 'base64url').toString('latin1')).not.toMatch(/1408|上官/);
        url = `/v1/applications?limit=2&cursor=${body.nextCursor}`;
      } else url = '';
    }
    // The receipts and the applications of the two cases made in the township (approved).
    const expected = [...appIds, cases[0]!.caseId, cases[1]!.caseId];
    expect([...seen].sort()).toEqual(expected.sort());
    const first = (await get('/v1/applications?limit=2')).json();
    expect(first.items[0]).toMatchObject({
      townshipName: '龙居镇',
      villageCode: VILLAGE,
      stage: expect.any(String),
    });
  });

  it('API.md: a cursor from other filters, or one tampered with, is a 400 problem', async () => {
    const { nextCursor } = (await get('/v1/applications?limit=1')).json();
    const other = await get(`/v1/applications?limit=1&stage=open&cursor=${nextCursor}`);
    expect(other.statusCode).toBe(400);
    expect(other.headers['content-type']).toContain('application/problem+json');
    const tampered = `${nextCursor.slice(0, -2)}${nextCursor.endsWith('AA') ? 'AB' : 'AA'}`;
    expect((await get(`/v1/applications?limit=1&cursor=${tampered}`)).statusCode).toBe(400);
  });

  it('R-O7: q finds a member’s name prefix (name order) or an application id; an ID number is refused, not echoed', async () => {
    const byName = (await get(`/v1/applications?q=${encodeURIComponent('上官')}`)).json();
    expect(byName.items.map((a: { matchedName: string }) => a.matchedName)).toEqual([
      '上官一',
      '上官三',
      '上官小',
    ]);
    const byId = (await get(`/v1/applications?q=${appIds[1]}`)).json();
    expect(byId.items.map((a: { applicationId: string }) => a.applicationId)).toEqual([appIds[1]]);
    expect(byId.items[0].applicantName).toBe('欧阳二');
    const id = firstApplicant.ids[0]!;
    const refused = await get(`/v1/applications?q=${id}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain(id);
    expect(refused.json().detail).toContain('/v1/people/lookup');
  });

  it('API.md: filters by stage (open) and village; another township’s clerk sees only its own; naming a village out of reach is 403', async () => {
    const open = (await get('/v1/applications?stage=open')).json();
    expect(open.items).toHaveLength(3);
    const approved = (await get(`/v1/applications?stage=approved&village=${VILLAGE}`)).json().items;
    expect(approved.map((a: { applicationId: string }) => a.applicationId).sort()).toEqual(
      [cases[0]!.caseId, cases[1]!.caseId].sort(),
    );
    const neighbour = env.as('township_staff', OTHER_TOWNSHIP);
    const theirs = (await get('/v1/applications', neighbour)).json().items;
    expect(theirs.map((a: { applicationId: string }) => a.applicationId)).toEqual([cases[2]!.caseId]);
    const out = await get(`/v1/applications?village=${OTHER_VILLAGE}`);
    expect(out.statusCode).toBe(403);
    const county = env.as('county_staff', COUNTY);
    expect((await get(`/v1/applications?township=${TOWNSHIP}&stage=open`, county)).json().items).toHaveLength(
      3,
    );
  });

  it('API.md: GET /v1/cases lists the caller’s cases by village and status, finds a head by name or a case by id', async () => {
    const mine = (await get('/v1/cases')).json();
    expect(mine.items.map((c: { caseId: string }) => c.caseId).sort()).toEqual(
      [cases[0]!.caseId, cases[1]!.caseId].sort(),
    );
    expect(mine.items[0]).toMatchObject({
      headName: '张三',
      status: 'active',
      category: 'dibao',
      townshipName: '龙居镇',
    });
    expect((await get('/v1/cases?status=closed')).json().items).toEqual([]);
    const county = env.as('supervisor', COUNTY);
    expect((await get('/v1/cases', county)).json().items).toHaveLength(3);
    const found = (await get(`/v1/cases?q=${encodeURIComponent('张')}`, county)).json();
    expect(found.items.map((c: { matchedName: string }) => c.matchedName)).toEqual(['张三', '张三', '张三']);
    const one = (await get(`/v1/cases?q=${cases[2]!.caseId}`, county)).json();
    expect(one.items.map((c: { caseId: string }) => c.caseId)).toEqual([cases[2]!.caseId]);
    expect((await get(`/v1/cases?q=${cases[2]!.caseId}`)).json().items).toEqual([]); // out of the clerk's reach
  });

  it('API.md: the township roster (花名册) as CSV and XLSX: a line per case, the columns a township keeps, ID numbers masked', async () => {
    const csv = await get('/v1/cases?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      '序号,乡镇（街道）,村（社区）,案件编号,户主姓名,户主身份证号（脱敏）,保障类别,城乡,保障人数,月保障金额（元）,起始月份,状态,停保原因,下次复核日期,家庭成员（与户主关系）',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('龙居镇');
    expect(lines[1]).toContain('正常发放');
    for (const c of cases.slice(0, 2)) {
      expect(csv.body).toContain(maskIdNumber(c.ids[0]!));
      for (const id of c.ids) expect(csv.body).not.toContain(id);
    }
    const xlsx = await get('/v1/cases?format=xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('花名册')!;
    expect(String(ws.getRow(1).getCell(1).value)).toContain('龙居镇');
    expect(ws.getRow(2).getCell(5).value).toBe('户主姓名');
    expect(ws.rowCount).toBe(4);
  });

  it('R-O7: each record a list page or the township roster shows is an audited read — who, which record, when', async () => {
    const reader = env.as('township_staff', TOWNSHIP, 'clerk-list-reader');
    const cases = (await get('/v1/cases', reader)).json();
    const apps = (await get('/v1/applications?limit=2', reader)).json();
    expect((await get('/v1/cases?format=csv', reader)).statusCode).toBe(200);
    const { rows } = await env.pool.query(
      `SELECT subject_kind, subject_id, payload->>'what' AS what, occurred_at FROM audit_events
        WHERE action = 'read' AND actor_sub = 'clerk-list-reader' ORDER BY id`,
    );
    const shown = (what: string) =>
      rows.filter((r) => r.what === what).map((r) => `${r.subject_kind}:${r.subject_id}`);
    const caseIds = cases.items.map((c: { caseId: string }) => `case:${c.caseId}`).sort();
    expect(caseIds.length).toBeGreaterThan(0);
    expect(shown('case_list').sort()).toEqual(caseIds);
    expect(shown('application_list').sort()).toEqual(
      apps.items.map((a: { applicationId: string }) => `application:${a.applicationId}`).sort(),
    );
    expect(shown('roster').sort()).toEqual(caseIds); // the township's roster: its cases, each once
    expect(rows.every((r) => r.occurred_at instanceof Date)).toBe(true);
  });

  it('R-O7: POST /v1/people/lookup answers what the region holds on one person and audits the read by keyed digest, never the ID number', async () => {
    const person = cases[0]!.ids[1]!;
    const res = await env.api.inject({
      method: 'POST',
      url: '/v1/people/lookup',
      headers: clerk(),
      payload: { idNumber: person },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.cases.map((c: { caseId: string; held: boolean }) => [c.caseId, c.held])).toEqual([
      [cases[0]!.caseId, true],
    ]);
    expect(JSON.stringify(body)).not.toContain(person);
    const applicant = firstApplicant.ids[1]!;
    const app = (
      await env.api.inject({
        method: 'POST',
        url: '/v1/people/lookup',
        headers: clerk(),
        payload: { idNumber: applicant },
      })
    ).json();
    expect(
      app.applications.map((a: { applicationId: string; name: string }) => [a.applicationId, a.name]),
    ).toEqual([[firstApplicant.id, '上官小']]);
    const neighbour = (
      await env.api.inject({
        method: 'POST',
        url: '/v1/people/lookup',
        headers: env.as('township_staff', OTHER_TOWNSHIP),
        payload: { idNumber: person },
      })
    ).json();
    expect(neighbour.cases).toEqual([]);

    const audit = await until(async () => {
      const { rows } = await env.pool.query(
        `SELECT subject_kind, subject_id, actor_sub, actor_role, payload, occurred_at FROM audit_events
         WHERE action = 'person_lookup' ORDER BY id`,
      );
      return rows.length === 3 ? rows : undefined;
    }, 'three audited look-ups');
    expect(audit[0]).toMatchObject({
      subject_kind: 'person',
      subject_id: expect.stringMatching(/^P[0-9a-f]{32}$/),
      actor_role: 'township_staff',
      payload: { cases: [cases[0]!.caseId], region: TOWNSHIP },
    });
    expect(audit[2].subject_id).toBe(audit[0].subject_id); // the same person, the same digest
    expect(audit[1].subject_id).not.toBe(audit[0].subject_id);
    expect(JSON.stringify(audit)).not.toContain(person);
    expect(JSON.stringify(audit)).not.toContain(applicant);
  });

  it('R-O7: a look-up with a bad ID number is a 400 that does not echo it, and records nothing', async () => {
    const bad = `${cases[0]!.ids[0]!.slice(0, 17)}${cases[0]!.ids[0]!.endsWith('0') ? '1' : '0'}`;
    const before = (await env.pool.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n;
    const res = await env.api.inject({
      method: 'POST',
      url: '/v1/people/lookup',
      headers: clerk(),
      payload: { idNumber: bad },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain(bad);
    expect((await env.pool.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n).toBe(before);
  });
});
