import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDateOf } from '../../domain/dates';
import { toMoney } from '../../domain/money';
import { type Figures, PROGRAMMES, type RegionFigures, type ReportRow } from '../../domain/statistics';
import { type ApiEnv, startApiEnv } from '../helpers/api-env';

// R-O5: the provincial tables [001 附件1–3] and temporary assistance's (R-A10) as XLSX, read back
// with exceljs and reconciled figure by figure with the JSON answer to the fen. Ledger rows are
// seeded with SQL; no worker runs.

const OUT = join(process.cwd(), 'test-output');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let env: ApiEnv;

// Counties of three cities, one (149901) that the division data does not know; payroll months
// 2026-01 … 2026-03, every kind the tables count and odd amounts; temporary grants (R-A10).
const COUNTIES = ['140802', '140821', '140902', '140105', '149901'];
const CATEGORIES: [string, string][] = [
  ['dibao', 'urban'],
  ['dibao', 'rural'],
  ['expenditure_type', 'urban'],
  ['extreme_poverty', 'rural'],
  ['temporary_assistance', 'rural'],
];

async function seed(pool: ApiEnv['pool']) {
  let n = 0;
  for (const county of COUNTIES)
    for (const month of ['2026-01', '2026-02', '2026-03']) {
      const payroll = `${county}:${month}`;
      await pool.query(
        `INSERT INTO payrolls (payroll_id, county_code, month, roster_date, payment_date, status)
         VALUES ($1, $2, $3, $4, $5, 'completed')`,
        [payroll, county, month, `${month}-05`, `${month}-10`],
      );
      for (const [category, residence] of CATEGORIES)
        for (const kind of category === 'temporary_assistance'
          ? ['temporary_grant']
          : ['regular', 'back_pay', 'recovery_offset']) {
          n++;
          if ((kind === 'back_pay' || kind === 'recovery_offset') && n % 3 === 0) continue;
          const fen = ((n * 379_113) % 9_000_000) + 101;
          const amount = `${kind === 'recovery_offset' ? '-' : ''}${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
          await pool.query(
            `INSERT INTO ledger (case_id, month, kind, payroll_id, county_code, township_code, village_code,
               category, residence, persons, amount, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'paid')`,
            [
              `${county}-c${n}`,
              month,
              kind,
              payroll,
              county,
              `${county}101`,
              `${county}101201`,
              category,
              residence,
              1 + (n % 4),
              amount,
            ],
          );
        }
    }
}

type Row = ReportRow & { regionName: string | null };
type Report = { region: string; regionName: string | null; rows: Row[]; total: RegionFigures };

beforeAll(async () => {
  env = await startApiEnv({ worker: false });
  await seed(env.pool);
  mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await env?.stop();
});

const get = (
  query: string,
  headers: Record<string, string> = env.as('supervisor', '14', 'supervisor-wang'),
) => env.api.inject({ url: `/v1/reports/payments?${query}`, headers });

/** 人次 and 金额 of a sheet row, the amounts back as decimal strings. */
const figuresOf = (row: ExcelJS.Row) => ({
  firstPersons: row.getCell(2).value,
  firstAmount: toMoney(String(row.getCell(3).value)),
  cumulativePersons: row.getCell(4).value,
  cumulativeAmount: toMoney(String(row.getCell(5).value)),
});
/** The provincial tables' first pair is back-pay; temporary assistance's the month's grants (R-A10). */
const tableFigures = (f: Figures, temporary = false) => ({
  firstPersons: temporary ? f.monthPersons : f.backPayPersons,
  firstAmount: temporary ? f.monthAmount : f.backPayAmount,
  cumulativePersons: f.cumulativePersons,
  cumulativeAmount: f.cumulativeAmount,
});

describe('payment statistics as XLSX (R-O5)', () => {
  it('R-O5 R-A10: the three provincial tables and temporary assistance’s, one sheet each, reconcile with the JSON report to the fen, with region names, 合计 and the footer', async () => {
    const json = (await get('region=14&month=2026-03')).json() as Report;
    expect(json.regionName).toBe('山西省');
    const names = Object.fromEntries(json.rows.map((r) => [r.regionCode, r.regionName]));
    expect(names).toMatchObject({ '1408': '运城市', '140802': '盐湖区', '140105': '小店区', '149901': null });

    const res = await get('region=14&month=2026-03&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toContain('payments-14-2026-03.xlsx');
    writeFileSync(join(OUT, 'payments.xlsx'), res.rawPayload);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['城市低保', '农村低保', '特困人员', '临时救助']);
    const titles = [
      '2026年城市低保资金发放统计表',
      '2026年农村低保资金发放统计表',
      '2026年特困人员救助供养基本生活费发放统计表',
      '2026年临时救助资金发放统计表',
    ];
    let figures = 0;
    PROGRAMMES.forEach((programme, i) => {
      const ws = wb.worksheets[i]!;
      expect(ws.getCell('A1').value).toBe(titles[i]);
      const temporary = programme === 'temporaryAssistance';
      const first = temporary ? '本月救助情况' : '资金补发情况';
      expect(ws.getRow(3).values).toEqual([
        undefined,
        '地区',
        first,
        first,
        '资金累计发放情况',
        '资金累计发放情况',
        '备注',
      ]);
      expect((ws.getRow(4).values as unknown[]).slice(2, 6)).toEqual([
        '人次',
        '金额(元)',
        '人次',
        '金额(元)',
      ]);
      const seen: string[] = [];
      let r = 5;
      for (; ws.getCell(r, 1).value !== '合计'; r++) {
        const row = ws.getRow(r);
        const code = String(row.getCell(6).value).replace('区划代码 ', '');
        const expected = json.rows.find((x) => x.regionCode === code)!;
        const name = expected.regionName ?? code;
        expect(row.getCell(1).value).toBe(expected.level === 'county' ? name : `${name}小计`);
        expect(figuresOf(row), `${programme} ${code}`).toEqual(tableFigures(expected[programme], temporary));
        figures += 4;
        seen.push(code);
      }
      // Every row of the JSON below the province, once; each city after its counties.
      expect([...seen].sort()).toEqual(
        json.rows
          .map((x) => x.regionCode)
          .filter((c) => c !== '14')
          .sort(),
      );
      expect(seen.indexOf('1408')).toBeGreaterThan(seen.indexOf('140821'));
      expect(figuresOf(ws.getRow(r))).toEqual(tableFigures(json.total[programme], temporary));
      figures += 4;
      expect(ws.getCell(r + 2, 1).value).toBe('填报单位：山西省民政厅');
      expect(ws.getCell(r + 3, 1).value).toBe('填报人：supervisor-wang');
      const today = civilDateOf(new Date());
      expect(ws.getCell(r + 4, 1).value).toBe(
        `时间：${today.slice(0, 4)}年${Number(today.slice(5, 7))}月${Number(today.slice(8))}日`,
      );
    });
    expect(figures).toBe(4 * 4 * json.rows.length);
    // Seeded money is in the table: not a sheet of zeros.
    expect(json.total.urbanDibao.cumulativeAmount).not.toBe('0.00');
    expect(json.total.temporaryAssistance.monthAmount).not.toBe('0.00');
  });

  it('R-O5: a city asks by Accept; its 合计 is the city and the 填报单位 its bureau; outside the region 403', async () => {
    const res = await get('region=1408&month=2026-02', {
      ...env.as('supervisor', '1408', 'supervisor-li'),
      accept: XLSX,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const json = (await get('region=1408&month=2026-02', env.as('supervisor', '1408'))).json() as Report;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('农村低保')!;
    expect(ws.getCell('A2').value).toBe('统计月份：2026年2月　地区：运城市（1408）');
    expect([ws.getCell('A5').value, ws.getCell('A6').value, ws.getCell('A7').value]).toEqual([
      '盐湖区',
      '临猗县',
      '合计',
    ]);
    expect(figuresOf(ws.getRow(7))).toEqual(tableFigures(json.total.ruralDibao));
    expect(ws.getCell('A9').value).toBe('填报单位：运城市民政局');
    const outside = await get('region=1409&month=2026-02&format=xlsx', env.as('supervisor', '1408'));
    expect(outside.statusCode).toBe(403);
    expect(outside.headers['content-type']).toContain('application/problem+json');
  });
});
