import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar';
import { type Cells, importedCaseId, importedCaseIds, validateCaseload } from '../../domain/caseload-import';
import { mapHeaders } from '../../domain/caseload-layout';
import { firstMonthToRoster } from '../../domain/entitlement';
import { makeIdNumber } from '../../domain/idnumber';

// The caseload import's rows (README "Caseload import"): the checks that need no database.

const row = (over: Partial<Cells> = {}): Cells => ({
  household: 'H1',
  category: '低保',
  villageCode: '140802101201',
  residence: '农村',
  name: '张三',
  idNumber: makeIdNumber('140802', '1965-03-12', 11),
  relation: '户主',
  monthlyAmount: '650.00',
  startMonth: '2024-03',
  nextReviewMonth: '2027-03',
  taperReportedOn: '',
  closeRelative: '否',
  unstableIncome: '',
  paidThroughMonth: '',
  ...over,
});
const idKeys = { keys: new Map([['t1', Buffer.alloc(32, 1)]]), currentKeyId: 't1' };
const opts = { countyCode: '140802', today: '2026-12-02', idKeys };

describe('caseload rows', () => {
  it('R-A1: Chinese and English headers name the same columns; a missing column is named', () => {
    expect(
      mapHeaders([
        '户编号',
        'category',
        '村(社区)代码',
        '城乡',
        '姓名',
        'id_number',
        '与户主关系',
        '月保障金额',
        '起始月份',
        '下次复核月份',
        '近亲属备案',
      ]).ok,
    ).toBe(true);
    expect(mapHeaders(['household_no', 'name'])).toMatchObject({
      ok: false,
      missing: expect.arrayContaining(['idNumber', 'monthlyAmount']),
    });
  });

  it('R-A1: a valid household is grouped with its members in Chinese values mapped to the domain', () => {
    const child = row({ name: '李四', idNumber: makeIdNumber('140802', '1995-07-20', 22), relation: '子女' });
    const { households, problems } = validateCaseload([row(), child], opts);
    expect(problems).toEqual([]);
    expect(households).toEqual([
      expect.objectContaining({
        householdKey: 'H1',
        caseId: importedCaseId(idKeys, '140802', 'H1'),
        category: 'dibao',
        residence: 'rural',
        rows: [2, 3],
      }),
    ]);
    expect(households[0]!.members.map((m) => m.relation)).toEqual(['applicant', 'child']);
  });

  it('R-A1: check digit, amount with 3 places, another county, a member in two households — each a row problem, naming no ID number', () => {
    const id = makeIdNumber('140802', '1980-01-01', 33);
    const bad = `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;
    const { problems } = validateCaseload(
      [
        row({ household: 'A', idNumber: bad }),
        row({ household: 'B', monthlyAmount: '650.005', idNumber: makeIdNumber('140802', '1981-01-01', 44) }),
        row({
          household: 'C',
          villageCode: '110101001001',
          idNumber: makeIdNumber('140802', '1982-01-01', 55),
        }),
        row({ household: 'D', idNumber: id }),
        row({ household: 'E', idNumber: id }),
      ],
      opts,
    );
    expect(problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'idNumber'],
      [3, 'monthlyAmount'],
      [4, 'villageCode'],
      [6, 'idNumber'],
    ]);
    expect(JSON.stringify(problems)).not.toContain(id);
  });

  it('R-M10: an optional paid_through_month (已发放至月份) says the last month the previous system paid: from the month before the start month to this month', () => {
    expect(mapHeaders(['已发放至月份']).ok).toBe(false); // known, but the required columns are missing
    expect(mapHeaders(['已发放至月份'])).toMatchObject({ unknown: [] });
    const { households, problems } = validateCaseload(
      [
        row({ household: 'A', paidThroughMonth: '2026-10' }),
        row({
          household: 'B',
          paidThroughMonth: '2024-02',
          idNumber: makeIdNumber('140802', '1981-01-01', 44),
        }),
        row({
          household: 'C',
          paidThroughMonth: '2024-01',
          idNumber: makeIdNumber('140802', '1982-01-01', 55),
        }),
        row({
          household: 'D',
          paidThroughMonth: '2027-01',
          idNumber: makeIdNumber('140802', '1983-01-01', 66),
        }),
        row({ household: 'E', idNumber: makeIdNumber('140802', '1984-01-01', 77) }),
      ],
      opts,
    );
    expect(problems.map((p) => [p.household, p.field])).toEqual([
      ['C', 'paidThroughMonth'],
      ['D', 'paidThroughMonth'],
    ]);
    expect(households.map((h) => [h.householdKey, h.paidThroughMonth])).toEqual([
      ['A', '2026-10'],
      ['B', '2024-02'],
      ['C', '2024-01'],
      ['D', '2027-01'],
      ['E', undefined],
    ]);
  });

  it('R-M1: the first month an imported case hands over is the next payroll’s (the cut-off still ahead), never before its start', () => {
    const cal = WorkingCalendar.builtin();
    expect(firstMonthToRoster(cal, '2026-12-02', '2024-03')).toBe('2026-12'); // cut-off Fri 4 December
    expect(firstMonthToRoster(cal, '2026-12-04', '2024-03')).toBe('2027-01'); // cut-off day: that payroll has the roster
    expect(firstMonthToRoster(cal, '2026-12-02', '2027-02')).toBe('2027-02');
  });
});

describe('imported case ids (R-O7)', () => {
  it('R-O7: the id is a keyed HMAC of the old household number — not its plain hash — and a lookup tries every key and the plain hash of before', () => {
    const plain = `I140802${createHash('sha256').update('140802:H1').digest('hex').slice(0, 16).toUpperCase()}`;
    const id = importedCaseId(idKeys, '140802', 'H1');
    expect(id).toMatch(/^I140802[0-9A-F]{16}$/);
    expect(id).not.toBe(plain);
    const rotated = { keys: new Map([...idKeys.keys, ['t2', Buffer.alloc(32, 2)]]), currentKeyId: 't2' };
    expect(importedCaseId(rotated, '140802', 'H1')).not.toBe(id);
    expect(importedCaseIds(rotated, '140802', 'H1')).toEqual([
      importedCaseId(rotated, '140802', 'H1'),
      id,
      plain,
    ]);
  });
});

describe('caseload row messages say what is wrong with the value', () => {
  const messageOf = (over: Partial<Cells>) => {
    const { problems } = validateCaseload([row(over)], opts);
    return problems.map((p) => `${p.field}: ${p.message}`);
  };

  it('R-A1: a 12-digit village code of another county is reported as outside the county, naming both counties', () => {
    expect(messageOf({ villageCode: '110101001001' })).toEqual([
      'villageCode: village 110101001001 is in county 110101, not in county 140802 of this import',
    ]);
  });

  it('R-A1: a village code with a wrong length, non-digits, an unknown province or a zero segment says which', () => {
    expect(messageOf({ villageCode: '14080210120' })).toEqual([
      'villageCode: "14080210120" has 11 digits; a village (村/社区) code has 12',
    ]);
    expect(messageOf({ villageCode: '1408021012O1' })).toEqual([
      'villageCode: "1408021012O1" is not all digits; a village (村/社区) code has 12 digits',
    ]);
    expect(messageOf({ villageCode: '991234567890' })).toEqual([
      'villageCode: 991234567890 is not a division code: no province 99',
    ]);
    expect(messageOf({ villageCode: '140802000201' })).toEqual([
      'villageCode: 140802000201 is not a village code: its township part is 000',
    ]);
    expect(messageOf({ villageCode: '' })).toEqual(['villageCode: the village code is empty']);
  });

  it('R-A1: category, residence, relation and yes/no cells name the value they got and the values allowed', () => {
    expect(messageOf({ category: '五保' })).toEqual([
      'category: "五保" is not a category; expected dibao, marginal, extreme_poverty or expenditure_type (低保, 低保边缘, 特困, 支出型)',
    ]);
    expect(messageOf({ residence: '乡村' })).toEqual([
      'residence: "乡村" is not urban or rural; expected urban or rural (城市, 农村)',
    ]);
    expect(messageOf({ relation: '叔叔' })[0]).toMatch(
      /^relation: "叔叔" is not a relation; expected applicant, spouse/,
    );
    expect(messageOf({ closeRelative: 'maybe' })).toEqual([
      'closeRelative: "maybe" is not yes or no; expected yes or no (是, 否)',
    ]);
  });

  it('R-A1: months and dates say whether the format, the year range or the order is wrong', () => {
    expect(messageOf({ startMonth: '2024/03' })).toEqual([
      'startMonth: "2024/03" is not a month (YYYY-MM)',
      // the review month cannot be compared with a start month that is not one
    ]);
    expect(messageOf({ startMonth: '2027-01' })).toEqual([
      'startMonth: 2027-01 is after this month (2026-12)',
    ]);
    expect(messageOf({ nextReviewMonth: '2023-01' })).toEqual([
      'nextReviewMonth: 2023-01 is before the start month 2024-03',
    ]);
    expect(messageOf({ taperReportedOn: '2027-01-05' })).toEqual([
      'taperReportedOn: 2027-01-05 is in the future (empty: no taper)',
    ]);
    expect(messageOf({ paidThroughMonth: '2024-01' })).toEqual([
      'paidThroughMonth: 2024-01 is before 2024-02, the month before the start month (empty: paid up to the import)',
    ]);
    expect(messageOf({ startMonth: '1999-03', nextReviewMonth: '2027-03' })).toEqual([
      'startMonth: 1999-03 is outside the years 2000–2100',
    ]);
  });

  it('R-A1: a name or household number that is empty or too long, an amount that is not one, say so without echoing the name', () => {
    expect(messageOf({ name: '' })).toEqual(['name: the name is empty']);
    const long = '张'.repeat(101);
    expect(messageOf({ name: long })).toEqual(['name: the name has 101 characters; at most 100']);
    expect(messageOf({ household: '' })[0]).toBe('household: the household number (户编号) is empty');
    expect(messageOf({ monthlyAmount: '650.005' })).toEqual([
      'monthlyAmount: not an amount in yuan with at most 2 decimal places, e.g. 733.50',
    ]);
    expect(messageOf({ idNumber: '14080219650312001' })[0]).toMatch(
      /^idNumber: the ID number is not 18 characters \(17 digits and a digit or X\)$/,
    );
  });

  it('R-A1: a member row that differs from its household’s first row names that row', () => {
    const { problems } = validateCaseload(
      [
        row(),
        row({ idNumber: makeIdNumber('140802', '1990-01-01', 12), relation: '子女', residence: '城市' }),
      ],
      opts,
    );
    expect(problems.map((p) => `${p.row} ${p.field}: ${p.message}`)).toEqual([
      '3 residence: differs from row 2, the household’s first row',
    ]);
  });
});
