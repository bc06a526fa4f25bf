// The structured text of a written notice (notice-text.ts writes it, notice-pdf.ts lays it out) and
// the place it is issued for (read from region-names).

export interface NoticeText {
  issuer: string;
  title: string;
  number: string;
  salutation: string;
  household: [label: string, value: string][];
  decision: string;
  reasons: string;
  particulars: [label: string, value: string][];
  basis: string;
  appeal: string;
  date: string;
}

export interface NoticePlace {
  /** e.g. 运城市盐湖区 — the county with its city, or the county code when unknown. */
  county: string;
  /** e.g. 盐湖区 — how the county names its own bureau and government. */
  countyShort: string;
  /** e.g. 山西省运城市盐湖区龙居镇长乐村委会. */
  village: string;
  /** e.g. 龙居镇 — the township, which decides temporary assistance within its reserve fund (R-A10). */
  township?: string;
}
