import { relations } from './household';

// The column layout of a caseload import (README "Caseload import"): one row per household member,
// the case's own columns repeated on every member's row. Headers are accepted in English or Chinese,
// in any order; cells are trimmed; a value may be given in English or in Chinese where listed.

export const COLUMNS = {
  household: ['household_no', '户编号'],
  category: ['category', '救助类别'],
  villageCode: ['village_code', '村(社区)代码'],
  residence: ['residence', '城乡'],
  name: ['name', '姓名'],
  idNumber: ['id_number', '身份证号'],
  relation: ['relation', '与户主关系'],
  monthlyAmount: ['monthly_amount', '月保障金额'],
  startMonth: ['start_month', '起始月份'],
  nextReviewMonth: ['next_review_month', '下次复核月份'],
  taperReportedOn: ['taper_reported_on', '渐退报告日期'],
  closeRelative: ['close_relative', '近亲属备案'],
  unstableIncome: ['unstable_income', '收入不稳定'],
  /** R-M10: the last month the previous system paid (empty: every month up to the import). */
  paidThroughMonth: ['paid_through_month', '已发放至月份'],
} as const;
export type Column = keyof typeof COLUMNS;
/** Columns a file may leave out (empty means: no taper, stable income, paid up to the import). */
export const OPTIONAL_COLUMNS: readonly Column[] = ['taperReportedOn', 'unstableIncome', 'paidThroughMonth'];
/** Columns that describe the case: every member's row of a household must agree on them. */
export const CASE_COLUMNS: readonly Column[] = [
  'category',
  'villageCode',
  'residence',
  'monthlyAmount',
  'startMonth',
  'nextReviewMonth',
  'taperReportedOn',
  'closeRelative',
  'unstableIncome',
  'paidThroughMonth',
];

const normal = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/（/g, '(')
    .replace(/）/g, ')');

/** Which column each header names, or the headers it does not know / the columns missing. */
export function mapHeaders(
  headers: string[],
): { ok: true; index: Record<Column, number> } | { ok: false; unknown: string[]; missing: Column[] } {
  const index: Partial<Record<Column, number>> = {};
  const unknown: string[] = [];
  headers.forEach((h, i) => {
    const col = (Object.keys(COLUMNS) as Column[]).find((c) =>
      (COLUMNS[c] as readonly string[]).some((name) => normal(name) === normal(h)),
    );
    if (col && index[col] === undefined) index[col] = i;
    else if (normal(h) !== '') unknown.push(h);
  });
  const missing = (Object.keys(COLUMNS) as Column[]).filter(
    (c) => index[c] === undefined && !OPTIONAL_COLUMNS.includes(c),
  );
  if (unknown.length || missing.length) return { ok: false, unknown, missing };
  return { ok: true, index: index as Record<Column, number> };
}

export const CATEGORY_VALUES: Record<string, 'dibao' | 'marginal' | 'extreme_poverty' | 'expenditure_type'> =
  {
    dibao: 'dibao',
    低保: 'dibao',
    marginal: 'marginal',
    低保边缘: 'marginal',
    extreme_poverty: 'extreme_poverty',
    特困: 'extreme_poverty',
    特困供养: 'extreme_poverty',
    expenditure_type: 'expenditure_type',
    支出型: 'expenditure_type',
  };
export const RESIDENCE_VALUES: Record<string, 'urban' | 'rural'> = {
  urban: 'urban',
  城市: 'urban',
  城镇: 'urban',
  rural: 'rural',
  农村: 'rural',
};
export const RELATION_VALUES: Record<string, (typeof relations)[number]> = {
  ...Object.fromEntries(relations.map((r) => [r, r])),
  户主: 'applicant',
  本人: 'applicant',
  配偶: 'spouse',
  子女: 'child',
  父母: 'parent',
  兄弟姐妹: 'sibling',
  孙子女: 'grandchild',
  其他: 'other',
};
export const YES_NO: Record<string, boolean> = {
  yes: true,
  true: true,
  '1': true,
  是: true,
  no: false,
  false: false,
  '0': false,
  否: false,
  '': false,
};
