import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { PROGRAMME_ZH, zhDate } from './zh';

// The village notice board (R-A4, R-A9) as a file to print or post: CSV (both lists in one table)
// or XLSX (one sheet per list). Built from the JSON answer itself, so a file never shows more than
// the JSON does: the publicity masks names (R-A4), the publication names the applicant, the household
// size and the amount (R-A9); no ID number anywhere (R-O7).

export interface PublicityBoard {
  villageCode: string;
  villageName: string | null;
  asOf: string;
  publicity: {
    applicationId: string;
    applicant: string;
    householdSize: number;
    category: string;
    proposedMonthlyAmount: string | null;
    postedOn: string;
    lastDay: string;
    round: number;
  }[];
  published: {
    applicant: string;
    householdSize: number;
    category: string;
    monthlyAmount: string;
  }[];
}

const programme = (category: string) => PROGRAMME_ZH[category] ?? category;
const CSV_COLUMNS = [
  '名单/list',
  '编号/id',
  '申请人/applicant',
  '家庭人数/household_size',
  '类别/category',
  '月保障金额(元)/monthly_amount',
  '公示日期或起始月份/since',
  '公示截止/last_day',
  '公示轮次/round',
];

export function publicityCsv(board: PublicityBoard): string {
  const rows = [
    ...board.publicity.map((p) => [
      '公示/publicity',
      p.applicationId,
      p.applicant,
      p.householdSize,
      programme(p.category),
      p.proposedMonthlyAmount ?? '',
      p.postedOn,
      p.lastDay,
      p.round,
    ]),
    ...board.published.map((c) => [
      '公布/published',
      '',
      c.applicant,
      c.householdSize,
      programme(c.category),
      c.monthlyAmount,
      '',
      '',
      '',
    ]),
  ];
  // The BOM lets a spreadsheet open the Chinese header as UTF-8.
  return stringify(rows, { header: true, columns: CSV_COLUMNS, bom: true, eof: true });
}

function sheet(wb: ExcelJS.Workbook, name: string, title: string, header: string[], rows: unknown[][]) {
  const ws = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToWidth: 1 } });
  ws.columns = header.map((h) => ({ width: Math.max(12, h.length * 2 + 4) }));
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  return ws;
}

export async function publicityXlsx(board: PublicityBoard): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const where = board.villageName ?? board.villageCode;
  const asOf = `（截至${zhDate(board.asOf)}）`;
  sheet(
    wb,
    '公示名单',
    `${where}社会救助审核公示${asOf}`,
    ['申请编号', '申请人', '家庭人数', '类别', '拟保障月金额(元)', '公示日期', '公示截止', '公示轮次'],
    board.publicity.map((p) => [
      p.applicationId,
      p.applicant,
      p.householdSize,
      programme(p.category),
      p.proposedMonthlyAmount ?? '',
      zhDate(p.postedOn),
      zhDate(p.lastDay),
      p.round,
    ]),
  );
  sheet(
    wb,
    '保障名单',
    `${where}社会救助对象公布${asOf}`,
    ['申请人', '保障人数', '类别', '月保障金额(元)'],
    board.published.map((c) => [c.applicant, c.householdSize, programme(c.category), c.monthlyAmount]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
