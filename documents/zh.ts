// Dates and months as Chinese documents write them: 2026年3月2日, 2026年3月.

export const zhDate = (d: string) =>
  `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
export const zhMonth = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

/** The programme a category's household is in, as a notice or a notice board names it. */
export const PROGRAMME_ZH: Record<string, string> = {
  dibao: '最低生活保障',
  expenditure_type: '最低生活保障（支出型困难家庭）',
  extreme_poverty: '特困人员救助供养',
  marginal: '低保边缘家庭认定',
  temporary_assistance: '临时救助',
};
