import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, civilDateOf, monthOf } from '../../domain/dates';
import { spotCheckRoundWorkflowId } from '../../workflows/contracts';
import type { spotCheckRoundWorkflow } from '../../workflows/spot-check/round';
import { type ApiEnv, startApiEnv, until } from '../helpers/api-env';
import { COUNTY, household, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';
import { seedPolicy } from '../helpers/seed';

// R-O1 → R-O2 end to end on the dev server: county staff keep the close-relative roster through the
// API (JSON, CSV, XLSX); a receipt whose household holds a relative is filed with the staff member
// though the clerk ticked nothing; the register shows it; approved by the county, the admission is
// drawn in the county's spot-check round of that month.
let env: ApiEnv;
beforeAll(async () => {
  env = await startApiEnv({ sub: 'roster' });
  await seedPolicy(env.pool, COUNTY);
});
afterAll(async () => {
  await env?.stop();
});

const today = () => civilDateOf(new Date());
const countyStaff = () => env.as('county_staff', COUNTY, 'county-roster-keeper');
const post = (
  url: string,
  headers: Record<string, string>,
  payload: unknown,
  extra: Record<string, string> = {},
) => env.api.inject({ method: 'POST', url, headers: { ...headers, ...extra }, payload: payload as never });
const count = async (table: string) =>
  (await env.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

type Entry = {
  entryId: string;
  staff: { ref: string; name: string };
  relative: { idNumber: string; name: string };
  endedOn: string | null;
};

describe('R-O1 the close-relative roster through the API (dev server)', () => {
  it('R-O1 R-O2 R-O7: a roster kept by JSON, CSV and XLSX names a relative at receipt; filed with the staff member, shown in the register, drawn in the county round', async () => {
    const hh = household({ size: 3 });
    const relative = hh.members[2]!;
    const cadre = {
      ref: 'V-0017',
      name: '李村长',
      position: 'village_cadre',
      post: '村委会主任',
      regionCode: VILLAGE,
    };
    const json = {
      countyCode: COUNTY,
      effectiveOn: addDays(today(), -60),
      staff: [
        { ...cadre, relatives: [{ idNumber: relative.idNumber, name: relative.name, relation: 'sibling' }] },
      ],
    };

    // Who may write, and bad input: nothing recorded.
    const before = await count('close_relative_roster');
    expect((await post('/v1/oversight/roster', env.as('township_staff', TOWNSHIP), json)).statusCode).toBe(
      403,
    );
    expect((await post('/v1/oversight/roster', env.as('supervisor', COUNTY), json)).statusCode).toBe(403);
    expect((await post('/v1/oversight/roster', env.as('county_staff', '140803'), json)).statusCode).toBe(403);
    const badId = await post('/v1/oversight/roster', countyStaff(), {
      ...json,
      staff: [{ ...cadre, relatives: [{ idNumber: '140802197001010000', name: '某', relation: 'sibling' }] }],
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors).toEqual([
      { path: 'body.staff[0].relatives[0].idNumber', message: 'a valid ID number' },
    ]);
    const elsewhere = await post('/v1/oversight/roster', countyStaff(), {
      ...json,
      staff: [{ ...cadre, regionCode: '140803101201' }],
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(await count('close_relative_roster')).toBe(before);

    const key = { 'idempotency-key': 'roster-json-1' };
    const recorded = await post('/v1/oversight/roster', countyStaff(), json, key);
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json()).toMatchObject({ countyCode: COUNTY, started: 1, ended: 0, unchanged: 0 });
    const again = await post('/v1/oversight/roster', countyStaff(), json, key);
    expect(again.json()).toEqual(recorded.json());
    expect(await count('close_relative_roster')).toBe(before + 1);

    // A CSV in the county's own layout (Chinese headers and values) adds an assistance worker.
    const other = idNumber('1958-02-03');
    const csv = [
      '人员编号,姓名,人员类别,职务,工作单位代码,亲属姓名,亲属身份证号,亲属关系',
      `T-0003,王助理,救助经办人员,民政助理员,${TOWNSHIP},王父,${other},父母`,
    ].join('\n');
    const csvUrl = `/v1/oversight/roster?countyCode=${COUNTY}&effectiveOn=${addDays(today(), -30)}`;
    const badCsv = await env.api.inject({
      method: 'POST',
      url: csvUrl,
      headers: { ...countyStaff(), 'content-type': 'text/csv' },
      payload: `${csv}\nT-0004,赵某,村干部,,${VILLAGE},赵甲,${other},表亲`,
    });
    expect(badCsv.statusCode).toBe(422);
    expect(badCsv.json().rows).toEqual([{ row: 3, field: 'relation', message: expect.any(String) }]);
    expect(badCsv.body).not.toContain(other);
    const fromCsv = await env.api.inject({
      method: 'POST',
      url: csvUrl,
      headers: { ...countyStaff(), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(fromCsv.statusCode, fromCsv.body).toBe(201);
    expect(fromCsv.json()).toMatchObject({ started: 1, ended: 0 });

    // An XLSX says the assistance worker left the post: the entry ends, and is kept (R-O6).
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('roster');
    sheet.addRow([
      'staff_ref',
      'staff_name',
      'position',
      'post',
      'region_code',
      'relative_name',
      'relative_id_number',
      'relation',
      'ended',
    ]);
    sheet.addRow(['T-0003', '王助理', 'assistance_staff', '民政助理员', TOWNSHIP, '', '', '', '是']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const left = await env.api.inject({
      method: 'POST',
      url: `/v1/oversight/roster?countyCode=${COUNTY}`,
      headers: {
        ...countyStaff(),
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: xlsx,
    });
    expect(left.statusCode, left.body).toBe(201);
    expect(left.json()).toMatchObject({ started: 0, ended: 1 });

    const list = await env.api.inject({
      url: `/v1/oversight/roster?region=${COUNTY}`,
      headers: env.as('supervisor', COUNTY),
    });
    expect(list.statusCode).toBe(200);
    expect((list.json().items as Entry[]).map((e) => e.staff.ref)).toEqual(['V-0017']);
    const all = (
      await env.api.inject({ url: `/v1/oversight/roster?all=true`, headers: countyStaff() })
    ).json().items as Entry[];
    expect(all.map((e) => [e.staff.ref, e.endedOn])).toEqual([
      ['V-0017', null],
      ['T-0003', today()],
    ]);
    expect(all[0]!.relative).toMatchObject({
      idNumber: `${relative.idNumber.slice(0, 6)}********${relative.idNumber.slice(-4)}`,
    });
    expect(JSON.stringify(all)).not.toContain(relative.idNumber);
    expect(JSON.stringify(all)).not.toContain(relative.name);
    const audit = await env.pool.query(
      `SELECT action, actor_sub FROM audit_events WHERE subject_kind = 'roster' ORDER BY id`,
    );
    expect(audit.rows).toEqual(
      Array(3).fill({ action: 'roster_updated', actor_sub: 'county-roster-keeper' }),
    );

    // A paper receipt accepted a month ago: the clerk ticks nothing, the roster names the relative.
    const accepted = addDays(today(), -30);
    const township = env.as('township_staff', TOWNSHIP, 'clerk-roster');
    const receipt = await post('/v1/applications', township, {
      category: 'dibao',
      villageCode: VILLAGE,
      acceptedOn: accepted,
      delegated: false,
      closeRelative: false,
      household: hh,
    });
    expect(receipt.statusCode, receipt.body).toBe(201);
    const applicationId = receipt.json().applicationId as string;
    const url = `/v1/applications/${applicationId}`;
    const filed = await until(async () => {
      const { rows } = await env.pool.query(
        `SELECT occasion, source, filed_by FROM close_relative_filings WHERE subject_id = $1`,
        [applicationId],
      );
      return rows.length > 0 && rows;
    }, 'the receipt filed');
    expect(filed).toEqual([{ occasion: 'receipt', source: 'roster', filed_by: 'system' }]);

    const register = await env.api.inject({
      url: `/v1/oversight/close-relatives?region=${TOWNSHIP}`,
      headers: countyStaff(),
    });
    expect(register.statusCode).toBe(200);
    const item = register
      .json()
      .items.find((i: { applicationId: string }) => i.applicationId === applicationId);
    expect(item).toMatchObject({
      member: `${[...relative.name][0]}${'*'.repeat([...relative.name].length - 1)}`,
      relatedTo: { name: '李村长', position: 'village_cadre', post: '村委会主任' },
      relation: 'sibling',
      relations: [{ relatedTo: { name: '李村长' }, relation: 'sibling', source: 'roster' }],
      filings: [{ subjectKind: 'application', occasion: 'receipt', source: 'roster', relatedTo: ['李村长'] }],
    });
    expect(register.body).not.toContain(relative.idNumber);

    // The procedure as a paper file entered afterwards: visit, check, a publicity that has ended.
    const investigation = await post(`${url}/investigation`, township, {
      household: hh,
      findings: 'visited',
      visitedOn: addDays(today(), -25),
    });
    expect(investigation.statusCode, investigation.body).toBe(200);
    const check = await post(`${url}/economic-check`, env.as('integration', COUNTY), {
      checkId: `chk-${applicationId}`,
      verified: [],
      findings: 'nothing else',
      checkedOn: addDays(today(), -20),
    });
    expect(check.statusCode, check.body).toBe(200);
    const opinion = await post(`${url}/initial-opinion`, township, {
      eligible: true,
      category: 'dibao',
      proposedMonthlyAmount: '1000.00',
      reasons: 'income below the standard',
      publicityPostedOn: addDays(today(), -15),
    });
    expect(opinion.statusCode, opinion.body).toBe(200);
    await until(
      async () => (await env.api.inject({ url, headers: countyStaff() })).json().stage === 'decision',
      'publicity over',
    );
    const decided = await post(`${url}/decision`, countyStaff(), {
      approve: true,
      monthlyAmount: '1000.00',
      reasons: 'income below the standard',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ stage: 'approved', delegated: false });
    const { rows: flagged } = await env.pool.query(
      'SELECT close_relative, delegated FROM applications WHERE application_id = $1',
      [applicationId],
    );
    expect(flagged).toEqual([{ close_relative: true, delegated: false }]);

    // R-O2: the county's round of the decision's month draws it, though the county decided it. The
    // API draws past months only; the round of this month is started as the schedule would.
    const month = monthOf(decided.json().decision.on);
    await env.client.workflow.execute<typeof spotCheckRoundWorkflow>('spotCheckRoundWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: spotCheckRoundWorkflowId(COUNTY, month),
      args: [{ countyCode: COUNTY, month, startedBy: 'county-roster-keeper' }],
    });
    const round = await until(async () => {
      const res = await env.api.inject({
        url: `/v1/oversight/spot-checks?county=${COUNTY}&month=${month}`,
        headers: env.as('supervisor', COUNTY),
      });
      const r = res.json().rounds[0];
      return r?.checks.length === r?.drawn.length && r;
    }, 'the round and its checks');
    expect(round.population).toEqual([
      expect.objectContaining({ applicationId, closeRelative: true, decision: 'approved' }),
    ]);
    expect(round.drawn).toEqual([applicationId]);
    expect(round.checks).toEqual([expect.objectContaining({ applicationId, caseId: applicationId })]);
  });
});
