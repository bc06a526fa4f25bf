import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sum, toMoney } from '../../domain/money';
import {
  type CountyProgrammeFigures,
  type Figures,
  PROGRAMMES,
  programmeOf,
  rollUp,
  zeroFigures,
} from '../../domain/statistics';

const figures = (countyCode: string, programme: (typeof PROGRAMMES)[number], f: Partial<Figures>) => ({
  ...zeroFigures(),
  ...f,
  countyCode,
  programme,
});

describe('payment statistics', () => {
  it('R-O5: dibao and expenditure-type count by residence, extreme poverty in one table, marginal in none', () => {
    expect(programmeOf('dibao', 'urban')).toBe('urbanDibao');
    expect(programmeOf('expenditure_type', 'urban')).toBe('urbanDibao');
    expect(programmeOf('dibao', 'rural')).toBe('ruralDibao');
    expect(programmeOf('expenditure_type', 'rural')).toBe('ruralDibao');
    expect(programmeOf('extreme_poverty', 'urban')).toBe('extremePoverty');
    expect(programmeOf('extreme_poverty', 'rural')).toBe('extremePoverty');
    expect(programmeOf('marginal', 'rural')).toBeUndefined();
    expect(programmeOf('dibao', 'unknown')).toBeUndefined();
  });

  it('R-O5 R-A10: a temporary grant counts in its own line, whatever the residence', () => {
    expect(programmeOf('temporary_assistance', 'urban')).toBe('temporaryAssistance');
    expect(programmeOf('temporary_assistance', '')).toBe('temporaryAssistance');
  });

  it('R-O5: a province report has its counties, cities and itself, parents first; the total is the province', () => {
    const { rows, total } = rollUp('14', [
      figures('140802', 'urbanDibao', { monthPersons: 3, monthAmount: '1234.56', backPayAmount: '0.10' }),
      figures('140821', 'urbanDibao', { monthPersons: 2, monthAmount: '0.45', backPayAmount: '0.20' }),
      figures('140902', 'extremePoverty', { cumulativePersons: 4, cumulativeAmount: '4000.01' }),
    ]);
    expect(rows.map((r) => [r.regionCode, r.level])).toEqual([
      ['14', 'province'],
      ['1408', 'city'],
      ['140802', 'county'],
      ['140821', 'county'],
      ['1409', 'city'],
      ['140902', 'county'],
    ]);
    const city = rows.find((r) => r.regionCode === '1408')!;
    expect(city.urbanDibao).toEqual({
      ...zeroFigures(),
      monthPersons: 5,
      monthAmount: '1235.01',
      backPayAmount: '0.30',
    });
    expect(city.extremePoverty).toEqual(zeroFigures());
    const { regionCode, level, ...province } = rows[0]!;
    expect([regionCode, level]).toEqual(['14', 'province']);
    expect(total).toEqual(province);
  });

  it('R-O5: a county report always has its county row, even without payments; a city has no province row', () => {
    expect(rollUp('140802', []).rows).toEqual([
      {
        regionCode: '140802',
        level: 'county',
        urbanDibao: zeroFigures(),
        ruralDibao: zeroFigures(),
        extremePoverty: zeroFigures(),
        temporaryAssistance: zeroFigures(),
      },
    ]);
    const city = rollUp('1408', [figures('140821', 'ruralDibao', { monthAmount: '1.00' })]);
    expect(city.rows.map((r) => r.regionCode)).toEqual(['1408', '140821']);
    expect(city.total.ruralDibao.monthAmount).toBe('1.00');
    expect(() => rollUp('1408', [figures('140902', 'ruralDibao', {})])).toThrow(RangeError);
    expect(() => rollUp('140802101', [])).toThrow(RangeError);
  });

  const cents = fc.bigInt({ min: -(10n ** 9n), max: 10n ** 11n }).map((c) => {
    const a = c < 0n ? -c : c;
    return toMoney(`${c < 0n ? '-' : ''}${a / 100n}.${`${a % 100n}`.padStart(2, '0')}`);
  });
  const entry = fc.record({
    countyCode: fc.constantFrom('140802', '140821', '140822', '140902', '141002'),
    programme: fc.constantFrom(...PROGRAMMES),
    backPayPersons: fc.nat(50),
    backPayAmount: cents,
    monthPersons: fc.nat(500),
    monthAmount: cents,
    cumulativePersons: fc.nat(5000),
    cumulativeAmount: cents,
  });

  test.prop([fc.array(entry, { maxLength: 30 })])(
    'R-O5: every parent row is exactly the sum of its counties, to the fen',
    (entries: CountyProgrammeFigures[]) => {
      const { rows, total } = rollUp('14', entries);
      const counties = rows.filter((r) => r.level === 'county');
      for (const parent of rows.filter((r) => r.level !== 'county')) {
        const children = counties.filter((c) => c.regionCode.startsWith(parent.regionCode));
        for (const p of PROGRAMMES) {
          expect(parent[p].monthAmount).toBe(toMoney(sum(children.map((c) => c[p].monthAmount))));
          expect(parent[p].cumulativePersons).toBe(children.reduce((n, c) => n + c[p].cumulativePersons, 0));
          const raw = entries.filter((e) => e.programme === p && e.countyCode.startsWith(parent.regionCode));
          expect(parent[p].backPayAmount).toBe(toMoney(sum(raw.map((e) => e.backPayAmount))));
        }
      }
      for (const p of PROGRAMMES) {
        expect(total[p].cumulativeAmount).toBe(
          toMoney(sum(entries.filter((e) => e.programme === p).map((e) => e.cumulativeAmount))),
        );
      }
    },
  );
});
