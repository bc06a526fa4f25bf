import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { countyOf, parseRegion, reaches, townshipOf } from '../../domain/region';
import { countyCodeSchema, regionCodeSchema, villageCodeSchema } from '../../domain/region-schema';

const VILLAGE = '140802100201'; // Yuncheng, Yanhu district, a township, a village
const nonZero = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)).filter((s) => !/^0+$/.test(s));
const village = fc
  .tuple(fc.constantFrom('11', '14', '41', '65'), nonZero(2), nonZero(2), nonZero(3), nonZero(3))
  .map((parts) => parts.join(''));

describe('administrative division codes', () => {
  test('R-A1: parseRegion names every level by its length', () => {
    expect(parseRegion('14')).toEqual({ level: 'province', code: '14', province: '14' });
    expect(parseRegion('1408')).toMatchObject({ level: 'city', city: '1408' });
    expect(parseRegion('140802')).toMatchObject({ level: 'county', county: '140802' });
    expect(parseRegion('140802100')).toMatchObject({
      level: 'township',
      county: '140802',
      township: '140802100',
    });
    expect(parseRegion(VILLAGE)).toEqual({
      level: 'village',
      code: VILLAGE,
      province: '14',
      city: '1408',
      county: '140802',
      township: '140802100',
      village: VILLAGE,
    });
  });

  test('R-A1: malformed and zero-padded codes are refused', () => {
    for (const bad of [
      '1',
      '140',
      '14080',
      '1408021',
      '1408021002',
      '99',
      '140000',
      '140800',
      '140802000',
      'abcdef',
    ]) {
      expect(() => parseRegion(bad)).toThrow(RangeError);
      expect(regionCodeSchema.safeParse(bad).success).toBe(false);
    }
    expect(villageCodeSchema.safeParse('140802100000').success).toBe(false);
  });

  test('R-A1: the level schemas accept only their own length', () => {
    expect(countyCodeSchema.safeParse('140802').success).toBe(true);
    expect(countyCodeSchema.safeParse('140802100').success).toBe(false);
    expect(villageCodeSchema.safeParse(VILLAGE).success).toBe(true);
    expect(villageCodeSchema.safeParse('140802100').success).toBe(false);
    expect(regionCodeSchema.safeParse('1408').success).toBe(true);
  });

  test('R-A1: countyOf and townshipOf cut the village code', () => {
    expect(countyOf(VILLAGE)).toBe('140802');
    expect(countyOf('140802100')).toBe('140802');
    expect(townshipOf(VILLAGE)).toBe('140802100');
    expect(() => countyOf('140802')).toThrow(RangeError);
    expect(() => townshipOf('140802100')).toThrow(RangeError);
  });

  test('R-A1: a caller reaches cases whose village code starts with its region', () => {
    for (const region of ['14', '1408', '140802', '140802100', VILLAGE])
      expect(reaches(region, VILLAGE)).toBe(true);
    expect(reaches('140802101', VILLAGE)).toBe(false); // neighbouring township
    expect(reaches('140803', VILLAGE)).toBe(false); // neighbouring county
    expect(reaches('140802100202', VILLAGE)).toBe(false); // neighbouring village
  });

  test('R-A1: reach fails closed on malformed codes', () => {
    expect(reaches('', VILLAGE)).toBe(false);
    expect(reaches('1408021', VILLAGE)).toBe(false); // a 7-digit "prefix" is no region
    expect(reaches('140802', '140802100')).toBe(false); // a case sits in a village
    expect(reaches('140000', VILLAGE)).toBe(false);
  });

  test.prop([village])('R-A1: every prefix level of a village reaches it, and only those', (v) => {
    for (const n of [2, 4, 6, 9, 12]) expect(reaches(v.slice(0, n), v)).toBe(true);
    expect(parseRegion(v).county).toBe(countyOf(v));
    const other = `${v.slice(0, 11)}${(Number(v[11]) + 1) % 10}`;
    if (other !== v && !/000$/.test(other)) expect(reaches(v, other)).toBe(false);
  });
});
