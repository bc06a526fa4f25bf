import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { RosterCase } from '../db/repositories/case-list';
import { maskIdNumber } from '../domain/idnumber';
import { CLOSE_REASON } from './notice-reasons';
import { regionName } from './region-names';
import { PROGRAMME_ZH, zhDate, zhMonth } from './zh';

// A township's roster of cases in benefit (花名册), as CSV or XLSX: a line per case with the columns
// a township keeps — where, who (the head and every member with the relation), the programme,
// urban or rural, persons, the monthly amount, since when, the status and the next re-review. The
// ID numbers are masked (R-O7: the file leaves the system; the case's page shows what staff need).

const RELATION_ZH: Record<string, string> = {
  applicant: '户主',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  sibling: '兄弟姐妹',
  grandchild: '孙子女',
  other: '其他',
};
const STATUS_ZH: Record<string, string> = {
  active: '正常发放',
  tapering: '渐退期',
  suspended: '暂停发放',
  closed: '已停保',
};
const RESIDENCE_ZH: Record<string, string> = { urban: '城市', rural: '农村' };

export const ROSTER_COLUMNS = [
  '序号',
  '乡镇（街道）',
  '村（社区）',
  '案件编号',
  '户主姓名',
  '户主身份证号（脱敏）',
  '保障类别',
  '城乡',
  '保障人数',
  '月保障金额（元）',
  '起始月份',
  '状态',
  '停保原因',
  '下次复核日期',
  '家庭成员（与户主关系）',
];

/** Township and village names of the roster's lines, each looked up once (the code when unknown). */
async function placeNames(cases: RosterCase[]): Promise<Map<string, string>> {
  const codes = [...new Set(cases.flatMap((c) => [c.townshipCode, c.villageCode]))];
  const names = await Promise.all(codes.map(async (c) => [c, (await regionName(c)) ?? c] as const));
  return new Map(names);
}

async function lines(cases: RosterCase[]): Promise<(string | number)[][]> {
  const place = await placeNames(cases);
  return cases.map((c, i) => {
    const head = c.members.find((m) => m.relation === 'applicant') ?? c.members[0];
    return [
      i + 1,
      place.get(c.townshipCode) ?? c.townshipCode,
      place.get(c.villageCode) ?? c.villageCode,
      c.caseId,
      c.headName ?? '',
      head ? maskIdNumber(head.idNumber) : '',
      PROGRAMME_ZH[c.category] ?? c.category,
      RESIDENCE_ZH[c.residence ?? ''] ?? '',
      c.persons,
      c.monthlyAmount,
      zhMonth(c.startMonth),
      STATUS_ZH[c.status] ?? c.status,
      c.closedReason ? (CLOSE_REASON[c.closedReason] ?? c.closedReason) : '',
      c.nextReviewOn ? zhDate(c.nextReviewOn) : '',
      c.members.map((m) => `${m.name}（${RELATION_ZH[m.relation] ?? m.relation}）`).join('、'),
    ];
  });
}

export async function rosterCsv(cases: RosterCase[]): Promise<string> {
  // The BOM lets a spreadsheet open the Chinese header as UTF-8.
  return stringify(await lines(cases), { header: true, columns: ROSTER_COLUMNS, bom: true, eof: true });
}

export async function rosterXlsx(cases: RosterCase[], title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToWidth: 1 },
  });
  ws.columns = ROSTER_COLUMNS.map((h) => ({ width: Math.max(10, h.length * 2 + 2) }));
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.addRow(ROSTER_COLUMNS).font = { bold: true };
  for (const l of await lines(cases)) ws.addRow(l);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
