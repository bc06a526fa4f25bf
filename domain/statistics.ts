import { add, type Money, toMoney } from './money';

// R-O5: monthly payment statistics in the shape of the provincial tables [001 附件1–3]: per region,
// 资金补发情况 (back-pay 人次, 金额) and 资金累计发放情况 (cumulative 人次, 金额) for urban dibao,
// rural dibao and extreme-poverty support, plus the month's own figures; and temporary assistance
// (R-A10) in its own line: the grants paid (人次, 金额) in the month and cumulatively, no back-pay. Counties are the rows the
// ledger gives; cities, the province and the total are rolled up here, exactly (never a JS number).

export const PROGRAMMES = ['urbanDibao', 'ruralDibao', 'extremePoverty', 'temporaryAssistance'] as const;
export type Programme = (typeof PROGRAMMES)[number];

/**
 * The table a ledger row counts in. Expenditure-type households are paid dibao (R-E5), so they count
 * with dibao by residence; extreme-poverty support is one table for both residences (附件3).
 * Marginal households get no monthly cash (R-E2): a row of theirs is in no table.
 */
export function programmeOf(category: string, residence: string): Programme | undefined {
  if (category === 'extreme_poverty') return 'extremePoverty';
  // R-A10: a one-off grant, whoever it helped, counts in its own line.
  if (category === 'temporary_assistance') return 'temporaryAssistance';
  if (category !== 'dibao' && category !== 'expenditure_type') return undefined;
  if (residence === 'urban') return 'urbanDibao';
  if (residence === 'rural') return 'ruralDibao';
  return undefined;
}

/** 人次 are persons summed over paid rows (one row per case and benefit month); amounts are money. */
export interface Figures {
  backPayPersons: number;
  backPayAmount: Money;
  monthPersons: number;
  monthAmount: Money;
  cumulativePersons: number;
  cumulativeAmount: Money;
}
export type RegionFigures = Record<Programme, Figures>;
export type ReportLevel = 'county' | 'city' | 'province';
export type ReportRow = { regionCode: string; level: ReportLevel } & RegionFigures;

export const zeroFigures = (): Figures => ({
  backPayPersons: 0,
  backPayAmount: '0.00',
  monthPersons: 0,
  monthAmount: '0.00',
  cumulativePersons: 0,
  cumulativeAmount: '0.00',
});
const zeroRegion = (): RegionFigures =>
  Object.fromEntries(PROGRAMMES.map((p) => [p, zeroFigures()])) as RegionFigures;

export function addFigures(a: Figures, b: Figures): Figures {
  return {
    backPayPersons: a.backPayPersons + b.backPayPersons,
    backPayAmount: toMoney(add(a.backPayAmount, b.backPayAmount)),
    monthPersons: a.monthPersons + b.monthPersons,
    monthAmount: toMoney(add(a.monthAmount, b.monthAmount)),
    cumulativePersons: a.cumulativePersons + b.cumulativePersons,
    cumulativeAmount: toMoney(add(a.cumulativeAmount, b.cumulativeAmount)),
  };
}

const addRegion = (a: RegionFigures, b: RegionFigures): RegionFigures =>
  Object.fromEntries(PROGRAMMES.map((p) => [p, addFigures(a[p], b[p])])) as RegionFigures;

/** One programme's figures of one county, as the ledger query returns them. */
export interface CountyProgrammeFigures extends Figures {
  countyCode: string;
  programme: Programme;
}

const LEVEL_BY_LENGTH: Record<number, ReportLevel> = { 2: 'province', 4: 'city', 6: 'county' };

/**
 * The report's rows for `region` (2, 4 or 6 digits): one per county with figures (the county itself
 * always, when the region is a county), one per city when the region is a province or a city, the
 * province when it is a province; parents before their counties. `total` is the whole region.
 */
export function rollUp(
  region: string,
  figures: readonly CountyProgrammeFigures[],
): { rows: ReportRow[]; total: RegionFigures } {
  const regionLevel = LEVEL_BY_LENGTH[region.length];
  if (!regionLevel) throw new RangeError(`statistics: a report region has 2, 4 or 6 digits, got "${region}"`);
  const byCode = new Map<string, RegionFigures>();
  if (regionLevel === 'county') byCode.set(region, zeroRegion());
  const prefixes = (county: string) =>
    [6, 4, 2].filter((n) => n >= region.length).map((n) => county.slice(0, n));
  for (const f of figures) {
    if (f.countyCode.length !== 6 || !f.countyCode.startsWith(region)) {
      throw new RangeError(`statistics: county ${f.countyCode} is not under ${region}`);
    }
    const { countyCode, programme, ...values } = f;
    const one: RegionFigures = { ...zeroRegion(), [programme]: addFigures(zeroFigures(), values) };
    for (const code of prefixes(countyCode))
      byCode.set(code, addRegion(byCode.get(code) ?? zeroRegion(), one));
  }
  const rows = [...byCode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([regionCode, f]) => ({ regionCode, level: LEVEL_BY_LENGTH[regionCode.length]!, ...f }));
  return { rows, total: byCode.get(region) ?? zeroRegion() };
}
