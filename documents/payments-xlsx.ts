import ExcelJS from 'exceljs';
import type { Money } from '../domain/money';
import {
  type Figures,
  PROGRAMMES,
  type Programme,
  type RegionFigures,
  type ReportRow,
} from '../domain/statistics';
import { zhDate, zhMonth } from './zh';

// R-O5: the monthly payment statistics in the provincial tables' layout [001 附件1–3], one sheet per
// table: 地区 | 资金补发情况 人次, 金额(元) | 资金累计发放情况 人次, 金额(元) | 备注, the region's
// counties (each city's subtotal after its counties), 合计, and the 填报单位 / 填报人 / 时间 footer.
// Temporary assistance (R-A10) has a sheet of the same layout whose first pair is the month's grants
// (本月救助) instead of back-pay, which a one-off grant never has.

export interface PaymentsSheetInput {
  region: string;
  regionName: string;
  month: string;
  rows: (ReportRow & { regionName: string | null })[];
  total: RegionFigures;
  /** 填报单位, e.g. 运城市民政局. */
  unit: string;
  /** 填报人: the caller. */
  reporter: string;
  /** 时间: the civil date the table was made. */
  on: string;
}

type Pair = { label: string; persons: keyof Figures; amount: keyof Figures };
const BACK_PAY: Pair = { label: '资金补发情况', persons: 'backPayPersons', amount: 'backPayAmount' };
const CUMULATIVE: Pair = {
  label: '资金累计发放情况',
  persons: 'cumulativePersons',
  amount: 'cumulativeAmount',
};

const TABLES: Record<Programme, { sheet: string; title: (year: string) => string; first: Pair }> = {
  urbanDibao: { sheet: '城市低保', title: (y) => `${y}年城市低保资金发放统计表`, first: BACK_PAY },
  ruralDibao: { sheet: '农村低保', title: (y) => `${y}年农村低保资金发放统计表`, first: BACK_PAY },
  extremePoverty: {
    sheet: '特困人员',
    title: (y) => `${y}年特困人员救助供养基本生活费发放统计表`,
    first: BACK_PAY,
  },
  temporaryAssistance: {
    sheet: '临时救助',
    title: (y) => `${y}年临时救助资金发放统计表`,
    first: { label: '本月救助情况', persons: 'monthPersons', amount: 'monthAmount' },
  },
};

// A spreadsheet cell holds an IEEE double; every amount of the report (two decimals, far below
// 2^53 fen) reads back to the same decimal string, so the figures stay exact to the fen.
const amountCell = (amount: Money) => Number(amount);
const thin = { style: 'thin' } as const;
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

/** Rows below the region itself, each city's subtotal after its counties. */
function tableRows(input: PaymentsSheetInput) {
  return input.rows
    .filter((r) => r.regionCode !== input.region)
    .sort((a, b) => (a.regionCode.padEnd(6, '9') < b.regionCode.padEnd(6, '9') ? -1 : 1));
}

function addSheet(wb: ExcelJS.Workbook, programme: Programme, input: PaymentsSheetInput) {
  const t = TABLES[programme];
  const ws = wb.addWorksheet(t.sheet, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToWidth: 1 },
  });
  ws.columns = [{ width: 24 }, { width: 10 }, { width: 16 }, { width: 10 }, { width: 16 }, { width: 22 }];
  ws.mergeCells('A1:F1');
  ws.getCell('A1').value = t.title(input.month.slice(0, 4));
  ws.getCell('A1').font = { bold: true, size: 16 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells('A2:F2');
  ws.getCell('A2').value = `统计月份：${zhMonth(input.month)}　地区：${input.regionName}（${input.region}）`;
  ws.getRow(3).values = ['地区', t.first.label, '', CUMULATIVE.label, '', '备注'];
  ws.getRow(4).values = ['', '人次', '金额(元)', '人次', '金额(元)', ''];
  for (const range of ['A3:A4', 'B3:C3', 'D3:E3', 'F3:F4']) ws.mergeCells(range);
  for (const r of [3, 4]) {
    ws.getRow(r).font = { bold: true };
    ws.getRow(r).alignment = { horizontal: 'center', vertical: 'middle' };
  }
  const line = (name: string, f: Figures, note: string) => {
    const row = ws.addRow([
      name,
      f[t.first.persons],
      amountCell(f[t.first.amount] as Money),
      f[CUMULATIVE.persons],
      amountCell(f[CUMULATIVE.amount] as Money),
      note,
    ]);
    row.getCell(3).numFmt = '#,##0.00';
    row.getCell(5).numFmt = '#,##0.00';
    return row;
  };
  for (const r of tableRows(input)) {
    const name = r.regionName ?? r.regionCode;
    line(r.level === 'county' ? name : `${name}小计`, r[programme], `区划代码 ${r.regionCode}`);
  }
  line('合计', input.total[programme], `区划代码 ${input.region}`).font = { bold: true };
  for (let r = 3; r <= ws.rowCount; r++) for (let c = 1; c <= 6; c++) ws.getCell(r, c).border = BORDER;
  ws.addRow([]);
  ws.addRow([`填报单位：${input.unit}`]);
  ws.addRow([`填报人：${input.reporter}`]);
  ws.addRow([`时间：${zhDate(input.on)}`]);
  ws.views = [{ state: 'frozen', ySplit: 4 }];
}

export async function paymentsWorkbook(input: PaymentsSheetInput): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = input.unit;
  wb.created = new Date(`${input.on}T00:00:00+08:00`);
  for (const p of PROGRAMMES) addSheet(wb, p, input);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
