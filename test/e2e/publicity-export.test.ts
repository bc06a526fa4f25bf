import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';
import { COUNTY, idNumber, TOWNSHIP, VILLAGE } from '../helpers/fixtures';

// R-A4 / R-A9: the village notice board as CSV and XLSX, masked exactly as the JSON is — the
// surname and one * per further character, never an ID number (R-O7). Read-model rows are seeded
// with SQL as the workflows write them; no worker runs.

const OUT = join(process.cwd(), 'test-output');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let env: ApiEnv;
const people = {
  applicant: { name: '欧阳小明', idNumber: idNumber('1971-02-03'), relation: 'applicant' },
  child: { name: '欧阳丽', idNumber: idNumber('2001-09-09'), relation: 'child' },
  recipient: { name: '赵大海', idNumber: idNumber('1958-11-30'), relation: 'applicant' },
  spouse: { name: '孙桂兰', idNumber: idNumber('1960-04-04'), relation: 'spouse' },
  marginal: { name: '钱多多', idNumber: idNumber('1980-01-01'), relation: 'applicant' },
};
// What no list may show: any ID number; the names of the publicity (masked) and of members other than
// the published applicant (R-A9 publishes the applicant's name alone).
const secrets = [
  ...Object.values(people).map((p) => p.idNumber),
  ...[people.applicant, people.child, people.spouse, people.marginal].map((p) => p.name),
  '小明',
  '桂兰',
];

async function seed(pool: ApiEnv['pool']) {
  const app = (id: string, stage: string, category: string, view: object) =>
    pool.query(
      `INSERT INTO applications (application_id, category, village_code, township_code, county_code, accepted_on,
         delegated, close_relative, stage, received_by, view) VALUES ($1,$2,$3,$4,$5,'2026-03-02',false,false,$6,'e2e',$7)`,
      [id, category, VILLAGE, TOWNSHIP, COUNTY, stage, JSON.stringify(view)],
    );
  await app('A-PUB-1', 'publicity', 'dibao', {
    household: { members: [people.applicant, people.child] },
    opinion: { category: 'dibao', proposedMonthlyAmount: '712.50' },
    publicity: { postedOn: '2026-03-20', lastDay: '2026-03-27', round: 1 },
  });
  const caseRow = async (
    id: string,
    category: string,
    members: object[],
    amount: string,
    persons: number,
  ) => {
    await app(id, 'approved', category, {});
    await pool.query(
      `INSERT INTO cases (case_id, application_id, category, village_code, township_code, county_code, status,
         monthly_amount, start_month, approved_on, approved_by, members, persons)
       VALUES ($1,$1,$2,$3,$4,$5,'active',$6,'2026-02','2026-01-20','county-1',$7,$8)`,
      [id, category, VILLAGE, TOWNSHIP, COUNTY, amount, JSON.stringify(members), persons],
    );
  };
  // Extreme-poverty support of the applicant alone; the spouse is a member, not supported (R-E6).
  await caseRow('C-PUB-1', 'extreme_poverty', [people.recipient, people.spouse], '1100.00', 1);
  await caseRow('C-PUB-2', 'marginal', [people.marginal], '0.00', 1); // R-E2: no cash, not published
}

beforeAll(async () => {
  env = await startApiEnv({ worker: false });
  await seed(env.pool);
  mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await env?.stop();
});

const board = (format?: string) =>
  env.api.inject({
    url: `/v1/publicity?village=${VILLAGE}${format ? `&format=${format}` : ''}`,
    headers: env.as('county_staff', COUNTY),
  });

describe('the village notice board as files (R-A4, R-A9)', () => {
  it('R-A4 R-A9: JSON, CSV and XLSX show the same lists and the village name: the publicity masked, the publication naming the applicant, household size and amount; no ID number, no other member', async () => {
    const json = (await board()).json();
    expect(json.villageName).toBe('长乐村委会');
    expect(json.publicity.map((p: { applicant: string }) => p.applicant)).toEqual(['欧***']);
    // R-A9: the applicant's name in full, the household size and the amount; nothing else.
    expect(json.published).toEqual([
      { applicant: '赵大海', householdSize: 1, category: 'extreme_poverty', monthlyAmount: '1100.00' },
    ]);

    const csv = await board('csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    writeFileSync(join(OUT, 'publicity.csv'), csv.rawPayload);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toContain('申请人/applicant');
    expect(lines.slice(1)).toEqual([
      '公示/publicity,A-PUB-1,欧***,2,最低生活保障,712.50,2026-03-20,2026-03-27,1',
      '公布/published,,赵大海,1,特困人员救助供养,1100.00,,,',
    ]);

    const xlsx = await board('xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    writeFileSync(join(OUT, 'publicity.xlsx'), xlsx.rawPayload);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const [pub, published] = wb.worksheets;
    expect(String(pub!.getCell('A1').value)).toContain('山西省运城市盐湖区龙居镇长乐村委会');
    expect(pub!.getRow(3).values).toEqual([
      undefined,
      'A-PUB-1',
      '欧***',
      2,
      '最低生活保障',
      '712.50',
      '2026年3月20日',
      '2026年3月27日',
      1,
    ]);
    expect(published!.rowCount).toBe(3);
    expect((published!.getRow(3).values as unknown[]).slice(1)).toEqual([
      '赵大海',
      1,
      '特困人员救助供养',
      '1100.00',
    ]);

    // R-O7: nothing of a person beyond the surname, in any of the three answers.
    const cells = wb.worksheets.flatMap((ws) =>
      ws.getSheetValues().flatMap((row) => (Array.isArray(row) ? row.map(String) : [])),
    );
    for (const text of [JSON.stringify(json), csv.body, cells.join('|')])
      for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('R-A4: the file formats are in the OpenAPI document; an unknown format is a 400 and anyone without a token 401', async () => {
    const doc = (await env.api.inject({ url: '/docs/json' })).json();
    const op = doc.paths['/v1/publicity'].get;
    expect(Object.keys(op.responses[200].content).sort()).toEqual(['application/json', XLSX, 'text/csv']);
    expect((await board('pdf')).statusCode).toBe(400);
    expect((await env.api.inject({ url: `/v1/publicity?village=${VILLAGE}&format=csv` })).statusCode).toBe(
      401,
    );
  });
});
