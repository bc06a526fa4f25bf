// Administrative division codes (GB/T 2260 + the statistical township/village extension):
//   2 province | 4 city | 6 county | 9 township (street office) | 12 village (community).
// R-A1: a case lives in a village; API.md "Identity and reach": a caller whose JWT `region` is any of
// these prefixes reaches exactly the cases whose village code starts with it. Province and city
// codes are accepted for supervisors and reports (R-O3, R-O5).

export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'village';
export type Region = {
  level: RegionLevel;
  code: string;
  province: string;
  city?: string;
  county?: string;
  township?: string;
  village?: string;
};

const LEVEL_BY_LENGTH: Record<number, RegionLevel> = {
  2: 'province',
  4: 'city',
  6: 'county',
  9: 'township',
  12: 'village',
};

/** Province-level prefixes of GB/T 2260, plus 81/82/83 (Hong Kong, Macao, Taiwan residence permits). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);
const SEGMENTS: readonly (readonly [number, number])[] = [
  [2, 4],
  [4, 6],
  [6, 9],
  [9, 12],
];

// Segments of all zeros mean "the level above" in GB/T 2260 (140000 is Shanxi, not a county), so a
// code padded with zeros is refused: "140000" as a caller region would silently reach nothing.
function segmentsValid(code: string): boolean {
  if (!/^\d+$/.test(code) || LEVEL_BY_LENGTH[code.length] === undefined) return false;
  if (!PROVINCE_CODES.has(code.slice(0, 2))) return false;
  return !SEGMENTS.some(([from, to]) => code.length >= to && /^0+$/.test(code.slice(from, to)));
}

export function isRegionCode(code: string): boolean {
  return segmentsValid(code);
}

/** Parse a region code of any level; throws RangeError when it is not one (validate with the schemas first). */
export function parseRegion(code: string): Region {
  const level = LEVEL_BY_LENGTH[code.length];
  if (level === undefined || !segmentsValid(code)) throw new RangeError(`region: invalid code "${code}"`);
  const region: Region = { level, code, province: code.slice(0, 2) };
  if (code.length >= 4) region.city = code.slice(0, 4);
  if (code.length >= 6) region.county = code.slice(0, 6);
  if (code.length >= 9) region.township = code.slice(0, 9);
  if (code.length === 12) region.village = code;
  return region;
}

/** County (6 digits) of a township or village code. */
export function countyOf(code: string): string {
  if (code.length < 9 || !isRegionCode(code))
    throw new RangeError(`region: not a township/village "${code}"`);
  return code.slice(0, 6);
}

/** Township (9 digits) of a village code. */
export function townshipOf(village: string): string {
  if (village.length !== 12 || !isRegionCode(village))
    throw new RangeError(`region: not a village "${village}"`);
  return village.slice(0, 9);
}

/** API.md reach rule; fails closed: any malformed code reaches nothing. */
export function reaches(callerRegion: string, villageCode: string): boolean {
  return (
    isRegionCode(callerRegion) &&
    villageCode.length === 12 &&
    isRegionCode(villageCode) &&
    villageCode.startsWith(callerRegion)
  );
}
